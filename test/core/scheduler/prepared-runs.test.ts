/**
 * The scheduler prepares a scheduled run's process ahead of its slot (real engine, real
 * processes, real time). Whatever happens to the job between preparing and the slot, every
 * slot runs at most once, with the job as it is at the slot, and nothing prepared outlives
 * a change, a pause or a stop.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../../electron/core/engine.js";
import { SilentNotifier } from "../../../electron/core/notifier/silent-notifier.js";
import { removeTempFolders, tempFolder } from "../../support/temp-folders.mjs";
import { sleep, waitFor } from "../../support/waiting.mjs";
import { systemTimeZone, wallTimeAt } from "../../../electron/shared/civil-time.js";

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  removeTempFolders();
});

async function setUp(): Promise<{ engine: Engine; folder: string }> {
  const folder = tempFolder("prepared-runs");
  const engine = await openEngine({ home: path.join(folder, "home"), notifier: new SilentNotifier(), baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, killGraceMs: 500, log: () => undefined });
  engines.push(engine);
  return { engine, folder };
}

/** Lines written by the command: `<tag> <run id> <slot>`. */
function linesOf(file: string): Array<{ tag: string; runId: string; slot: string }> {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [tag, runId, slot] = line.split(" ");
      return { tag: tag!, runId: runId!, slot: slot! };
    });
}

/** Waiting processes (not zombies) whose command line contains `marker`. */
function processesWith(marker: string): number {
  const pids = spawnSync("pgrep", ["-f", marker], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  return pids.filter((pid) => {
    try {
      return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return false;
    }
  }).length;
}

describe.skipIf(process.platform === "win32")("runs prepared ahead of their slot", () => {
  it("runs every slot once, with the recorded run's id, and keeps a process waiting for the next", async () => {
    const { engine, folder } = await setUp();
    const out = path.join(folder, "out.txt");
    const job = await engine.service.addJob({
      name: "every second",
      trigger: { type: "interval", everySeconds: 1 },
      command: `echo "run $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}`,
      overlap: "parallel",
    });
    await waitFor(() => linesOf(out).length >= 4, 8_000, "four runs");
    // Between slots, the next slot's process is already there, waiting.
    await waitFor(() => processesWith(out) === 1, 3_000, "a prepared process for the next slot");
    await engine.stop();
    engines.splice(engines.indexOf(engine), 1);

    const lines = linesOf(out);
    const slots = lines.map((line) => line.slot);
    expect(new Set(slots).size).toBe(slots.length);
    const history = await (await reopen(folder)).service.history({ job: job.id, limit: 100 });
    // The last run may have been stopped with the engine (interrupted): any recorded run counts.
    const recorded = new Map(history.map((run) => [run.id, run]));
    for (const line of lines) {
      expect(recorded.get(line.runId)?.scheduledAt).toBe(line.slot);
    }
    expect(processesWith(out)).toBe(0);
  });

  it("with several jobs due each second, releases each slot's runs once, each recorded with its id; a busy job's slot is skipped, not run", async () => {
    const { engine, folder } = await setUp();
    const out = path.join(folder, "out.txt");
    const jobs = await Promise.all(
      ["a", "b", "c", "d"].map((name, index) =>
        engine.service.addJob({
          name,
          trigger: { type: "interval", everySeconds: 1 },
          command: `echo "${name} $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}`,
          overlap: "parallel",
          ...(index % 2 === 0 ? { shell: "/bin/bash" } : {}),
        }),
      ),
    );
    // Runs 2.5 s: the slots in between find it running and are skipped, never started beside it.
    const busy = await engine.service.addJob({ name: "busy", trigger: { type: "interval", everySeconds: 1 }, command: `echo "busy $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}; sleep 2.5`, overlap: "skip" });
    await waitFor(() => linesOf(out).filter((line) => line.tag === "busy").length >= 2, 10_000, "two runs of the busy job");
    await engine.stop();
    engines.splice(engines.indexOf(engine), 1);

    const lines = linesOf(out);
    const slotsRun = lines.map((line) => `${line.tag} ${line.slot}`);
    expect(new Set(slotsRun).size).toBe(slotsRun.length);
    const history = await (await reopen(folder)).service.history({ limit: 1_000 });
    const recorded = new Map(history.map((run) => [run.id, run]));
    for (const line of lines) expect([line.tag, recorded.get(line.runId)?.scheduledAt]).toEqual([line.tag, line.slot]);
    for (const job of jobs) expect(lines.filter((line) => line.tag === job.name).length).toBeGreaterThanOrEqual(3);
    const busyStarts = lines.filter((line) => line.tag === "busy").map((line) => Date.parse(line.slot));
    for (let i = 1; i < busyStarts.length; i++) expect(busyStarts[i]! - busyStarts[i - 1]!).toBeGreaterThanOrEqual(2_000);
    expect(history.filter((run) => run.jobId === busy.id && run.status === "skipped").length).toBeGreaterThanOrEqual(1);
  });

  it("runs the edited command, never the one prepared before the edit", async () => {
    const { engine, folder } = await setUp();
    const out = path.join(folder, "out.txt");
    const job = await engine.service.addJob({
      name: "edited",
      trigger: { type: "interval", everySeconds: 1 },
      command: `echo "old $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}`,
      overlap: "parallel",
    });
    await waitFor(() => linesOf(out).length >= 2, 8_000, "two runs of the old command");
    await waitFor(() => processesWith(`echo "old`) === 1, 3_000, "the old command's next run to be prepared");
    await engine.service.updateJob(job.id, { command: `echo "new $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}` });
    // From the moment the edit is acknowledged (a slot due while it was being saved may still
    // run the old command: the edit had not happened yet for the user).
    const editedAt = new Date().toISOString();
    await waitFor(() => linesOf(out).filter((line) => line.tag === "new").length >= 2, 8_000, "two runs of the new command");

    const lines = linesOf(out);
    expect(lines.filter((line) => line.tag === "old" && line.slot > editedAt)).toEqual([]);
    expect(new Set(lines.map((line) => line.slot)).size).toBe(lines.length);
    expect(processesWith(`echo "old`)).toBe(0);
  });

  it("runs nothing more once the job is paused, and leaves no process waiting", async () => {
    const { engine, folder } = await setUp();
    const out = path.join(folder, "out.txt");
    const job = await engine.service.addJob({
      name: "paused",
      trigger: { type: "interval", everySeconds: 1 },
      command: `echo "run $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}`,
    });
    await waitFor(() => linesOf(out).length >= 1 && processesWith(out) === 1, 8_000, "a run and a prepared process");
    await engine.service.pauseJob(job.id);
    const pausedAt = new Date().toISOString();
    await waitFor(() => processesWith(out) === 0, 8_000, "the prepared process to go");
    // Nothing may run after the pause: a window of one slot (1 s) and a margin for a late run to write its line.
    await sleep(1_500);
    expect(linesOf(out).filter((line) => line.slot > pausedAt)).toEqual([]);
  });
});

async function reopen(folder: string): Promise<Engine> {
  const engine = await openEngine({ home: path.join(folder, "home"), notifier: new SilentNotifier(), baseEnv: { PATH: "/usr/bin:/bin" }, log: () => undefined });
  engines.push(engine);
  return engine;
}

describe.skipIf(process.platform === "win32")("a slot its conditions hold back (issue 15)", () => {
  it("gets no process prepared ahead, and each slot is recorded skipped with the reason", async () => {
    const { engine, folder } = await setUp();
    const out = path.join(folder, "out.txt");
    // A window that starts three hours from now, in the zone an interval's conditions are read in.
    const at = (ms: number) => {
      const wall = wallTimeAt(ms, systemTimeZone());
      return `${String(wall.hour).padStart(2, "0")}:${String(wall.minute).padStart(2, "0")}`;
    };
    const between = `${at(Date.now() + 3 * 3_600_000)}-${at(Date.now() + 4 * 3_600_000)}`;
    const job = await engine.service.addJob({ name: "outside", trigger: { type: "interval", everySeconds: 1 }, command: `echo run >> ${out}`, conditions: { between } });
    let prepared = 0;
    const skipped = await waitFor(async () => {
      prepared = Math.max(prepared, processesWith(out));
      const runs = await engine.service.history({ job: job.id, limit: 100 });
      return runs.length >= 3 ? runs : null;
    }, 10_000, "three skipped slots");
    expect(skipped.map((run) => [run.status, run.error])).toEqual(skipped.map(() => ["skipped", `outside ${between}`]));
    expect(prepared).toBe(0);
    expect(fs.existsSync(out)).toBe(false);
  });
});
