/**
 * The scheduler prepares a scheduled run's process ahead of its slot (real engine, real
 * processes, real time). Whatever happens to the job between preparing and the slot, every
 * slot runs at most once, with the job as it is at the slot, and nothing prepared outlives
 * a change, a pause or a stop.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../../electron/core/engine.js";
import { SilentNotifier } from "../../../electron/core/notifier/silent-notifier.js";

const engines: Engine[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setUp(): Promise<{ engine: Engine; folder: string }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-prepared-runs-"));
  folders.push(folder);
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

async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
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
    await waitFor(() => linesOf(out).length >= 4, "four runs");
    // Between slots, the next slot's process is already there, waiting.
    await waitFor(() => processesWith(out) === 1, "a prepared process for the next slot", 3_000);
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

  it("runs the edited command, never the one prepared before the edit", async () => {
    const { engine, folder } = await setUp();
    const out = path.join(folder, "out.txt");
    const job = await engine.service.addJob({
      name: "edited",
      trigger: { type: "interval", everySeconds: 1 },
      command: `echo "old $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}`,
      overlap: "parallel",
    });
    await waitFor(() => linesOf(out).length >= 2, "two runs of the old command");
    await waitFor(() => processesWith(`echo "old`) === 1, "the old command's next run to be prepared", 3_000);
    const editedAt = new Date().toISOString();
    await engine.service.updateJob(job.id, { command: `echo "new $SUNDIAL_RUN_ID $SUNDIAL_SCHEDULED_AT" >> ${out}` });
    await waitFor(() => linesOf(out).filter((line) => line.tag === "new").length >= 2, "two runs of the new command");

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
    await waitFor(() => linesOf(out).length >= 1 && processesWith(out) === 1, "a run and a prepared process");
    await engine.service.pauseJob(job.id);
    const pausedAt = new Date().toISOString();
    await waitFor(() => processesWith(out) === 0, "the prepared process to go");
    await sleep(2_200);
    expect(linesOf(out).filter((line) => line.slot > pausedAt)).toEqual([]);
  });
});

async function reopen(folder: string): Promise<Engine> {
  const engine = await openEngine({ home: path.join(folder, "home"), notifier: new SilentNotifier(), baseEnv: { PATH: "/usr/bin:/bin" }, log: () => undefined });
  engines.push(engine);
  return engine;
}
