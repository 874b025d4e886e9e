/**
 * The trigger kinds' names and the values their specs take, as plain lists (no zod), so
 * the CLI and the renderer read them without the schemas. schemas.ts builds the zod
 * schemas from them; trigger-kinds.ts says how each kind reads.
 */

/** Every trigger kind (DESIGN.md "Beyond the clock"). */
export const TRIGGER_TYPES = ["cron", "interval", "date", "startup", "wake", "watch", "after"] as const;

/** Kinds that fire at clock times: a job's next run is the earliest over these. */
export const TIME_TRIGGER_TYPES = ["cron", "interval", "date"] as const;
/** Kinds that fire on an event (the engine starting, a wake, a change on disk, another job's run). */
export const EVENT_TRIGGER_TYPES = ["startup", "wake", "watch", "after"] as const;

export type TimeTriggerType = (typeof TIME_TRIGGER_TYPES)[number];
export type EventTriggerType = (typeof EVENT_TRIGGER_TYPES)[number];

/** Whether a kind fires at clock times (cron, interval, date). */
export function isTimeTriggerType(type: string): type is TimeTriggerType {
  return (TIME_TRIGGER_TYPES as readonly string[]).includes(type);
}

/** The outcomes an `after` trigger waits for: the parent's run succeeded, failed, or either. */
export const AFTER_OUTCOMES = ["success", "failure", "always"] as const;
export type AfterOutcome = (typeof AFTER_OUTCOMES)[number];
export const DEFAULT_AFTER_OUTCOME: AfterOutcome = "success";

/** A watch waits this long after the last change before it runs (a burst of changes = one run). */
export const DEFAULT_WATCH_DEBOUNCE_SECONDS = 2;
export const MAX_WATCH_DEBOUNCE_SECONDS = 3600;

/** A job's triggers: more than this is a mistake, not a schedule. */
export const MAX_TRIGGERS_PER_JOB = 32;
