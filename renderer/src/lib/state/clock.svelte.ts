/**
 * The renderer's one ticking timer. Countdowns read `now`; nothing else sets an interval,
 * so 10,000 rows never mean 10,000 timers.
 */
export class Clock {
  /** Milliseconds since the epoch, refreshed every second while started. */
  now = $state(0);
  readonly #readNow: () => number;
  #interval: ReturnType<typeof setInterval> | null = null;

  constructor(readNow: () => number = Date.now) {
    this.#readNow = readNow;
    this.now = readNow();
  }

  /** Starts ticking; returns the function that stops it. */
  start(): () => void {
    this.stop();
    this.now = this.#readNow();
    this.#interval = setInterval(() => {
      this.now = this.#readNow();
    }, 1000);
    return () => this.stop();
  }

  stop(): void {
    if (this.#interval !== null) clearInterval(this.#interval);
    this.#interval = null;
  }
}
