/**
 * The default-notify setting (issue 13, "A settings page") on a real engine and home: a job
 * without its own notify policy follows the setting as it is when its run ends, a job with
 * its own keeps it, and the change survives a restart.
 */
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../../electron/core/engine.js";
import { RecordingNotifier } from "../../../electron/core/notifier/recording-notifier.js";
import type { Run } from "../../../electron/shared/schemas.js";
import { tempFolder } from "../../support/temp-folders.mjs";

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

async function open(home: string, notifier: RecordingNotifier): Promise<Engine> {
  const engine = await openEngine({ home, notifier, baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, killGraceMs: 500 });
  engines.push(engine);
  return engine;
}

/** Runs the job now and resolves once it ended (its notification, if any, is given by then). */
async function runToEnd(engine: Engine, ref: string): Promise<Run> {
  let stop = () => {};
  const finished = new Promise<Run>((resolve) => {
    stop = engine.subscribe((event) => {
      if (event.type === "run.finished" && event.run.id === started.id) resolve(event.run);
    });
  });
  const started = await engine.service.runNow(ref);
  const run = await finished;
  stop();
  return run;
}

const MANUAL = { type: "date", at: "2999-01-01T00:00:00Z" } as const;

describe("the default-notify setting", () => {
  it("decides for jobs without their own policy; a job's own policy wins", async () => {
    const home = path.join(tempFolder("default-notify"), "home");
    const notifier = new RecordingNotifier();
    const engine = await open(home, notifier);
    await engine.service.addJob({ name: "plain", trigger: MANUAL, command: "true" });
    await engine.service.addJob({ name: "quiet", trigger: MANUAL, command: "true", notify: "never" });
    expect((await engine.service.getJob("plain")).notify).toBeUndefined();

    // The shipped default, failure: a success says nothing.
    expect((await runToEnd(engine, "plain")).status).toBe("succeeded");
    expect(notifier.notifications).toEqual([]);

    await engine.service.updateSettings({ "default-notify": "always" });
    await runToEnd(engine, "plain");
    await runToEnd(engine, "quiet");
    expect(notifier.notifications.map((notification) => notification.title)).toEqual(["plain succeeded"]);

    // Choosing the policy on the job again, then clearing it, goes back to the setting.
    await engine.service.updateJob("plain", { notify: "never" });
    await runToEnd(engine, "plain");
    expect(notifier.notifications).toHaveLength(1);
    await engine.service.updateJob("plain", { notify: null });
    await runToEnd(engine, "plain");
    expect(notifier.notifications).toHaveLength(2);
  });

  it("is kept across a restart", async () => {
    const home = path.join(tempFolder("default-notify"), "home");
    const first = await open(home, new RecordingNotifier());
    await first.service.addJob({ name: "plain", trigger: MANUAL, command: "true" });
    await first.service.updateSettings({ "default-notify": "always" });
    await first.stop();
    engines.splice(engines.indexOf(first), 1);

    const notifier = new RecordingNotifier();
    const second = await open(home, notifier);
    expect((await second.service.getSettings()).values["default-notify"]).toBe("always");
    await runToEnd(second, "plain");
    expect(notifier.notifications.map((notification) => notification.title)).toEqual(["plain succeeded"]);
  });
});
