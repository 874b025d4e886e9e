import type { Clock, TimerHandle } from "../../electron/core/clock.js";

interface PendingTimer {
  id: number;
  at: number; // monotonic time it is due
  callback: () => void;
}

/**
 * A clock the test moves by hand. `advance` moves both clocks and fires due timers in order;
 * `jumpWall` moves only the wall clock, like NTP, a user, or a suspend would.
 */
export class FakeClock implements Clock {
  #wall: number;
  #mono = 1_000;
  #timers: PendingTimer[] = [];
  #nextId = 1;
  /** Every delay the code under test asked for, in order (to check caps and wake counts). */
  readonly requestedDelays: number[] = [];

  constructor(start: Date | string) {
    this.#wall = new Date(start).getTime();
  }

  now(): number {
    return this.#wall;
  }
  monotonic(): number {
    return this.#mono;
  }
  setTimer(callback: () => void, ms: number): TimerHandle {
    this.requestedDelays.push(ms);
    const timer = { id: this.#nextId++, at: this.#mono + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return timer;
  }
  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer !== handle);
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    // Work the test set off before moving time (e.g. a run it just finished) happens "now".
    await settle();
    const target = this.#mono + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const timer = this.#timers[0];
      if (!timer || timer.at > target) break;
      this.#timers.shift();
      this.#wall += timer.at - this.#mono;
      this.#mono = timer.at;
      timer.callback();
      await settle();
    }
    this.#wall += target - this.#mono;
    this.#mono = target;
    await settle();
  }

  /** Moves both clocks without firing timers: time the thread spent blocked (Clock.waitUntil). */
  pass(ms: number): void {
    this.#wall += ms;
    this.#mono += ms;
  }

  /** Moves the wall clock only (a clock change or a suspend the monotonic clock did not see). */
  jumpWall(ms: number): void {
    this.#wall += ms;
  }

  /** Sets the wall clock to an instant. */
  setWall(at: Date | string): void {
    this.#wall = new Date(at).getTime();
  }
}

/** A FakeClock that can also wait finely on the thread, as the system clock can (`Clock.waitUntil`). */
export class FinelyWaitingClock extends FakeClock {
  /** How long each wait blocked, in order. */
  readonly waits: number[] = [];

  waitUntil(wallMs: number, maxMs: number): void {
    const ms = Math.min(wallMs - this.now(), maxMs);
    if (ms <= 0) return;
    this.waits.push(ms);
    this.pass(ms);
  }
}

/** Lets promise chains started by timers run to completion. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
