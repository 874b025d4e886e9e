import type { ExecutionResult } from "../../electron/core/executor/executor.js";
import type { Run, RunStatus } from "../../electron/shared/schemas.js";

/** A finished run record with fixed dates; override what the test is about. */
export function finishedRun(overrides: Partial<Run> = {}): Run {
  return {
    id: "run-1",
    jobId: "job-1",
    jobName: "backup",
    status: "failed",
    reason: "schedule",
    attempt: 1,
    scheduledAt: "2026-03-01T02:00:00.000Z",
    startedAt: "2026-03-01T02:00:00.100Z",
    endedAt: "2026-03-01T02:00:12.100Z",
    exitCode: 3,
    signal: null,
    durationMs: 12_000,
    error: null,
    outputBytes: 120,
    ...overrides,
  };
}

/** The run record an execution result turns into (the same mapping the run launcher makes). */
export function runFromResult(job: { id: string; name: string }, result: ExecutionResult): Run {
  const status: RunStatus =
    result.outcome === "exited"
      ? result.exitCode === 0
        ? "succeeded"
        : "failed"
      : result.outcome === "signalled"
        ? "failed"
        : result.outcome;
  return finishedRun({
    jobId: job.id,
    jobName: job.name,
    status,
    startedAt: result.startedAt.toISOString(),
    endedAt: result.endedAt.toISOString(),
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: Math.round(result.durationMs),
    error: result.error,
  });
}
