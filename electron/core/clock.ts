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
}

/** Node's setTimeout fires at once for delays above 2^31−1 ms, so longer sleeps are chunked. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

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
};
