/**
 * The triggers' front door: the one switch on `spec.type`, validation, previews and the
 * ISO 8601 formatting the CLI and UI share.
 */
import type { FieldIssue } from "../../shared/errors.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import { CronTrigger, validateCronSpec } from "./cron.js";
import { DateTrigger, validateDateSpec } from "./date.js";
import { TriggerError } from "./errors.js";
import { IntervalTrigger, validateIntervalSpec } from "./interval.js";
import type { Trigger } from "./trigger.js";

export type { Trigger } from "./trigger.js";
export { CronTrigger, CRON_SEARCH_YEARS } from "./cron.js";
export { DateTrigger } from "./date.js";
export { IntervalTrigger, jitterDelayMs } from "./interval.js";
export { TriggerError } from "./errors.js";
export { formatInZone, systemTimeZone } from "./zone.js";

interface TriggerKind {
  create(): Trigger;
  validate(now: Date): FieldIssue[];
}

// The only switch on spec.type: a new trigger type is added here and nowhere else.
function kindOf(spec: TriggerSpec): TriggerKind {
  switch (spec.type) {
    case "cron":
      return { create: () => new CronTrigger(spec), validate: (now) => validateCronSpec(spec, now) };
    case "interval":
      return { create: () => new IntervalTrigger(spec), validate: (now) => validateIntervalSpec(spec, now) };
    case "date":
      return { create: () => new DateTrigger(spec), validate: (now) => validateDateSpec(spec, now) };
    default: {
      const type: unknown = (spec as { type?: unknown }).type;
      throw new TriggerError("trigger.type", `unknown trigger type "${String(type)}"`);
    }
  }
}

/** Builds the trigger for a spec; throws TriggerError (naming the field) when it is invalid. */
export function fromSpec(spec: TriggerSpec): Trigger {
  return kindOf(spec).create();
}

/**
 * Every problem with a spec, relative to the job (`trigger.expression: never fires`,
 * `trigger.timezone: unknown time zone "Mars/Base"`, `trigger.at: is in the past`). `now`
 * decides what "in the past" and "never fires" mean. An empty list means fromSpec succeeds.
 */
export function validateTrigger(spec: TriggerSpec, now: Date): FieldIssue[] {
  try {
    return kindOf(spec).validate(now);
  } catch (error) {
    if (error instanceof TriggerError) return [{ field: error.field, message: error.problem }];
    throw error;
  }
}

/** Up to `count` fire times strictly after `from`, fewer when the trigger finishes. */
export function previewTimes(trigger: Trigger, from: Date, count: number): Date[] {
  const times: Date[] = [];
  let cursor = from;
  while (times.length < count) {
    const next = trigger.next(cursor);
    if (next === null) break;
    times.push(next);
    cursor = next;
  }
  return times;
}
