/** Schedules in words for the CLI: the shared wording, instants in ISO 8601. */
import { formatInZone, systemTimeZone } from "../../shared/civil-time.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import { describeTrigger, triggerSource } from "../../shared/trigger-kinds.js";
import { MANUAL_SCHEDULE_WORDS, triggerListInWords } from "../../shared/wording.js";

/** `At 03:00 (0 3 * * *)`, `Every 5 minutes`, …: cron keeps the raw expression beside its words. */
export function describeSchedule(spec: TriggerSpec, jobName?: (id: string) => string | undefined, localZone?: string): string {
  // A getter: only a job with a zone of its own needs the system zone's name, and asking ICU
  // costs a CLI call ~9 ms; `localZone` is the name when the caller knows it already.
  const words = describeTrigger(spec, {
    get localZone() {
      return localZone ?? systemTimeZone();
    },
    formatInstant: formatInZone,
    ...(jobName ? { jobName } : {}),
  });
  const source = triggerSource(spec);
  return source === null ? words : `${words} (${source})`;
}

/**
 * A job's triggers in words: "At 09:00 on weekdays (0 9 * * 1-5), and at login"; an `after`
 * names its parent through `jobName` (the job's id when it is not known).
 */
export function describeJobSchedule(specs: readonly TriggerSpec[], jobName?: (id: string) => string | undefined, localZone?: string): string {
  if (specs.length === 0) return MANUAL_SCHEDULE_WORDS;
  return triggerListInWords(specs.map((spec) => describeSchedule(spec, jobName, localZone)));
}

/** Names by job id, for the words of `after` triggers. */
export function jobNamesById(jobs: readonly { id: string; name: string }[]): (id: string) => string | undefined {
  const names = new Map(jobs.map((job) => [job.id, job.name]));
  return (id) => names.get(id);
}
