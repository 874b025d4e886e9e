/**
 * Randomness in tests that can be replayed: a seeded sequence, and the seed of a test that
 * picks moments at random (kill rounds), which its failure messages carry.
 */

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): one seed, one sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A fresh seed from the clock, or `SUNDIAL_TEST_SEED` to replay a failure:
 * `SUNDIAL_TEST_SEED=<seed> npx vitest run <file>`.
 */
export function testSeed(): number {
  const given = process.env.SUNDIAL_TEST_SEED;
  return given ? Number(given) : Date.now() % 1_000_000;
}
