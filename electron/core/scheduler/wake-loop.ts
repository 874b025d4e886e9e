/**
 * The wake loop's timer: the only one in the engine. Armed for the earliest due item and
 * capped at `wakeCapMs` so wall-clock jumps and suspends are noticed; a timer that fires
 * early simply re-arms (DESIGN.md "Timers").
 *
 * A long sleep ends `FINAL_APPROACH_MS` before the due item, and a short one covers the rest:
 * Linux lets a timer of an epoll wait (libuv's) fire late by 0.1 % of its length, or 0.5 %
 * when the process is niced (`select_estimate_accuracy`): 1–5 ms on a one-second sleep,
 * about 20 µs on the last 20 ms (issue 12; measured in docs/PERFORMANCE.md). A timer's delay
 * is also whole milliseconds from the event loop's cached time, up to 1 ms late again: with a
 * clock that can wait finely (`Clock.waitUntil`, the system clock), the short sleep ends
 * `LAST_MOMENT_MS` early and the rest is waited out on the thread.
 */
import type { Clock, TimerHandle } from "../clock.js";
import { MAX_TIMER_MS } from "../clock.js";
import type { JobState } from "./job-state.js";
import { PREPARE_LEAD_MS } from "./prepare-pass.js";

/** The short last sleep before a due item (see above); only sleeps longer than twice this are split. */
export const FINAL_APPROACH_MS = 20;
/** The thread blocks (futex waits) at most this long before a due item, instead of a timer's last millisecond. */
export const LAST_MOMENT_MS = 2;

export interface WakeLoopOptions {
  clock: Clock;
  /** Longest sleep; bounds how late a clock change or suspend is noticed. */
  wakeCapMs: number;
  /** Wall and monotonic clocks disagreeing by more than this means the clock jumped. */
  clockJumpToleranceMs: number;
  /** The timer fired. */
  onWake: () => void;
  /** The wall clock moved `driftMs` more than the monotonic clock since the last reading. */
  onClockJump: (driftMs: number) => void;
}

export class WakeLoop {
  readonly #options: WakeLoopOptions;
  #timer: TimerHandle | null = null;
  /** What the timer was armed for (the earliest due item); nothing is due before it. */
  #armedFor = -Infinity;
  /** The last reading of both clocks, to notice the wall clock jumping between readings. */
  #lastWall: number | null = null;
  #lastMono = 0;

  constructor(options: WakeLoopOptions) {
    this.#options = options;
  }

  /**
   * Reads the wall clock and checks it moved as much as the monotonic clock since the last
   * reading. When it did not (NTP step, manual change, suspend), `onClockJump` recomputes;
   * due slots are then handled by the ordinary path: slots now in the past go through
   * catch-up, and slots at or before the last handled one (a backward jump) never run again.
   */
  readClock(): number {
    const { clock } = this.#options;
    const now = clock.now();
    const mono = clock.monotonic();
    if (this.#lastWall !== null) {
      const drift = now - (this.#lastWall + (mono - this.#lastMono));
      if (Math.abs(drift) > this.#options.clockJumpToleranceMs) {
        this.#options.onClockJump(drift);
        this.#armedFor = -Infinity;
      }
    }
    this.#lastWall = now;
    this.#lastMono = mono;
    return now;
  }

  /**
   * A wake-up only to check the clock (the cap), with nothing due and the clock sane: every
   * state change re-arms, so nothing can be due before the armed time. Sleeps again and
   * says so; false when something may be due.
   */
  sleepIfEarly(now: number): boolean {
    if (now >= this.#armedFor) return false;
    this.#setTimer(this.#armedFor, now);
    return true;
  }

  /**
   * Within LAST_MOMENT_MS of the due item (the short sleep ends that early), waits on the
   * thread until it and reads the clock again; otherwise returns `now`.
   */
  waitOutLastMoment(now: number): number {
    const { clock } = this.#options;
    const left = this.#armedFor - now;
    if (!clock.waitUntil || !(left > 0 && left <= LAST_MOMENT_MS)) return now;
    clock.waitUntil(this.#armedFor, LAST_MOMENT_MS);
    return this.readClock();
  }

  /** Arms the one timer for `target` (nothing is due before it), capped so clock changes are noticed. */
  armFor(target: number, now: number): void {
    this.#armedFor = target;
    this.#setTimer(target, now);
  }

  clear(): void {
    if (this.#timer) this.#options.clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  #onTimer = (): void => {
    this.#timer = null;
    this.#options.onWake();
  };

  #setTimer(target: number, now: number): void {
    this.clear();
    const untilDue = target - now;
    // The early wake-up finds nothing due and re-arms (sleepIfEarly) for the last stretch,
    // whose last moment is waited out (waitOutLastMoment) where the clock can.
    const dueBound = untilDue <= this.#options.wakeCapMs;
    const approach = !dueBound ? 0 : untilDue > 2 * FINAL_APPROACH_MS ? FINAL_APPROACH_MS : this.#options.clock.waitUntil ? LAST_MOMENT_MS : 0;
    const delay = Math.max(0, Math.min(untilDue - approach, this.#options.wakeCapMs, MAX_TIMER_MS));
    this.#timer = this.#options.clock.setTimer(this.#onTimer, delay);
  }
}

/**
 * The earliest due item over the jobs not paused: a slot (or, when processes are prepared,
 * the time to prepare its process ahead), a retry, a delayed event run, or a look at a run
 * waiting for its conditions. Infinity when there is none.
 */
export function earliestWake(states: Iterable<JobState>, now: number, preparing: boolean): number {
  let target = Infinity;
  for (const state of states) {
    if (state.job.paused) continue;
    if (state.dueAt !== null) {
      // Wake to prepare the slot's process ahead; inside the lead the prepare pass has it.
      const prepareAt = state.dueAt - PREPARE_LEAD_MS;
      const at = preparing && state.preparedFor !== state.nextSlot && prepareAt > now ? prepareAt : state.dueAt;
      if (at < target) target = at;
    }
    for (const pending of state.retries) if (pending.dueAt < target) target = pending.dueAt;
    for (const pending of state.delayed) if (pending.dueAt < target) target = pending.dueAt;
    if (state.waiting && state.waiting.nextCheck < target) target = state.waiting.nextCheck;
  }
  return target;
}
