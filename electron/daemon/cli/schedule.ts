/** Schedules in words for the CLI: the shared wording, instants in ISO 8601. */
import { formatInZone, systemTimeZone } from "../../shared/civil-time.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import { describeTrigger, triggerSource } from "../../shared/trigger-kinds.js";

/** `At 03:00 (0 3 * * *)`, `Every 5 minutes`, …: cron keeps the raw expression beside its words. */
export function describeSchedule(spec: TriggerSpec): string {
  // A getter: only a job with a zone of its own needs the system zone's name (ICU, ~9 ms).
  const words = describeTrigger(spec, {
    get localZone() {
      return systemTimeZone();
    },
    formatInstant: formatInZone,
  });
  const source = triggerSource(spec);
  return source === null ? words : `${words} (${source})`;
}
