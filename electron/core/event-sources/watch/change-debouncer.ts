/**
 * Turns a burst of file changes into one run (DESIGN.md "Beyond the clock", `watch`): the
 * burst ends after `quietMs` without a change, or at the latest `maxWaitMs` after its first
 * change, so a folder that never goes quiet (a log being written) still runs now and then.
 * One timer per burst, re-armed only when it fires: a flood of changes costs a Set insert
 * each, not a timer each.
 */
import type { Clock, TimerHandle } from "../../clock.js";

/** A burst that ended: the paths that changed (first seen first), and whether some were left out. */
export interface ChangeBurst {
  paths: string[];
  /** More paths changed than `maxPaths`; `paths` holds the first ones. */
  truncated: boolean;
}

export interface ChangeDebouncerOptions {
  clock: Clock;
  /** The burst ends after this long without a change. */
  quietMs: number;
  /** …or this long after its first change, whichever comes first. */
  maxWaitMs: number;
  /** At most this many paths are kept per burst (memory stays bounded under a flood). */
  maxPaths: number;
  onBurst: (burst: ChangeBurst) => void;
}

export class ChangeDebouncer {
  readonly #options: ChangeDebouncerOptions;
  #paths = new Set<string>();
  #truncated = false;
  #firstAt = 0;
  #lastAt = 0;
  #timer: TimerHandle | null = null;

  constructor(options: ChangeDebouncerOptions) {
    this.#options = options;
  }

  /** A change at `path`: starts a burst, or extends the one going on. */
  add(path: string): void {
    const now = this.#options.clock.monotonic();
    if (this.#paths.size < this.#options.maxPaths) this.#paths.add(path);
    else if (!this.#paths.has(path)) this.#truncated = true;
    this.#lastAt = now;
    if (this.#timer === null) {
      this.#firstAt = now;
      this.#arm(now);
    }
  }

  /** Whether a burst is under way. */
  get pending(): boolean {
    return this.#timer !== null;
  }

  /** Forgets the burst under way, if any, without ending it. */
  cancel(): void {
    if (this.#timer !== null) this.#options.clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#paths = new Set();
    this.#truncated = false;
  }

  #dueAt(): number {
    return Math.min(this.#lastAt + this.#options.quietMs, this.#firstAt + this.#options.maxWaitMs);
  }

  #arm(now: number): void {
    this.#timer = this.#options.clock.setTimer(() => this.#onTimer(), Math.max(0, this.#dueAt() - now));
  }

  #onTimer(): void {
    const now = this.#options.clock.monotonic();
    if (now < this.#dueAt()) {
      // Changes came in since the timer was set: the quiet period starts from the last one.
      this.#arm(now);
      return;
    }
    const burst: ChangeBurst = { paths: [...this.#paths], truncated: this.#truncated };
    this.#timer = null;
    this.#paths = new Set();
    this.#truncated = false;
    this.#options.onBurst(burst);
  }
}
