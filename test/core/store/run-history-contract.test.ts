/**
 * One contract, every RunHistory: the scheduler tests run on MemoryRunHistory, so it must
 * answer exactly like the file-backed one.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JsonlRunHistory, MemoryRunHistory } from "../../../electron/core/store/jsonl-run-history.js";
import type { RunHistory } from "../../../electron/core/store/run-history.js";
import type { Run } from "../../../electron/shared/schemas.js";
import { makeRun, makeTempFolder, T0 } from "./store-fixtures.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A history whose "previous session" left `runs` and `slots` behind. */
type Factory = (runs?: Run[], slots?: Record<string, Date>) => Promise<RunHistory>;

const implementations: { name: string; create: Factory }[] = [
  {
    name: "JsonlRunHistory",
    async create(runs = [], slots = {}) {
      const { dir, cleanup } = await makeTempFolder();
      const file = path.join(dir, "history.jsonl");
      const lines = [
        ...runs.map((run) => JSON.stringify({ run })),
        ...Object.entries(slots).map(([jobId, at]) => JSON.stringify({ slot: { jobId, at: at.toISOString() } })),
      ];
      await fs.writeFile(file, lines.map((line) => `${line}\n`).join(""), { mode: 0o600 });
      const history = new JsonlRunHistory(file);
      cleanups.push(async () => {
        await history.close();
        await cleanup();
      });
      return history;
    },
  },
  { name: "MemoryRunHistory", create: async (runs = [], slots = {}) => new MemoryRunHistory(runs, slots) },
];

const NOW = new Date("2025-03-10T00:00:00Z");

describe.each(implementations)("$name (RunHistory contract)", ({ create }) => {
  it("turns runs left running into interrupted ones and returns them", async () => {
    const history = await create([makeRun("r_1", "j_a", 0), makeRun("r_2", "j_a", 5, { status: "running", endedAt: null })]);
    const interrupted = await history.open(NOW);
    expect(interrupted.map((run) => [run.id, run.status, run.endedAt, run.error])).toEqual([
      ["r_2", "interrupted", null, "Sundial stopped while this run was in progress"],
    ]);
    expect(history.get("r_2")?.status).toBe("interrupted");
  });

  it("records, updates and lists runs newest first", async () => {
    const history = await create();
    await history.open(NOW);
    await history.record(makeRun("r_1", "j_a", 1, { status: "running", endedAt: null }));
    await history.record(makeRun("r_2", "j_b", 2));
    await history.record(makeRun("r_1", "j_a", 1, { status: "timed_out" }));
    expect(history.get("r_1")?.status).toBe("timed_out");
    expect(history.get("r_missing")).toBeNull();
    expect(history.list().map((run) => run.id)).toEqual(["r_2", "r_1"]);
    expect(history.list({ jobId: "j_a" }).map((run) => run.id)).toEqual(["r_1"]);
    expect(history.list({ limit: 1 }).map((run) => run.id)).toEqual(["r_2"]);
    expect(history.lastRun("j_a")?.id).toBe("r_1");
  });

  it("summarises a job's kept runs for its stats, oldest first, from what was stored and what was recorded since (issue 17)", async () => {
    const history = await create([makeRun("r_1", "j_a", 0, { durationMs: 1_500 }), makeRun("r_2", "j_a", 5, { status: "failed", exitCode: 2, durationMs: 300 }), makeRun("r_x", "j_b", 6)]);
    await history.open(NOW);
    await history.record(makeRun("r_3", "j_a", 10, { status: "running", endedAt: null, durationMs: null }));
    expect(history.summaries("j_a").map((run) => [run.runId, run.status, run.durationMs])).toEqual([
      ["r_1", "succeeded", 1_500],
      ["r_2", "failed", 300],
      ["r_3", "running", null],
    ]);
    // A run's newer record replaces its summary; an unknown job has none.
    await history.record(makeRun("r_3", "j_a", 10, { status: "timed_out", durationMs: 9_000 }));
    expect(history.summaries("j_a").at(-1)).toMatchObject({ runId: "r_3", status: "timed_out", durationMs: 9_000, at: Date.parse(makeRun("r_3", "j_a", 10).startedAt!) });
    expect(history.summaries("j_nobody")).toEqual([]);
  });

  it("derives lastScheduledAt from slot runs and marks, seeded ones included", async () => {
    const history = await create([makeRun("r_1", "j_a", 10)], { j_b: new Date(T0 + 5 * 60_000) });
    await history.open(NOW);
    expect(history.lastScheduledAt("j_a")).toEqual(new Date(T0 + 10 * 60_000));
    expect(history.lastScheduledAt("j_b")).toEqual(new Date(T0 + 5 * 60_000));
    await history.record(makeRun("r_2", "j_a", 50, { reason: "manual", scheduledAt: null }));
    await history.markScheduled("j_a", new Date(T0 + 20 * 60_000));
    expect(history.lastScheduledAt("j_a")).toEqual(new Date(T0 + 20 * 60_000));
  });

  it("prunes by count and age, keeping running runs and last slots", async () => {
    const history = await create();
    await history.open(NOW);
    for (let index = 0; index < 5; index += 1) await history.record(makeRun(`r_${index}`, "j_a", index));
    await history.record(makeRun("r_busy", "j_a", -10, { status: "running", endedAt: null }));
    const removed = await history.prune({ maxRunsPerJob: 3, maxAgeDays: 90 }, NOW);
    expect(removed.sort()).toEqual(["r_0", "r_1", "r_2"]);
    expect(history.list({ jobId: "j_a" }).map((run) => run.id)).toEqual(["r_4", "r_3", "r_busy"]);
    const later = new Date(T0 + 200 * 86_400_000);
    expect((await history.prune({ maxRunsPerJob: 3, maxAgeDays: 90 }, later)).sort()).toEqual(["r_3", "r_4"]);
    expect(history.lastScheduledAt("j_a")).toEqual(new Date(T0 + 4 * 60_000));
  });

  it("forgets a job's runs and returns their ids", async () => {
    const history = await create([makeRun("r_1", "j_a", 1), makeRun("r_2", "j_b", 2)]);
    await history.open(NOW);
    expect(await history.forgetJob("j_a")).toEqual(["r_1"]);
    expect(history.list().map((run) => run.id)).toEqual(["r_2"]);
    expect(history.lastScheduledAt("j_a")).toBeNull();
    expect(await history.forgetJob("j_none")).toEqual([]);
  });

  it("keeps a removed job's runs when asked, forgetting only its slot, and prunes them like any run", async () => {
    const history = await create([makeRun("r_1", "j_a", 1), makeRun("r_2", "j_a", 2), makeRun("r_3", "j_b", 3)]);
    await history.open(NOW);
    expect(await history.forgetJob("j_a", { keepRuns: true })).toEqual([]);
    expect(history.list({ jobId: "j_a" }).map((run) => run.id)).toEqual(["r_2", "r_1"]);
    expect(history.get("r_1")?.jobName).toBe("job j_a");
    expect(history.lastScheduledAt("j_a")).toBeNull();
    expect(history.jobIds().sort()).toEqual(["j_a", "j_b"]);
    // Retention: at most one run per job, the removed job's included.
    expect((await history.prune({ maxRunsPerJob: 1, maxAgeDays: 3650 }, NOW)).sort()).toEqual(["r_1"]);
    expect(history.list().map((run) => run.id)).toEqual(["r_3", "r_2"]);
  });
});
