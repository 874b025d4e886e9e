/**
 * The catch-up and retry policies (DESIGN.md "Missed runs", "Retries"), as plans: what to do
 * is decided here from the job and the reference time; the scheduler carries it out.
 */
import type { Job, Run } from "../../shared/schemas.js";
import type { PendingRun } from "./job-state.js";
import { RETRIED_STATUSES } from "../../shared/run-statuses.js";

/** What `catchUp` makes of the slots missed (due slots, oldest first, of `total` missed). */
export interface CatchUpPlan {
  /** Slots to run now, oldest first. */
  toRun: number[];
  /** How many slots are recorded as one missed run (0: none). */
  missed: number;
  /** The slot the missed run is recorded at. */
  missedAt: number;
  /** Why they were missed, as the run record says it. */
  why: string;
}

export function planCatchUp(job: Job, slots: number[], total: number, now: number): CatchUpPlan {
  const graceMs = job.catchUpGraceSeconds ? job.catchUpGraceSeconds * 1000 : Infinity;
  const eligible = slots.filter((slot) => now - slot <= graceMs);
  const latest = slots[slots.length - 1]!;
  let toRun: number[] = [];
  if (job.catchUp === "once" && eligible.length > 0) toRun = [eligible[eligible.length - 1]!];
  if (job.catchUp === "all") toRun = eligible;
  const missed = total - toRun.length;
  const why =
    job.catchUp === "skip"
      ? "Sundial was not running (or the computer slept); catch-up is off for this job"
      : `Sundial was not running (or the computer slept); ${toRun.length} caught up`;
  return { toRun, missed, missedAt: toRun.length > 0 ? Math.min(latest, toRun[0]!) : latest, why };
}

/** The retry a finished run earns (and its delay), or null: only failures, up to `retries.count`. */
export function planRetry(job: Job, run: Run, now: number): { retry: PendingRun; delayMs: number } | null {
  const { retries } = job;
  if (!(RETRIED_STATUSES.has(run.status) && run.attempt <= retries.count && !job.paused)) return null;
  const delayMs = retries.delaySeconds * 1000 * Math.pow(retries.backoff, run.attempt - 1);
  return {
    retry: {
      scheduledAt: run.scheduledAt ? Date.parse(run.scheduledAt) : null,
      reason: "retry",
      attempt: run.attempt + 1,
      dueAt: now + delayMs,
    },
    delayMs,
  };
}
