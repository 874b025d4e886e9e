/** One-off trigger: fires once at `at`, then the job is finished. */
import type { FieldIssue } from "../../shared/errors.js";
import type { DateTriggerSpec } from "../../shared/schemas.js";
import { TriggerError } from "./errors.js";
import type { Trigger } from "./trigger.js";
import { formatInZone, systemTimeZone } from "./zone.js";

/** Fires once at `spec.at`. */
export class DateTrigger implements Trigger {
  readonly spec: DateTriggerSpec;
  private readonly atMs: number;

  /** Throws TriggerError when `at` is not a date-time. */
  constructor(spec: DateTriggerSpec) {
    this.spec = spec;
    this.atMs = Date.parse(spec.at);
    if (Number.isNaN(this.atMs)) throw new TriggerError("trigger.at", "must be an ISO 8601 date-time");
  }

  next(after: Date): Date | null {
    return this.atMs > after.getTime() ? new Date(this.atMs) : null;
  }

  describe(): string {
    return `Once at ${formatInZone(new Date(this.atMs), systemTimeZone())}`;
  }
}

/** Every problem with a date spec, field names relative to the job. */
export function validateDateSpec(spec: DateTriggerSpec, now: Date): FieldIssue[] {
  const atMs = Date.parse(spec.at);
  if (Number.isNaN(atMs)) return [{ field: "trigger.at", message: "must be an ISO 8601 date-time" }];
  if (atMs <= now.getTime()) return [{ field: "trigger.at", message: "is in the past" }];
  return [];
}
