/**
 * What the scheduler knows about one job, and how a job reads to the front ends (its view).
 */
import type { Job, JobView, Run, RunReason } from "../../shared/schemas.js";
import type { JobTimes } from "../triggers/job-times.js";
import type { OpenAlert } from "../../shared/alert-rules.js";
import { formatInZone } from "../triggers/index.js";
import { triggersZone } from "../../shared/trigger-kinds.js";
import { isTimeTriggerType } from "../../shared/trigger-types.js";
import type { ActiveRun, PreparedLaunch } from "../run-launcher.js";
import type { WaitingRun } from "./condition-gate.js";

/** A run waiting to start: a retry waiting out its delay, or a slot queued behind a running run. */
export interface PendingRun {
  scheduledAt: number | null;
  reason: RunReason;
  attempt: number;
  /** When it may start (retries wait; queued runs start when the job is free). */
  dueAt: number;
  /** The id of its `waiting` record, when it waited for the job's conditions first. */
  runId?: string;
  /** Variables an event adds to the run (SUNDIAL_PARENT_*, SUNDIAL_CHANGED_PATHS). */
  env?: Record<string, string>;
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
  /** What an event source said is wrong with the job's event trigger (a watched path gone), or null. */
  eventProblem: string | null = null;
  /** Event runs waiting out their trigger's delay (a `startup` or `wake` with `delaySeconds`). */
  delayed: PendingRun[] = [];
  /** The variables each of its event runs in progress was started with, by run id (a retry gets them again). */
  readonly eventEnv = new Map<string, Record<string, string>>();
  /** The process waiting for nextSlot, if one was prepared. */
  prepared: PreparedLaunch | null = null;
  /** The slot a preparation was last attempted for (once per slot, even when it failed). */
  preparedFor: number | null = null;
  /**
   * Why the job cannot run as defined (a time trigger did not build or gave an impossible time,
   * then `trigger` is null; an `after` names a job that is gone).
   */
  problem: string | null = null;
  /** The run waiting for the job's conditions (issue 15), at most one. */
  waiting: WaitingRun | null = null;

  constructor(
    public job: Job,
    /** The job's time triggers together; null for a job without one (manual, events only) or a broken one. */
    public trigger: JobTimes | null,
    floor: number,
  ) {
    this.lastSlot = floor;
  }

  get busy(): boolean {
    return this.running.size > 0 || this.launching > 0;
  }
}

/** The job as the API shows it: its next run in its zone (none while paused), last run, problem. */
export function jobView(state: JobState, lastRun: Run | null, globallyPaused: boolean, openAlert: OpenAlert | null = null, jobExists: (jobId: string) => boolean = () => true): JobView {
  const { job } = state;
  const zone = triggersZone(job.triggers);
  const showNext = !job.paused && !globallyPaused && state.dueAt !== null && Number.isFinite(state.dueAt);
  // Object.assign rather than a spread: jobs come in many shapes (optional fields), and V8's
  // spread of such objects cost ~10 µs each, 100+ ms for a list of 10,000.
  return Object.assign({}, job, {
    nextRunAt: showNext ? formatInZone(new Date(state.dueAt!), zone) : null,
    lastRun,
    runningRunIds: state.running.size > 0 ? [...state.running.keys()] : [],
    finished: state.trigger !== null && state.nextSlot === null && job.triggers.every((spec) => isTimeTriggerType(spec.type)),
    problem: state.problem ?? missingParentProblem(job, jobExists) ?? state.eventProblem,
    openAlert,
    tags: job.tags ?? [],
    waiting: state.waiting ? { run: state.waiting.run, until: Number.isFinite(state.waiting.deadline) ? formatInZone(new Date(state.waiting.deadline), zone) : null } : null,
  });
}

/**
 * An `after` trigger whose job was removed since: the trigger can never fire again. Said on
 * the child (its `problem`), never a crash; the words name the trigger's field.
 */
function missingParentProblem(job: Job, jobExists: (jobId: string) => boolean): string | null {
  const index = job.triggers.findIndex((trigger) => trigger.type === "after" && !jobExists(trigger.job));
  return index < 0 ? null : `triggers[${index}].job: the job it runs after was removed, so this trigger never fires (edit the job's triggers)`;
}
