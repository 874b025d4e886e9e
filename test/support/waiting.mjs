// Waiting in tests and benchmarks: the one `sleep` and the one `waitFor`. Plain JavaScript
// (types in waiting.d.mts) so that fixture scripts and bench/ can import it under plain node.

/** Resolves after `ms` milliseconds of real time. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns a truthy value, and returns that value; fails with
 * "Timed out waiting for <what>" after `timeoutMs`. Polls often at first (from 5 ms) and
 * backs off to every 100 ms, so a quick condition costs little and a slow one (a CLI call
 * per check) does not hammer the machine.
 */
export async function waitFor(check, timeoutMs = 15_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(pause);
  }
}
