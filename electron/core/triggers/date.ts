/** One-off trigger: fires once at `at`, then the job is finished. */
import type { FieldIssue } from "../../shared/errors.js";
import type { DateTriggerSpec } from "../../shared/schemas.js";
import { PASSED, TriggerError } from "./errors.js";
import { storedInstant } from "./interval.js";
import type { Trigger } from "./trigger.js";

/** Fires once at `spec.at`. */
export class DateTrigger implements Trigger {
  readonly spec: DateTriggerSpec;
  private readonly atMs: number;

  /** Throws TriggerError when `at` is not a date-time within years 1970..9999. */
  constructor(spec: DateTriggerSpec) {
    this.spec = spec;
    const { ms, problem } = storedInstant(spec.at);
    if (problem !== undefined) throw new TriggerError("trigger.at", problem);
    this.atMs = ms;
  }

  next(after: Date): Date | null {
    return this.atMs > after.getTime() ? new Date(this.atMs) : null;
  }
}

/** Every problem with a date spec, field names relative to the job. */
export function validateDateSpec(spec: DateTriggerSpec, now: Date): FieldIssue[] {
  const { ms: atMs, problem } = storedInstant(spec.at);
  if (problem !== undefined) return [{ field: "trigger.at", message: problem }];
  if (atMs <= now.getTime()) return [{ field: "trigger.at", message: PASSED }];
  return [];
}
