/**
 * Run conditions at the moment a run falls due (issue 15): a job's `conditions` are checked
 * for every run the engine starts by itself (a slot on time, a catch-up, a retry of a
 * scheduled run); a run a person asks for (Run now, the tray) is not held back. An unmet
 * condition under `whenUnmet: "skip"` records the run `skipped` with the condition's words;
 * under `"wait"` the run is recorded `waiting` and kept on its job's state until the
 * conditions hold (then it starts under the same id) or its `waitUpToSeconds` is over (then
 * it is recorded skipped). One run waits per job: slots falling due meanwhile are folded
 * into it, as a catch-up folds missed slots into one run.
 *
 * Clock conditions say when they will hold (conditions.ts `nextTimeConditionsMet`), and the
 * wake loop is armed for that moment; power and network conditions are re-checked when the
 * SystemState reports a change, which is listened to only while such a run waits.
 */
import type { Job, Run, RunReason } from "../../shared/schemas.js";
import { hasConditions, hasSystemConditions, nextTimeConditionsMet, unmetCondition, type UnmetCondition } from "../../shared/conditions.js";
import { DEFAULT_WHEN_UNMET_POLICY } from "../../shared/policies.js";
import { unmetConditionWords, waitedTooLongWords, waitEndedWords, waitingWords } from "../../shared/wording.js";
import type { Clock } from "../clock.js";
import { DAY_MS } from "../../shared/civil-time.js";
import type { RunLauncher } from "../run-launcher.js";
import type { SystemState } from "../system-state/system-state.js";
import { triggersZone } from "../../shared/trigger-kinds.js";
import type { JobState } from "./job-state.js";

/** A run held back by its job's conditions under `whenUnmet: "wait"`. */
export interface WaitingRun {
  /** Its record (status `waiting`); the run keeps this id when it starts or is skipped. */
  run: Run;
  scheduledAt: number | null;
  reason: RunReason;
  attempt: number;
  /** What the event that started it adds to its environment (SUNDIAL_PARENT_*, …). */
  env?: Record<string, string>;
  /** When its wait is over (Infinity: no limit). */
  deadline: number;
  /** When to look again: when the clock conditions will hold, or the deadline. */
  nextCheck: number;
}

/** A run falling due, as the gate sees it. */
export interface DueRun {
  scheduledAt: number | null;
  reason: RunReason;
  attempt: number;
  env?: Record<string, string>;
}

/** What a due run does about its conditions: go ahead, or it has been dealt with here. */
export type ConditionVerdict = "go" | "held";

export interface ConditionGateOptions {
  clock: Clock;
  launcher: RunLauncher;
  system: SystemState;
  log: (line: string) => void;
  warn: (message: string) => void;
  /** Power or network changed while a run waits on them: check again. */
  onSystemChange: () => void;
}

/** The zone a job's conditions are read in: its schedule's (the zone its times are shown in). */
export function conditionZone(job: Job): string {
  return triggersZone(job.triggers);
}

export class ConditionGate {
  readonly #options: ConditionGateOptions;
  /** Jobs with a waiting run that may hinge on power or network. */
  readonly #watching = new Set<string>();
  #unsubscribe: (() => void) | null = null;

  constructor(options: ConditionGateOptions) {
    this.#options = options;
  }

  /** The first of the job's conditions that does not hold now, or null (none set, all hold). */
  unmetNow(job: Job, now: number): UnmetCondition | null {
    if (!hasConditions(job.conditions)) return null;
    const { system } = this.#options;
    return unmetCondition(job.conditions, now, conditionZone(job), { onAcPower: system.onAcPower(), online: system.isOnline() });
  }

  /**
   * A run is due (a slot, a catch-up, a retry, or an event trigger's run): "go" when it may
   * start (no conditions, they hold, or a person asked for it: a manual run and the retries of
   * one, which have no slot). Otherwise it is recorded skipped, becomes the job's
   * waiting run, or is folded into the one already waiting, and the answer is "held".
   */
  check(state: JobState, request: DueRun, now: number): ConditionVerdict {
    const { job } = state;
    if (request.reason === "manual" || (request.reason === "retry" && request.scheduledAt === null)) return "go";
    // Joins the run already waiting, even when the conditions hold now: that run starts in
    // this same pass (Scheduler #tick releases it right after the due slots), once.
    if (state.waiting) {
      this.#options.log(`"${job.name}": a run due now joins the run already waiting (${state.waiting.run.error ?? "waiting"})`);
      return "held";
    }
    const unmet = this.unmetNow(job, now);
    if (unmet === null) return "go";
    if ((job.whenUnmet ?? DEFAULT_WHEN_UNMET_POLICY) === "skip") {
      this.#record(job, "skipped", request, unmetConditionWords(unmet));
      return "held";
    }
    this.#beginWait(state, request, unmet, now);
    return "held";
  }

  /**
   * Looks at the job's waiting run again: returns it when its conditions now hold (the
   * caller starts it), records it skipped when its wait is over, else plans the next look.
   */
  recheck(state: JobState, now: number): WaitingRun | null {
    const waiting = state.waiting;
    if (!waiting) return null;
    const unmet = this.unmetNow(state.job, now);
    if (unmet === null) {
      this.#clear(state);
      return waiting;
    }
    if (now >= waiting.deadline) {
      this.#clear(state);
      this.#record(state.job, "skipped", waiting, waitedTooLongWords(unmet, now - (Date.parse(waiting.run.endedAt ?? "") || now)), waiting.run.id);
      return null;
    }
    waiting.nextCheck = this.#nextCheck(state.job, unmet, now, waiting.deadline);
    this.#watchIfNeeded(state);
    return null;
  }

  /** Ends the job's waiting run without starting it (paused, removed, Sundial stopping): recorded skipped with `why`. */
  drop(state: JobState, why: string): Promise<void> {
    const waiting = state.waiting;
    if (!waiting) return Promise.resolve();
    this.#clear(state);
    return this.#record(state.job, "skipped", waiting, waitEndedWords(why, waiting.run), waiting.run.id);
  }

  /** Stops listening to the SystemState (the engine stops). */
  close(): void {
    this.#watching.clear();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #beginWait(state: JobState, request: DueRun, unmet: UnmetCondition, now: number): void {
    const { job } = state;
    const deadline = job.waitUpToSeconds === undefined ? Infinity : now + job.waitUpToSeconds * 1000;
    const waiting: WaitingRun = {
      run: this.#options.launcher.waitingRun(job, request, waitingWords(unmet)),
      scheduledAt: request.scheduledAt,
      reason: request.reason,
      attempt: request.attempt,
      ...(request.env ? { env: request.env } : {}),
      deadline,
      nextCheck: this.#nextCheck(job, unmet, now, deadline),
    };
    state.waiting = waiting;
    this.#watchIfNeeded(state);
    this.#options.log(`"${job.name}" waits: ${unmetConditionWords(unmet)}`);
    void this.#options.launcher.recordWaiting(waiting.run).catch((error: Error) => this.#options.warn(`could not record the waiting run of "${job.name}": ${error.message}`));
  }

  /** When clock conditions hold next (within the deadline); power and network are told by events. */
  #nextCheck(job: Job, unmet: UnmetCondition, now: number, deadline: number): number {
    if (unmet.kind === "acPower" || unmet.kind === "online") return deadline;
    const holds = nextTimeConditionsMet(job.conditions, now, conditionZone(job), deadline);
    // Not within the search (a skip range of years): look again in a day rather than never.
    return holds ?? Math.min(deadline, now + DAY_MS);
  }

  #record(job: Job, status: "skipped", request: DueRun, words: string, runId?: string): Promise<void> {
    // An event's run has no slot: its record carries the moment it was held back.
    const at = request.scheduledAt ?? this.#options.clock.now();
    return this.#options.launcher
      .recordWithoutRunning(job, status, at, request.reason, words, { attempt: request.attempt, ...(runId ? { runId } : {}) })
      .then(
        () => undefined,
        (error: Error) => this.#options.warn(`could not record a skipped run of "${job.name}": ${error.message}`),
      );
  }

  #clear(state: JobState): void {
    state.waiting = null;
    if (this.#watching.delete(state.job.id)) this.#updateSubscription();
  }

  #watchIfNeeded(state: JobState): void {
    const needs = hasSystemConditions(state.job.conditions);
    const has = this.#watching.has(state.job.id);
    if (needs === has) return;
    if (needs) this.#watching.add(state.job.id);
    else this.#watching.delete(state.job.id);
    this.#updateSubscription();
  }

  #updateSubscription(): void {
    if (this.#watching.size > 0 && !this.#unsubscribe) this.#unsubscribe = this.#options.system.onChange(() => this.#options.onSystemChange());
    if (this.#watching.size === 0 && this.#unsubscribe) {
      this.#unsubscribe();
      this.#unsubscribe = null;
    }
  }
}
