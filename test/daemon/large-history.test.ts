/**
 * Issue 12, history memory, through the real CLI and a real daemon: with 100,000 kept runs
 * the daemon keeps only a summary of each finished run and reads the rest back from
 * history.jsonl when asked. `sundial history JOB --limit 50` must still give exactly the
 * job's newest 50 runs, whole, newest first — before and after a new run, after lowered
 * retention prunes and compacts the file, and after a restart.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Run } from "../../electron/shared/schemas.js";
import { storedJob, storedRun } from "../support/records.mjs";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const JOBS = 100;
const RUNS = 100_000;

test("a daemon with 100,000 kept runs answers a job's last 50, whole and in order, also after pruning, compaction and a restart", async () => {
  const home = tempHome("large-history");
  const now = Date.now();
  const jobs = Array.from({ length: JOBS }, (_, index) => storedJob(index, { notify: "never", triggers: [{ type: "cron", version: 1, expression: "0 3 1 1 *", timezone: "UTC" }], createdAt: new Date(now).toISOString() }));
  const settings = { history: { maxRunsPerJob: RUNS / JOBS, maxAgeDays: 3650 } };
  fs.writeFileSync(path.join(home, "jobs.json"), JSON.stringify({ version: 2, settings, jobs }), { mode: 0o600 });
  const lines: string[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const job = jobs[index % JOBS]!;
    const at = now - (RUNS - index) * 30_000;
    lines.push(
      JSON.stringify({
        run: storedRun({
          id: `r_${index}`,
          jobId: job.id,
          jobName: job.name,
          status: index % 17 === 0 ? "failed" : "succeeded",
          scheduledAt: new Date(at).toISOString(),
          startedAt: new Date(at + 40).toISOString(),
          endedAt: new Date(at + 2_040).toISOString(),
          exitCode: index % 17 === 0 ? 1 : 0,
          durationMs: 2_000,
          error: index % 17 === 0 ? `exit ${index} — non-ASCII ✓` : null,
        }),
      }),
    );
  }
  fs.writeFileSync(path.join(home, "history.jsonl"), `${lines.join("\n")}\n`, { mode: 0o600 });
  const expectedLast = (jobIndex: number, count: number) =>
    Array.from({ length: count }, (_, k) => JSON.parse(lines[RUNS - JOBS + jobIndex - k * JOBS]!).run as Run);

  let daemon = await startDaemon(home, { readyTimeoutMs: 60_000 });
  const job = jobs[7]!;
  expect(await sundialJson<Run[]>(["history", job.id, "--limit", "50"], { home })).toEqual(expectedLast(7, 50));
  expect((await sundialJson<Run[]>(["history", "--limit", "50"], { home })).map((run) => run.id)).toEqual(Array.from({ length: 50 }, (_, k) => `r_${RUNS - 1 - k}`));

  // A new run becomes the newest; the one before it is now read back from the file.
  const ran = await sundial(["run", job.id, "--wait"], { home });
  expect(ran.code, ran.stderr).toBe(0);
  const afterRun = await sundialJson<Run[]>(["history", job.id, "--limit", "50"], { home });
  expect(afterRun[0]).toMatchObject({ jobId: job.id, status: "succeeded", reason: "manual" });
  expect(afterRun.slice(1)).toEqual(expectedLast(7, 49));

  // Retention lowered: pruned to 20 a job at once, history.jsonl compacted; the same after a restart.
  const changed = await sundial(["settings", "set", "history-max-runs", "20"], { home });
  expect(changed.code, changed.stderr).toBe(0);
  for (let round = 0; round < 2; round += 1) {
    expect(await sundialJson<Run[]>(["history", job.id, "--limit", "50"], { home })).toEqual([afterRun[0], ...expectedLast(7, 19)]);
    expect(await sundialJson<Run[]>(["history", jobs[42]!.id, "--limit", "50"], { home })).toEqual(expectedLast(42, 20));
    if (round === 0) {
      await daemon.stop();
      daemon = await startDaemon(home, { readyTimeoutMs: 60_000 });
    }
  }
  expect(fs.readFileSync(path.join(home, "history.jsonl"), "utf8").split("\n").filter(Boolean).length).toBeLessThanOrEqual(JOBS * 20 + JOBS + 1);
  await daemon.stop();
}, 180_000);
