/** Schedules in words, with the engine's own trigger code (so the CLI and the engine agree). */
import { fromSpec } from "../../core/triggers/index.js";
import { formatDuration } from "../../shared/duration.js";
import type { TriggerSpec } from "../../shared/schemas.js";

/** `At 03:00 (0 3 * * *)`, `Every 5 minutes`, …: cron keeps the raw expression beside its words. */
export function describeSchedule(spec: TriggerSpec): string {
  let words: string;
  try {
    words = fromSpec(spec).describe();
  } catch {
    words = fallbackWords(spec);
  }
  if (spec.type !== "cron") return words;
  const zone = spec.timezone && !words.includes(spec.timezone) ? ` ${spec.timezone}` : "";
  return `${words} (${spec.expression})${zone}`;
}

function fallbackWords(spec: TriggerSpec): string {
  if (spec.type === "cron") return "cron";
  if (spec.type === "interval") return `every ${formatDuration(spec.everySeconds)}`;
  return `once at ${spec.at}`;
}
