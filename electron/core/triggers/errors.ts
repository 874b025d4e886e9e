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
