/**
 * Coalesces bursts into one call after `waitMs` of quiet, but never later than `maxWaitMs`
 * after the first call: a job printing output every 100 ms must not hold the tray back forever.
 */
export interface Debounced {
  (): void;
  /** Drops a pending call (on quit). */
  cancel(): void;
}

export function debounce(callback: () => void, waitMs: number, maxWaitMs = waitMs * 4): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstCallAt: number | null = null;

  const fire = () => {
    timer = null;
    firstCallAt = null;
    callback();
  };

  const debounced = (() => {
    const now = Date.now();
    firstCallAt ??= now;
    if (timer) clearTimeout(timer);
    const delay = Math.max(0, Math.min(waitMs, firstCallAt + maxWaitMs - now));
    timer = setTimeout(fire, delay);
  }) as Debounced;
  debounced.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    firstCallAt = null;
  };
  return debounced;
}
