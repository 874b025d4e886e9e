/**
 * Sizes the store is built for: 10,000 jobs, 100,000 runs. The assertions are what a user
 * depends on at that size (everything is there, in order, after prune and compaction); the
 * figures are printed for reports, never asserted (timing belongs to `npm run bench`, which
 * measures the same in bench/history.js and bench/changes.js).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileDurably } from "../../../electron/core/store/durable-file.js";
import { JsonJobStore } from "../../../electron/core/store/json-job-store.js";
import { JsonlRunHistory } from "../../../electron/core/store/jsonl-run-history.js";
import { SettingsSchema } from "../../../electron/shared/schemas.js";
import { makeJob, makeRun, makeTempFolder } from "./store-fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempFolder("perf")));
afterEach(() => cleanup());

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timeAsync(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

function timeSync(action: () => unknown): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

describe("store performance", () => {
  it("writes a 10,000-job jobs.json and adds a job to it (figures printed)", async () => {
    const data = { version: 2 as const, settings: SettingsSchema.parse({}), jobs: Array.from({ length: 10_000 }, (_, index) => makeJob(index)) };
    const compact = JSON.stringify(data);
    const indented = JSON.stringify(data, null, 2);
    // Interleaved, after a warm-up, so that neither variant gets the JIT's or the disk's first-run cost.
    const stringifyCompact: number[] = [];
    const stringifyIndented: number[] = [];
    const writeCompact: number[] = [];
    const writeIndented: number[] = [];
    const file = path.join(dir, "jobs.json");
    for (let round = 0; round < 8; round += 1) {
      const compactTime = timeSync(() => JSON.stringify(data));
      const indentedTime = timeSync(() => JSON.stringify(data, null, 2));
      const compactWrite = await timeAsync(() => writeFileDurably(file, compact));
      const indentedWrite = await timeAsync(() => writeFileDurably(file, indented));
      if (round === 0) continue;
      stringifyCompact.push(compactTime);
      stringifyIndented.push(indentedTime);
      writeCompact.push(compactWrite);
      writeIndented.push(indentedWrite);
    }

    await writeFileDurably(file, compact);
    const store = new JsonJobStore(file);
    const loadTime = await timeAsync(() => store.load());
    const addTimes = await sequence(21, (index) => timeAsync(() => store.update((jobs) => void jobs.jobs.push(makeJob(20_000 + index)))));
    const addP50 = median(addTimes);

    console.log(
      [
        "jobs.json with 10,000 jobs:",
        `  compact  ${(compact.length / 1e6).toFixed(2)} MB, JSON.stringify ${ms(median(stringifyCompact))}, durable write ${ms(median(writeCompact))}`,
        `  indented ${(indented.length / 1e6).toFixed(2)} MB, JSON.stringify ${ms(median(stringifyIndented))}, durable write ${ms(median(writeIndented))}`,
        `  load (parse + zod validation) ${ms(loadTime)}; add one job: p50 ${ms(addP50)}, max ${ms(Math.max(...addTimes))}`,
      ].join("\n"),
    );
    expect(store.data.jobs).toHaveLength(10_021);
  }, 120_000);

  it("loads 100,000 runs and answers a job's last 50, newest first (figures printed)", async () => {
    const file = path.join(dir, "history.jsonl");
    const jobs = 200;
    const perJob = 500;
    const lines: string[] = [];
    for (let index = 0; index < jobs * perJob; index += 1) {
      const jobId = `j_${index % jobs}`;
      const minute = Math.floor(index / jobs) * 5;
      lines.push(JSON.stringify({ run: makeRun(`r_${index}`, jobId, minute, { status: "running", endedAt: null, exitCode: null, durationMs: null }) }));
      lines.push(JSON.stringify({ run: makeRun(`r_${index}`, jobId, minute) }));
    }
    await fs.writeFile(file, lines.join("\n") + "\n", { mode: 0o600 });
    const fileMb = (await fs.stat(file)).size / 1e6;

    const history = new JsonlRunHistory(file);
    const openTime = await timeAsync(() => history.open(new Date("2025-06-01T00:00:00Z")));

    const queries = 10_000;
    const perJobQuery = timeSync(() => {
      for (let index = 0; index < queries; index += 1) history.list({ jobId: `j_${index % jobs}`, limit: 50 });
    });
    const overallQuery = timeSync(() => {
      for (let index = 0; index < 1_000; index += 1) history.list({ limit: 50 });
    });
    const lastOfJob7 = history.list({ jobId: "j_7", limit: 50 });
    const recordTimes = await sequence(21, (index) => timeAsync(() => history.record(makeRun(`r_new_${index}`, "j_7", 10_000 + index))));
    const pruneTime = await timeAsync(() => history.prune({ maxRunsPerJob: 200, maxAgeDays: 3650 }, new Date("2025-06-01T00:00:00Z")));
    await history.close();

    const perJobMicros = (perJobQuery / queries) * 1000;
    console.log(
      [
        `history.jsonl with 100,000 runs (200,000 lines, ${fileMb.toFixed(1)} MB):`,
        `  open (replay + index) ${ms(openTime)}`,
        `  list({ jobId, limit: 50 }) ${perJobMicros.toFixed(1)} µs each; list({ limit: 50 }) ${((overallQuery / 1_000) * 1000).toFixed(1)} µs each`,
        `  record one run (append + fdatasync): p50 ${ms(median(recordTimes))}; prune to 200/job + compaction ${ms(pruneTime)}`,
      ].join("\n"),
    );
    expect(lastOfJob7.map((run) => run.id)).toEqual(Array.from({ length: 50 }, (_, index) => `r_${(perJob - 1 - index) * jobs + 7}`));
  }, 120_000);
});

async function sequence(count: number, step: (index: number) => Promise<number>): Promise<number[]> {
  const results: number[] = [];
  for (let index = 0; index < count; index += 1) results.push(await step(index));
  return results;
}
