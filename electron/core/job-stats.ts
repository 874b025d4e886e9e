/**
 * A job's stats over the runs the history keeps (issue 17), from the history index's columns
 * (RunHistory.summaries): no record or log is read back, whatever the history's size.
 */
import { STATS_RECENT_RUNS, type JobStats } from "../shared/contract.js";
import { isFailure } from "../shared/run-statuses.js";
import { median, percentile } from "../shared/stats.js";
import type { RunSummary } from "./store/run-history.js";

/**
 * Counts every kept run; the success rate is over the runs that succeeded or failed, and the
 * durations over the runs that ran to an end (a cancelled, skipped, missed or running one is
 * in neither: it says nothing about how the job does).
 */
export function jobStatsOf(jobId: string, runs: readonly RunSummary[]): JobStats {
  let succeeded = 0;
  let failed = 0;
  const durations: number[] = [];
  for (const run of runs) {
    if (run.status === "succeeded") succeeded += 1;
    else if (isFailure(run.status)) failed += 1;
    else continue;
    if (run.durationMs !== null) durations.push(run.durationMs);
  }
  return {
    jobId,
    runs: runs.length,
    succeeded,
    failed,
    successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
    durationMedianMs: median(durations),
    durationP95Ms: percentile(durations, 95),
    recent: runs.slice(-STATS_RECENT_RUNS).map((run) => ({ runId: run.runId, status: run.status, startedAt: new Date(run.at).toISOString(), durationMs: run.durationMs })),
  };
}
