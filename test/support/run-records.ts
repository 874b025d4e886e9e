import { storedRun } from "./records.mjs";
import type { ExecutionResult } from "../../electron/core/executor/executor.js";
import { runOutcome } from "../../electron/core/run-launcher.js";
import type { Run } from "../../electron/shared/schemas.js";

/** A finished run record with fixed dates; override what the test is about. */
export function finishedRun(overrides: Partial<Run> = {}): Run {
  return storedRun({
    id: "run-1",
    jobId: "job-1",
    jobName: "backup",
    status: "failed",
    scheduledAt: "2026-03-01T02:00:00.000Z",
    startedAt: "2026-03-01T02:00:00.100Z",
    endedAt: "2026-03-01T02:00:12.100Z",
    exitCode: 3,
    durationMs: 12_000,
    outputBytes: 120,
    ...overrides,
  });
}

/** The run record an execution result turns into: the run launcher's own mapping (runOutcome). */
export function runFromResult(job: { id: string; name: string }, result: ExecutionResult): Run {
  return finishedRun({
    jobId: job.id,
    jobName: job.name,
    ...runOutcome(result),
    startedAt: result.startedAt.toISOString(),
    endedAt: result.endedAt.toISOString(),
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: Math.round(result.durationMs),
  });
}
