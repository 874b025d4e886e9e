/** Resolves after `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void>;

/**
 * Polls `check` until it returns a truthy value, and returns that value; fails with
 * "Timed out waiting for <what>" after `timeoutMs` (default 15 s).
 */
export function waitFor<T>(check: () => Promise<T> | T, timeoutMs?: number, what?: string): Promise<NonNullable<T>>;
