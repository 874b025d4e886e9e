import { formatInZone, fromSpec, previewTimes, type Trigger } from "../../../electron/core/triggers/index.js";

/** A cron trigger; the zone defaults to UTC so tests never depend on the machine's zone. */
export function cron(expression: string, timezone = "UTC"): Trigger {
  return fromSpec({ type: "cron", version: 1, expression, timezone });
}

/** The next `count` fire times after `fromIso`, as ISO 8601 wall times in `zone`. */
export function fires(trigger: Trigger, fromIso: string, count: number, zone = "UTC"): string[] {
  return previewTimes(trigger, new Date(fromIso), count).map((time) => formatInZone(time, zone));
}

/** Shorthand: the next `count` fires of a cron expression in a zone, shown in that zone. */
export function cronFires(expression: string, zone: string, fromIso: string, count: number): string[] {
  return fires(cron(expression, zone), fromIso, count, zone);
}
