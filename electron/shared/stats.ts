/**
 * Order statistics over a sample of numbers (run durations), in one place: the alerts' `auto`
 * limit and a job's stats (issue 17) read the same median. Zod-free and Node-free.
 */

/** The median of `values` (the mean of the two middle ones for an even count), or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The `p`th percentile (0 < p ≤ 100) by the nearest-rank method: the smallest value with at
 * least p % of the sample at or below it, always one of the values. Null for an empty sample.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
