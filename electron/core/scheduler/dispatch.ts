/**
 * Carrying runs out: a due slot is run on time or goes through catch-up (policies.ts), a
 * slot that finds its job still running goes through the overlap policy, queued runs and
 * retries start when they may, and every run is handed to the RunLauncher.
 */
import type { OverlapPolicy, Run, RunReason } from "../../shared/schemas.js";
import { isEventReason } from "../../shared/run-statuses.js";
import type { Clock } from "../clock.js";
import type { ActiveRun, LaunchRequest, PreparedLaunch, RunLauncher } from "../run-launcher.js";
import type { JobRegistry } from "./job-registry.js";
import type { JobState } from "./job-state.js";
import { planCatchUp } from "./policies.js";
import type { PreparePass } from "./prepare-pass.js";
import { askNextSlot, dueAtOf, dueSlots } from "./slots.js";
import { tracePoint } from "../trace.js";
import type { ConditionGate, WaitingRun } from "./condition-gate.js";

export interface RunDispatchOptions {
  clock: Clock;
  launcher: RunLauncher;
  jobs: JobRegistry;
  prepare: PreparePass;
  /** The job's run conditions (issue 15), checked before the overlap policy. */
  gate: ConditionGate;
  /** A single slot this late is still an ordinary run; later than this it is a missed run. */
  onTimeToleranceMs: number;
  /** At most this many runs for `catchUp: all` (the rest are recorded as missed). */
  catchUpRunCap: number;
  /** At most this many slots waiting under `overlap: queue`. */
  queueCap: number;
  log: (line: string) => void;
  /** Logged and published as an engine warning. */
  warn: (message: string) => void;
  /** Moves the job's next slot on from its last handled one. */
  computeNext: (state: JobState) => void;
  /** A run started here ended (recorded). */
  onRunEnded: (state: JobState, run: Run) => void;
  /** A run started (recorded and spawned). */
  onRunStarted?: (state: JobState, run: Run) => void;
  /** Slots of a job were found missed (`caughtUp`: at least one of them runs now). */
  onMissed?: (state: JobState, caughtUp: boolean) => void;
}

export class RunDispatch {
  readonly #options: RunDispatchOptions;

  constructor(options: RunDispatchOptions) {
    this.#options = options;
  }

  /**
   * Before any job's bookkeeping, the prepared processes of the slots due now are let go, all
   * in one pass (issue 12: at 50 runs a second, each run's bookkeeping before the next one's
   * release made the fiftieth ~9 ms late). Only a run `handleDue` will surely launch from its
   * prepared process, judged the same way: its one slot due, on time, the job free and its
   * conditions met (all decided within this same synchronous tick). `handleDue` follows for
   * every job as usual; the launch records what was released here.
   */
  releaseOnTime(states: Iterable<JobState>, now: number): void {
    const ready: PreparedLaunch[] = [];
    for (const state of states) {
      const prepared = state.prepared;
      if (!prepared || state.job.paused || state.dueAt === null || state.dueAt > now) continue;
      if (prepared.slot !== state.nextSlot || now - state.dueAt > this.#options.onTimeToleranceMs || this.#laterSlotDue(state, prepared.slot, now)) continue;
      if (state.busy || state.queued.length > 0 || state.waiting || this.#options.gate.unmetNow(state.job, now) !== null) continue;
      tracePoint("due", state.job.id, prepared.slot);
      ready.push(prepared);
    }
    if (ready.length > 0) this.#options.launcher.releaseAhead(ready);
  }

  /** Whether a slot after `slot` is due by `now` too (catch-up then decides), or the trigger cannot say (`handleDue` marks the job broken). */
  #laterSlotDue(state: JobState, slot: number, now: number): boolean {
    if (!state.trigger) return true;
    const answer = askNextSlot(state.trigger, slot);
    return typeof answer === "string" || (answer.slot !== null && dueAtOf(state, answer.slot) <= now);
  }

  /** The job's slot is due: run it on time, or apply catch-up to the slots missed. */
  handleDue(state: JobState, now: number): void {
    const { slots, total } = dueSlots(state, now, this.#options.catchUpRunCap, this.#options.warn);
    if (slots.length === 0) return;
    const latest = slots[slots.length - 1]!;
    // A run its release pass let go was traced there.
    if ((state.prepared?.released ?? null) === null) tracePoint("due", state.job.id, latest);
    const prepared = this.#options.prepare.take(state);
    state.lastSlot = latest;
    this.#options.computeNext(state);
    if (total === 1 && now - dueAtOf(state, latest) <= this.#options.onTimeToleranceMs) {
      this.#fire(state, latest, "schedule", 1, undefined, prepared?.slot === latest ? prepared : undefined);
      if (prepared && prepared.slot !== latest) prepared.discard();
    } else {
      prepared?.discard();
      this.#catchUp(state, slots, total, now);
    }
  }

  #catchUp(state: JobState, slots: number[], total: number, now: number): void {
    const { job } = state;
    const { toRun, missed, missedAt, why } = planCatchUp(job, slots, total, now);
    this.#options.log(`"${job.name}" missed ${total} run(s); catch-up ${job.catchUp}: running ${toRun.length}`);
    this.#options.onMissed?.(state, toRun.length > 0);
    if (missed > 0) {
      void this.#options.launcher
        .recordWithoutRunning(job, "missed", missedAt, "schedule", why, { missedCount: missed })
        .catch((error: Error) => this.#options.warn(`could not record missed runs of "${job.name}": ${error.message}`));
    }
    // Several catch-up runs of one job run one after another, never on top of each other.
    for (const slot of toRun) this.#fire(state, slot, "catch-up", 1, toRun.length > 1 ? "queue" : undefined);
  }

  /** An event trigger's run (startup, wake, watch, after): like a slot, its conditions, then the overlap policy. */
  fireEvent(state: JobState, reason: RunReason, env?: Record<string, string>): void {
    this.#fire(state, null, reason, 1, undefined, undefined, env);
  }

  /**
   * A run waiting for its job's conditions is looked at again (condition-gate.ts): when they
   * hold it starts now, under the overlap policy like any due run.
   */
  releaseWaiting(state: JobState, now: number): void {
    const waiting = this.#options.gate.recheck(state, now);
    if (waiting) this.#fire(state, waiting.scheduledAt, waiting.reason, waiting.attempt, undefined, undefined, waiting.env, waiting);
  }

  /**
   * A run is due: its job's conditions first (a run they hold back is dealt with there), then
   * start it, or apply the overlap policy if the job is still running. `env`: what the event
   * that started it adds. `waited`: the run has waited for the conditions, which now hold; it
   * keeps its id.
   */
  #fire(
    state: JobState,
    slot: number | null,
    reason: RunReason,
    attempt: number,
    overlapOverride?: OverlapPolicy,
    prepared?: PreparedLaunch,
    env?: Record<string, string>,
    waited?: WaitingRun,
  ): void {
    if (!waited && this.#options.gate.check(state, { scheduledAt: slot, reason, attempt, ...(env ? { env } : {}) }, this.#options.clock.now()) === "held") {
      prepared?.discard();
      return;
    }
    const runId = waited?.run.id;
    const overlap = overlapOverride ?? state.job.overlap;
    if (state.busy || (overlap === "queue" && state.queued.length > 0)) {
      if (overlap === "skip" || overlap === "queue") prepared?.discard();
      switch (overlap) {
        case "skip": {
          // An event's run has no slot: its skip is recorded at the moment the event came.
          const at = slot ?? (isEventReason(reason) || runId ? this.#options.clock.now() : null);
          if (at === null) return;
          void this.#options.launcher
            .recordWithoutRunning(state.job, "skipped", at, reason, "the previous run was still running", { attempt, ...(runId ? { runId } : {}) })
            .catch((error: Error) => this.#options.warn(`could not record a skipped run of "${state.job.name}": ${error.message}`));
          return;
        }
        case "queue":
          if (state.queued.length >= this.#options.queueCap) {
            this.#options.warn(`"${state.job.name}": more than ${this.#options.queueCap} runs waiting; dropping one`);
            return;
          }
          state.queued.push({ scheduledAt: slot, reason, attempt, dueAt: this.#options.clock.now(), ...(runId ? { runId } : {}), ...(env ? { env } : {}) });
          return;
        case "replace":
          this.replaceRunning(state);
          break;
        case "parallel":
          break;
      }
    }
    void this.launch(state, { reason, scheduledAt: slot, attempt, ...(runId ? { runId } : {}), ...(env ? { env } : {}) }, prepared);
  }

  /** `overlap: replace`: the job's running runs are cancelled for a newer one. */
  replaceRunning(state: JobState): void {
    for (const active of state.running.values()) active.cancel("cancelled", "replaced by a newer run");
  }

  /** Starts queued runs when the job is free, and retries whose delay has passed. */
  startPending(state: JobState, now: number): void {
    // The common case, checked first: every wake-up visits every job (no arrays allocated).
    if (state.retries.length === 0 && state.queued.length === 0 && state.delayed.length === 0) return;
    const readyRetries = state.retries.filter((retry) => retry.dueAt <= now);
    if (readyRetries.length > 0) {
      state.retries = state.retries.filter((retry) => retry.dueAt > now);
      for (const retry of readyRetries) this.#fire(state, retry.scheduledAt, "retry", retry.attempt, state.job.overlap === "parallel" ? "parallel" : "queue", undefined, retry.env);
    }
    const readyEvents = state.delayed.filter((pending) => pending.dueAt <= now);
    if (readyEvents.length > 0) {
      state.delayed = state.delayed.filter((pending) => pending.dueAt > now);
      for (const pending of readyEvents) this.#fire(state, null, pending.reason, 1, undefined, undefined, pending.env);
    }
    if (!state.busy && state.queued.length > 0) {
      const next = state.queued.shift()!;
      void this.launch(state, { reason: next.reason, scheduledAt: next.scheduledAt, attempt: next.attempt, ...(next.runId ? { runId: next.runId } : {}), ...(next.env ? { env: next.env } : {}) });
    }
  }

  /** Records and starts a run; null (with a warning) when it could not start. */
  async launch(state: JobState, request: LaunchRequest, prepared?: PreparedLaunch): Promise<ActiveRun | null> {
    state.launching++;
    this.#options.prepare.launchStarted();
    let active: ActiveRun;
    try {
      active = await this.#options.launcher.launch(state.job, request, prepared);
    } catch (error) {
      this.#options.warn(`could not start "${state.job.name}": ${(error as Error).message}`);
      return null;
    } finally {
      state.launching--;
      this.#options.prepare.launchEnded();
    }
    this.#options.jobs.runStarted(state, active);
    if (request.env) state.eventEnv.set(active.run.id, request.env);
    this.#options.onRunStarted?.(state, active.run);
    void active.finished.then((run) => this.#options.onRunEnded(state, run));
    return active;
  }
}
