/**
 * A trigger in words for the jobs list and the editor: the shared wording
 * (electron/shared/trigger-kinds.ts), with instants as this computer's locale writes them.
 */
import type { TriggerSpec } from "../../../electron/shared/schemas.js";
import { describeTrigger, describeTriggers, triggerSource } from "../../../electron/shared/trigger-kinds.js";
import { formatFullMoment, formatMoment, usesTwelveHourClock } from "./format.js";

/** How a schedule reads in the jobs list, plus the exact form for a tooltip. */
export interface ScheduleWords {
  text: string;
  /** The exact spec (a cron expression, a full date), shown on hover. */
  title: string;
}

/**
 * A job's triggers in words ("Weekdays at 09:00, and at login"); the title is the first time
 * trigger's exact form. `jobName` names the parent of an `after` trigger.
 */
export function describeJobSchedule(triggers: readonly TriggerSpec[], nowMs: number, localZone: string, jobName?: (id: string) => string | undefined): ScheduleWords {
  const twelveHourClock = usesTwelveHourClock();
  const text = describeTriggers(triggers, { localZone, twelveHourClock, formatInstant: (ms, zone) => formatMoment(ms, nowMs, zone), ...(jobName ? { jobName } : {}) });
  const first = triggers[0];
  const title = first ? describeSchedule(first, nowMs, localZone).title : text;
  return { text, title };
}

/** A trigger in words; `localZone` decides whether a cron job's own zone is worth naming. */
export function describeSchedule(trigger: TriggerSpec, nowMs: number, localZone: string): ScheduleWords {
  const twelveHourClock = usesTwelveHourClock();
  const text = describeTrigger(trigger, { localZone, twelveHourClock, formatInstant: (ms, zone) => formatMoment(ms, nowMs, zone) });
  const title = triggerSource(trigger) ?? describeTrigger(trigger, { localZone, twelveHourClock, formatInstant: (ms, zone) => formatFullMoment(ms, zone) });
  return { text, title };
}

