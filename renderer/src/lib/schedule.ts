/**
 * A trigger in words for the jobs list: cron through cronstrue (the raw expression goes in
 * a tooltip), intervals as "Every 5m", dates as "Once at …".
 */
import cronstrue from "cronstrue";
import { formatDuration } from "../../../electron/shared/duration.js";
import type { TriggerSpec } from "../../../electron/shared/schemas.js";
import { formatMoment } from "./format.js";

// cronstrue does not know every alias the engine accepts (`@midnight`): spell them out.
const CRON_ALIASES: Record<string, string> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

const cronWords = new Map<string, string>();

/** A cron expression in words ("At 03:00"), or the expression itself when cronstrue cannot read it. */
export function describeCron(expression: string): string {
  const trimmed = expression.trim();
  let words = cronWords.get(trimmed);
  if (words === undefined) {
    try {
      words = cronstrue.toString(CRON_ALIASES[trimmed.toLowerCase()] ?? trimmed, { use24HourTimeFormat: true, verbose: false });
    } catch {
      words = trimmed;
    }
    // 10,000 rows share a handful of expressions; keep the cache from growing without end.
    if (cronWords.size > 5000) cronWords.clear();
    cronWords.set(trimmed, words);
  }
  return words;
}

/** How a schedule reads in the jobs list, plus the raw form for a tooltip. */
export interface ScheduleWords {
  text: string;
  /** The exact spec (cron expression, zone), shown on hover. */
  title: string;
}

/** A trigger in words; `localZone` decides whether a cron job's own zone is worth naming. */
export function describeSchedule(trigger: TriggerSpec, nowMs: number, localZone: string): ScheduleWords {
  switch (trigger.type) {
    case "cron": {
      const zone = trigger.timezone && trigger.timezone !== localZone ? ` (${trigger.timezone})` : "";
      return { text: `${describeCron(trigger.expression)}${zone}`, title: `${trigger.expression}${trigger.timezone ? ` ${trigger.timezone}` : ""}` };
    }
    case "interval":
      return { text: `Every ${formatDuration(trigger.everySeconds)}`, title: `every ${trigger.everySeconds} seconds` };
    case "date":
      return { text: `Once at ${formatMoment(trigger.at, nowMs)}`, title: trigger.at };
  }
}
