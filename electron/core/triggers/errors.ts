/**
 * The problem of a schedule whose last time has passed (a one-off job's `at`, an interval's
 * `end`): refused for a new or changed schedule, expected of a finished job (an import of
 * one, an edit that keeps its schedule).
 */
export const PASSED = "is in the past";

/**
 * A window whose runs are all behind `now` (its end not yet): nothing left to run, like
 * PASSED. A new job is refused for it; an imported finished job or an unchanged schedule is not.
 */
export const NO_RUN_LEFT = "leaves no run between start and end";

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
