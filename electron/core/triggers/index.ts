/**
 * The triggers' front door: the one registration per kind (the only lookup by `spec.type`),
 * validation, defaults, jitter and previews. How a kind reads and the zone it runs in live in
 * shared/trigger-kinds.ts, where the renderer can reach them.
 */
import type { FieldIssue } from "../../shared/errors.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import type { TriggerKind } from "../../shared/trigger-kinds.js";
import { CronTrigger, validateCronSpec } from "./cron.js";
import { DateTrigger, validateDateSpec } from "./date.js";
import { PASSED, TriggerError } from "./errors.js";
import { IntervalTrigger, intervalDueAt, validateIntervalSpec, withIntervalAnchor } from "./interval.js";
import type { Trigger } from "./trigger.js";

export type { Trigger } from "./trigger.js";
export { CronTrigger, CRON_SEARCH_YEARS } from "./cron.js";
export { DateTrigger } from "./date.js";
export { IntervalTrigger, jitterDelayMs } from "./interval.js";
export { TriggerError } from "./errors.js";
export { formatInZone, systemTimeZone } from "../../shared/civil-time.js";
export { triggerZone } from "../../shared/trigger-kinds.js";

/**
 * One kind's engine side: its math, its validation, what it sets on a new job and when a
 * slot's run is due. (How it reads and which zone it runs in: shared/trigger-kinds.ts.)
 */
interface TriggerRegistration<Spec extends TriggerSpec> {
  /** The trigger for a valid spec; throws TriggerError naming the field otherwise. */
  create(spec: Spec): Trigger;
  /** Every problem with the spec, field names relative to the job. */
  validate(spec: Spec, now: Date): FieldIssue[];
  /** The spec with what a new job fixes once (an interval's anchor), taken at `now`. */
  withDefaults(spec: Spec, now: Date): Spec;
  /** When a slot's run is due: the slot, or later by the kind's jitter. `seed` is the job id. */
  dueAt(spec: Spec, slotMs: number, seed: string): number;
}

const asIs = <Spec>(spec: Spec): Spec => spec;
const atSlot = (_spec: TriggerSpec, slotMs: number): number => slotMs;

/** Every kind's registration, keyed by kind: leaving a kind out does not compile. */
const REGISTRATIONS: { readonly [Kind in TriggerKind]: TriggerRegistration<Extract<TriggerSpec, { type: Kind }>> } = {
  cron: { create: (spec) => new CronTrigger(spec), validate: validateCronSpec, withDefaults: asIs, dueAt: atSlot },
  interval: { create: (spec) => new IntervalTrigger(spec), validate: validateIntervalSpec, withDefaults: withIntervalAnchor, dueAt: intervalDueAt },
  date: { create: (spec) => new DateTrigger(spec), validate: validateDateSpec, withDefaults: asIs, dueAt: atSlot },
};

// The only lookup by spec.type: a new trigger kind is registered here and nowhere else.
function registrationOf(spec: TriggerSpec): TriggerRegistration<TriggerSpec> {
  const type: unknown = (spec as { type?: unknown }).type;
  if (typeof type !== "string" || !Object.hasOwn(REGISTRATIONS, type)) {
    throw new TriggerError("trigger.type", `unknown trigger type "${String(type)}"`);
  }
  // The entry keyed by spec.type takes exactly this spec; TypeScript cannot follow the pairing.
  return REGISTRATIONS[type as TriggerKind] as TriggerRegistration<TriggerSpec>;
}

/** Builds the trigger for a spec; throws TriggerError (naming the field) when it is invalid. */
export function fromSpec(spec: TriggerSpec): Trigger {
  return registrationOf(spec).create(spec);
}

/**
 * Every problem with a spec, relative to the job (`trigger.expression: never fires`,
 * `trigger.timezone: unknown time zone "Mars/Base"`, `trigger.at: is in the past`). `now`
 * decides what "in the past" and "never fires" mean. An empty list means fromSpec succeeds.
 */
export function validateTrigger(spec: TriggerSpec, now: Date): FieldIssue[] {
  try {
    return registrationOf(spec).validate(spec, now);
  } catch (error) {
    if (error instanceof TriggerError) return [{ field: error.field, message: error.problem }];
    // A spec the math cannot handle is a refused input, never a crash of the caller.
    return [{ field: "trigger", message: `cannot be scheduled: ${(error as Error).message}` }];
  }
}

/** Whether an issue only says that the schedule's last time has passed (a finished schedule). */
export function isPassedTimeIssue(issue: FieldIssue): boolean {
  return issue.message === PASSED;
}

/**
 * The spec as a new job stores it: an interval gets its fixed-rate anchor (its start, else
 * `now` on a whole second), so a restart never shifts its rhythm. Other kinds are unchanged.
 */
export function withTriggerDefaults<Spec extends TriggerSpec>(spec: Spec, now: Date): Spec {
  return registrationOf(spec).withDefaults(spec, now) as Spec;
}

/**
 * When the run for the slot at `slotMs` is due: the slot itself, or later by the kind's
 * jitter (an interval's `jitterSeconds`), the same delay for the same job and slot every time.
 */
export function fireTimeWithJitter(spec: TriggerSpec, slotMs: number, jobId: string): number {
  return registrationOf(spec).dueAt(spec, slotMs, jobId);
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
