/**
 * The stores let go of every file handle they open, on error paths too: a FileHandle left to
 * the garbage collector is closed with "Closing file descriptor N on garbage collection" (and
 * a future Node throws). Checked through /proc/self/fd, which lists what this process holds.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openEngine } from "../../../electron/core/engine.js";
import { SilentNotifier } from "../../../electron/core/notifier/silent-notifier.js";
import { JsonJobStore } from "../../../electron/core/store/json-job-store.js";
import { makeJob } from "./store-fixtures.js";
import { tempFolder } from "../../support/temp-folders.mjs";

let folder: string;
beforeEach(() => {
  folder = tempFolder("handles");
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

/** Files inside `folder` that this process has open. */
function openFilesIn(folder: string): string[] {
  const open: string[] = [];
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`${folder}${path.sep}`)) open.push(target);
    } catch {
      // The descriptor readdir itself used, gone by now.
    }
  }
  return open;
}

describe.runIf(process.platform === "linux")("file handles of the stores", () => {
  it("a journal that could not be folded is let go by close(), not left to the garbage collector", async () => {
    const jobsFile = path.join(folder, "jobs.json");
    const logged: string[] = [];
    const store = new JsonJobStore(jobsFile, (line) => logged.push(line), { journalAboveBytes: 0 });
    await store.load();
    await store.update((data) => void data.jobs.push(makeJob(1)), { jobIds: [makeJob(1).id] });
    expect(openFilesIn(folder)).toEqual([store.journalFile]);
    // The fold's rename onto jobs.json fails: a folder took its place.
    fs.rmSync(jobsFile);
    fs.mkdirSync(jobsFile);
    await store.flush();
    expect(logged.join("\n")).toMatch(/could not fold/);
    await store.close();
    expect(openFilesIn(folder)).toEqual([]);
    // What stays on disk is what a crash leaves: the journal, replayed by the next load.
    expect(fs.existsSync(store.journalFile)).toBe(true);
  });

  it("an engine that ran a job and stopped leaves no file of its home open", async () => {
    const engine = await openEngine({ home: path.join(folder, "home"), notifier: new SilentNotifier(), baseEnv: { PATH: "/usr/bin:/bin" }, killGraceMs: 200 });
    const job = await engine.service.addJob({ name: "echo", trigger: { type: "interval", everySeconds: 3600 }, command: "echo hi", cwd: os.tmpdir() });
    const finished = new Promise<void>((resolve) => engine.subscribe((event) => event.type === "run.finished" && resolve()));
    await engine.service.runNow(job.id);
    await finished;
    await engine.stop();
    expect(openFilesIn(folder)).toEqual([]);
  });
});
