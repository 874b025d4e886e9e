/**
 * Where the engine gets time from. The scheduler takes a Clock so policy tests can drive a
 * fake one; this module and the scheduler's wake loop are the only places that own a timer.
 */
import { performance } from "node:perf_hooks";

export type TimerHandle = { readonly __timer: unique symbol } | object;

export interface Clock {
  /** Wall-clock time in epoch milliseconds (may jump: NTP, user changes, suspend). */
  now(): number;
  /** Monotonic milliseconds since an arbitrary origin; never jumps backwards. */
  monotonic(): number;
  /** Calls `callback` after `ms` (callers keep `ms` ≤ MAX_TIMER_MS). */
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /**
   * Blocks the thread until the wall clock reads `wallMs`, for at most `maxMs`: the last
   * moment before a due slot, finer than a timer (whose delays are whole milliseconds, counted
   * from the event loop's cached time). Optional: without it the wake loop only uses timers.
   */
  waitUntil?(wallMs: number, maxMs: number): void;
}

/** Node's setTimeout fires at once for delays above 2^31−1 ms, so longer sleeps are chunked. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** What `waitUntil` waits on; nothing ever notifies it. */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    // The timer must not keep a process alive on its own (CLI, tests); hosts keep themselves alive.
    timer.unref?.();
    return timer;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  ...(threadCanWait() && {
    waitUntil: (wallMs: number, maxMs: number) => {
      const end = performance.now() + maxMs;
      // Short futex waits (~50 µs of slack each) until Date.now(), whole milliseconds, reaches the target.
      for (let left = maxMs; Date.now() < wallMs && left > 0; left = end - performance.now()) Atomics.wait(sleepCell, 0, 0, Math.min(left, 0.1));
    },
  }),
};

/** Whether this thread may block in Atomics.wait (Node's may; a host can forbid it). */
function threadCanWait(): boolean {
  try {
    Atomics.wait(sleepCell, 0, 0, 0);
    return true;
  } catch {
    return false;
  }
}
