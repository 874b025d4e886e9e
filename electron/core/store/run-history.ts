import type { Run, RunStatus } from "../../shared/schemas.js";

/** What a job's stats need of one run (issue 17), kept in the history index's columns. */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  /** When it started (epoch ms; its slot when it never started). */
  at: number;
  durationMs: number | null;
}

export interface HistoryQuery {
  jobId?: string;
  /** Newest first; default 50. */
  limit?: number;
}

export interface RetentionPolicy {
  maxRunsPerJob: number;
  maxAgeDays: number;
}

/**
 * Append-only run history, crash-safe: every change to a run is appended as a whole record
 * (the newest record of a run id wins). It never touches jobs.json.
 */
export interface RunHistory {
  /**
   * Loads the history; runs still `running` (the process died) are recorded as
   * `interrupted` and returned so the caller can report them.
   */
  open(now: Date): Promise<Run[]>;
  /**
   * Records a new or changed run: visible to get/list at once, resolves when durable.
   * Rejects with StoreWriteError when the append fails (the run stays in memory).
   */
  record(run: Run): Promise<void>;
  get(runId: string): Run | null;
  /** Runs, newest first (by startedAt, else scheduledAt). */
  list(query?: HistoryQuery): Run[];
  /** Every kept run of a job, oldest first, as its stats read it (no log or record read back). */
  summaries(jobId: string): RunSummary[];
  /** Newest run of a job, or null. */
  lastRun(jobId: string): Run | null;
  /**
   * The latest slot handled for a job (fired, skipped or recorded as missed), from which
   * catch-up iterates forward. Survives retention pruning.
   */
  lastScheduledAt(jobId: string): Date | null;
  /** Records the latest handled slot without a run (e.g. catch-up `skip`). */
  markScheduled(jobId: string, slot: Date): Promise<void>;
  /**
   * Applies retention (never removes a `running` run) and compacts; returns the ids of
   * removed runs (their logs get removed too).
   */
  prune(policy: RetentionPolicy, now: Date): Promise<string[]>;
  /**
   * Forgets a removed job: always its last slot (nothing will catch up for it), and its runs
   * too unless `keepRuns`, in which case they stay, listed and pruned like any run (issue 13).
   * Returns the ids of removed runs (their logs get removed too).
   */
  forgetJob(jobId: string, options?: { keepRuns?: boolean }): Promise<string[]>;
  /** Every job id that has runs in the history, removed jobs' included. */
  jobIds(): string[];
  close(): Promise<void>;
}
