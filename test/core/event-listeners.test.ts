/**
 * A front end's event listener that throws (a closed window, a broken pipe to the tray) must
 * not break the engine or the other front ends: the run is recorded, the other listeners get
 * every event, and the failure is logged once per event.
 */
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { openEngine } from "../../electron/core/engine.js";
import { SilentNotifier } from "../../electron/core/notifier/silent-notifier.js";
import type { SchedulerEvent } from "../../electron/shared/contract.js";
import { removeTempHomes, tempHome, waitFor } from "../support/cli.js";

afterAll(removeTempHomes);

describe("a listener that throws", () => {
  test("neither stops the run nor the events other listeners get, and is logged", async () => {
    const logged: string[] = [];
    const engine = await openEngine({
      home: path.join(tempHome("listeners"), "home"),
      notifier: new SilentNotifier(),
      baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      log: (line) => logged.push(line),
    });
    try {
      let thrown = 0;
      engine.subscribe(() => {
        thrown++;
        throw new Error("the window is gone");
      });
      const seen: SchedulerEvent["type"][] = [];
      engine.subscribe((event) => seen.push(event.type));

      const job = await engine.service.addJob({ name: "after-a-throw", trigger: { type: "interval", everySeconds: 3600 }, command: "echo fine" });
      const run = await engine.service.runNow(job.id);
      await waitFor(() => seen.includes("run.finished"), 15_000, "run.finished at the healthy listener");

      const [recorded] = await engine.service.history({ job: job.id });
      expect(recorded).toMatchObject({ id: run.id, status: "succeeded", exitCode: 0 });
      expect(seen).toEqual(expect.arrayContaining(["job.added", "run.started", "run.finished"]));
      expect(thrown).toBeGreaterThanOrEqual(3);
      expect(logged.filter((line) => line.includes("event listener failed") && line.includes("the window is gone")).length).toBe(thrown);
    } finally {
      await engine.stop();
    }
  });
});
