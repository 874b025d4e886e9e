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
import { JobTimes } from "./job-times.js";
import type { Trigger } from "./trigger.js";
import { validateWatchSpec } from "./watch.js";

export type { Trigger } from "./trigger.js";
export { CronTrigger, CRON_SEARCH_YEARS } from "./cron.js";
export { DateTrigger } from "./date.js";
export { IntervalTrigger, jitterDelayMs } from "./interval.js";
export { TriggerError } from "./errors.js";
export { JobTimes } from "./job-times.js";
export { formatInZone, systemTimeZone } from "../../shared/civil-time.js";
export { triggerZone } from "../../shared/trigger-kinds.js";

/**
 * One kind's engine side: its math, its validation, what it sets on a new job and when a
 * slot's run is due. (How it reads and which zone it runs in: shared/trigger-kinds.ts.)
 */
interface TriggerRegistration<Spec extends TriggerSpec> {
  /**
   * The trigger for a valid spec (throws TriggerError naming the field otherwise), or null for
   * a kind that fires on events rather than at clock times (its event source runs it).
   */
  create(spec: Spec): Trigger | null;
  /** Every problem with the spec, field names relative to the job. */
  validate(spec: Spec, now: Date): FieldIssue[];
  /** The spec with what a new job fixes once (an interval's anchor), taken at `now`. */
  withDefaults(spec: Spec, now: Date): Spec;
  /** When a slot's run is due: the slot, or later by the kind's jitter. `seed` is the job id. */
  dueAt(spec: Spec, slotMs: number, seed: string): number;
}

const asIs = <Spec>(spec: Spec): Spec => spec;
const atSlot = (_spec: TriggerSpec, slotMs: number): number => slotMs;
/** Event kinds: no clock times; what the schema cannot check, the service does (an `after`'s job). */
const onEvents = { create: () => null, validate: () => [], withDefaults: asIs, dueAt: atSlot } as const;

/** Every kind's registration, keyed by kind: leaving a kind out does not compile. */
const REGISTRATIONS: { readonly [Kind in TriggerKind]: TriggerRegistration<Extract<TriggerSpec, { type: Kind }>> } = {
  cron: { create: (spec) => new CronTrigger(spec), validate: validateCronSpec, withDefaults: asIs, dueAt: atSlot },
  interval: { create: (spec) => new IntervalTrigger(spec), validate: validateIntervalSpec, withDefaults: withIntervalAnchor, dueAt: intervalDueAt },
  date: { create: (spec) => new DateTrigger(spec), validate: validateDateSpec, withDefaults: asIs, dueAt: atSlot },
  startup: onEvents,
  wake: onEvents,
  watch: { ...onEvents, validate: validateWatchSpec },
  after: onEvents,
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

/**
 * Builds the trigger for a spec of a time kind; throws TriggerError (naming the field) when it
 * is invalid, or when its kind has no clock times (startup, wake, watch, after).
 */
export function fromSpec(spec: TriggerSpec): Trigger {
  const trigger = registrationOf(spec).create(spec);
  if (trigger === null) throw new TriggerError("trigger.type", `a ${spec.type} trigger has no clock times to preview`);
  return trigger;
}

/**
 * A job's clock: its time triggers together (the next run is the earliest over them), or
 * null when it has none (a manual or event-only job). Throws TriggerError naming
 * `triggers[i].field` for a spec that cannot be built.
 */
export function jobTimesOf(specs: readonly TriggerSpec[]): JobTimes | null {
  const timed: { spec: TriggerSpec; trigger: Trigger }[] = [];
  specs.forEach((spec, index) => {
    let trigger: Trigger | null;
    try {
      trigger = registrationOf(spec).create(spec);
    } catch (error) {
      if (error instanceof TriggerError) throw new TriggerError(inList(error.field, index), error.problem);
      throw error;
    }
    if (trigger !== null) timed.push({ spec, trigger });
  });
  return timed.length === 0 ? null : new JobTimes(timed, (spec, slotMs, jobId) => registrationOf(spec).dueAt(spec, slotMs, jobId));
}

/** `trigger.expression` of the job's `index`th trigger → `triggers[index].expression`. */
export function inList(field: string, index: number): string {
  return field === "trigger" || field.startsWith("trigger.") ? `triggers[${index}]${field.slice("trigger".length)}` : field;
}

/** Every problem with a job's triggers, fields named `triggers[i].…` (see validateTrigger). */
export function validateTriggers(specs: readonly TriggerSpec[], now: Date): FieldIssue[] {
  return specs.flatMap((spec, index) => validateTrigger(spec, now).map((issue) => ({ ...issue, field: inList(issue.field, index) })));
}

/** Every spec as a new job stores it (see withTriggerDefaults). */
export function withTriggersDefaults<Spec extends TriggerSpec>(specs: readonly Spec[], now: Date): Spec[] {
  return specs.map((spec) => withTriggerDefaults(spec, now));
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
