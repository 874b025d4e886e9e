/**
 * What the scheduler knows about one job, and how a job reads to the front ends (its view).
 */
import type { Job, JobView, Run, RunReason } from "../../shared/schemas.js";
import type { Trigger } from "../triggers/trigger.js";
import type { OpenAlert } from "../../shared/alert-rules.js";
import { formatInZone, triggerZone } from "../triggers/index.js";
import type { ActiveRun, PreparedLaunch } from "../run-launcher.js";

/** A run waiting to start: a retry waiting out its delay, or a slot queued behind a running run. */
export interface PendingRun {
  scheduledAt: number | null;
  reason: RunReason;
  attempt: number;
  /** When it may start (retries wait; queued runs start when the job is free). */
  dueAt: number;
  /** Variables the trigger adds to the run's environment (kept for its queued start and its retries). */
  variables?: Readonly<Record<string, string>>;
}

/** Everything the scheduler knows about one job. */
export class JobState {
  /** Latest slot handled (fired, skipped, missed); slots at or before it never run. */
  lastSlot: number;
  nextSlot: number | null = null;
  /** nextSlot plus the interval's jitter. */
  dueAt: number | null = null;
  readonly running = new Map<string, ActiveRun>();
  /** Runs being recorded before spawn: they count as running for overlap. */
  launching = 0;
  queued: PendingRun[] = [];
  retries: PendingRun[] = [];
  /** The process waiting for nextSlot, if one was prepared. */
  prepared: PreparedLaunch | null = null;
  /** The slot a preparation was last attempted for (once per slot, even when it failed). */
  preparedFor: number | null = null;
  /** Why the trigger cannot run (it did not build, or gave an impossible time); then `trigger` is null. */
  problem: string | null = null;

  constructor(
    public job: Job,
    public trigger: Trigger | null,
    floor: number,
  ) {
    this.lastSlot = floor;
  }

  get busy(): boolean {
    return this.running.size > 0 || this.launching > 0;
  }
}

/** The job as the API shows it: its next run in its zone (none while paused), last run, problem. */
export function jobView(state: JobState, lastRun: Run | null, globallyPaused: boolean, openAlert: OpenAlert | null = null): JobView {
  const { job } = state;
  const zone = triggerZone(job.trigger);
  const showNext = !job.paused && !globallyPaused && state.dueAt !== null && Number.isFinite(state.dueAt);
  // Object.assign rather than a spread: jobs come in many shapes (optional fields), and V8's
  // spread of such objects cost ~10 µs each, 100+ ms for a list of 10,000.
  return Object.assign({}, job, {
    nextRunAt: showNext ? formatInZone(new Date(state.dueAt!), zone) : null,
    lastRun,
    runningRunIds: state.running.size > 0 ? [...state.running.keys()] : [],
    finished: state.trigger !== null && state.nextSlot === null,
    problem: state.problem,
    openAlert,
  });
}
