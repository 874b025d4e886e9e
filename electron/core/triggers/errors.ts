/**
 * The problem of a schedule whose last time has passed (a one-off job's `at`, an interval's
 * `end`): refused for a new or changed schedule, expected of a finished job (an import of
 * one, an edit that keeps its schedule).
 */
export const PASSED = "is in the past";

/** A trigger spec that cannot be turned into a trigger; `field` is relative to the job. */
export class TriggerError extends Error {
  override name = "TriggerError";
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}
