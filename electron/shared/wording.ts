/**
 * One wording for every face (issue 11): how a span of time, a run's duration, a run's reason
 * and a cron expression read in the UI, the tray, notifications and the CLI's human output.
 * Schedules put together from these in trigger-kinds.ts. `--json` output never goes through
 * here: it is the API's data as is.
 *
 * Spans and durations use short units with a space ("45 s", "4 h 12 min", "850 ms"), as a
 * desktop's file-copy dialog or activity monitor does; schedules use words ("Every 10 seconds").
 * Zod-free and Intl-only: the renderer bundles it.
 */
import cronstrue from "cronstrue";
import type { Run, RunReason } from "./schemas.js";
import { mondayFirstIndex, normalizedBetween, sortedWeekdays, type RunConditions, type UnmetCondition, type Weekday } from "./conditions.js";
import type { WhenUnmetPolicy } from "./policies.js";

const SECOND_MS = 1000;

/** Span units, largest first: abbreviation, size in seconds, word. */
const UNITS: readonly (readonly [short: string, seconds: number, word: string])[] = [
  ["d", 86_400, "day"],
  ["h", 3_600, "hour"],
  ["min", 60, "minute"],
  ["s", 1, "second"],
];

/**
 * A span in its two largest adjacent units, to the second: "45 s", "12 min 5 s", "4 h 12 min",
 * "3 d 2 h" (never "1 d 5 min"; a zero second unit is left out: "3 h"). The sign is ignored.
 */
export function formatSpan(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / SECOND_MS);
  const index = UNITS.findIndex(([, size]) => seconds >= size);
  const largest = UNITS[index];
  if (!largest) return "0 s";
  const count = Math.floor(seconds / largest[1]);
  const next = UNITS[index + 1];
  const nextCount = next ? Math.floor((seconds - count * largest[1]) / next[1]) : 0;
  return next && nextCount > 0 ? `${count} ${largest[0]} ${nextCount} ${next[0]}` : `${count} ${largest[0]}`;
}

/** A countdown or an age from `nowMs`: "in 4 h 12 min", "3 min ago", "now", "just now". */
export function formatRelative(targetMs: number, nowMs: number): string {
  const difference = targetMs - nowMs;
  if (Math.abs(difference) < SECOND_MS) return difference >= 0 ? "now" : "just now";
  return difference > 0 ? `in ${formatSpan(difference)}` : `${formatSpan(difference)} ago`;
}

/**
 * How long a run took: "15 ms", "2.3 s" (one decimal below ten seconds), then the span:
 * "12 s", "1 min 5 s", "2 h 3 min". `empty` stands for a run without a duration.
 */
export function formatRunDuration(ms: number | null, empty = "—"): string {
  if (ms === null || !Number.isFinite(ms)) return empty;
  const positive = Math.max(0, ms);
  if (Math.round(positive) < SECOND_MS) return `${Math.round(positive)} ms`;
  if (positive < 9_950) return `${(positive / SECOND_MS).toFixed(1)} s`;
  return formatSpan(positive);
}

/** A whole number of seconds in words: "30 seconds", "1 minute", "1 hour 30 minutes". */
export function durationInWords(totalSeconds: number): string {
  // A stored spec the engine refuses (NaN, Infinity) still reads as what it holds.
  if (!Number.isFinite(totalSeconds)) return `${totalSeconds} seconds`;
  let rest = Math.max(0, Math.round(totalSeconds));
  if (rest === 0) return "0 seconds";
  const parts: string[] = [];
  for (const [, size, word] of UNITS) {
    const count = Math.floor(rest / size);
    if (count === 0) continue;
    parts.push(`${count} ${word}${count === 1 ? "" : "s"}`);
    rest -= count * size;
  }
  return parts.join(" ");
}

/** A period as it follows "Every": "minute", "10 seconds", "1 hour 30 minutes". */
export function periodInWords(totalSeconds: number): string {
  const words = durationInWords(totalSeconds);
  return words.startsWith("1 ") && !words.includes(" ", 2) ? words.slice(2) : words;
}

/**
 * A time of day as cron words write it ("At 09:00", or "At 09:00 AM" on a 12-hour clock):
 * "09:00" / "09:00 AM", with ":30" seconds when they are not zero. The editor's run times
 * read the same way as its words.
 */
export function formatClockTime(hour: number, minute: number, second = 0, twelveHourClock = false): string {
  const two = (value: number) => String(value).padStart(2, "0");
  const seconds = second ? `:${two(second)}` : "";
  if (!twelveHourClock) return `${two(hour)}:${two(minute)}${seconds}`;
  return `${two(hour % 12 === 0 ? 12 : hour % 12)}:${two(minute)}${seconds} ${hour < 12 ? "AM" : "PM"}`;
}

/** A problem that starts with what the field is or must be: "is in the past", "must not be empty". */
const PREDICATE = /^(is|are|was|must|should|cannot|can't|does|has|have|needs|never|leaves|appears)\b/;
/** A problem that names its own subject: 'a job named "x" already exists', 'unknown time zone "Mars"'. */
const OWN_SUBJECT = /^(a|an|unknown|folder)\b/;

/**
 * A field's problem as a sentence that names its subject (issue 13, item 11): "Name must not
 * be empty", "Run at is in the past", 'A job named "backup" already exists',
 * "Cron expression: minute value 61 out of range 0-59". `label` is the field as the form
 * labels it; `message` is the engine's or the form's words after a field name.
 */
export function fieldProblem(label: string, message: string): string {
  if (PREDICATE.test(message)) return `${label} ${message}`;
  if (OWN_SUBJECT.test(message)) return message.charAt(0).toUpperCase() + message.slice(1);
  return `${label}: ${message}`;
}

const REASON_LABELS: Record<RunReason, string> = {
  schedule: "Scheduled",
  manual: "Manual",
  "catch-up": "Catch-up",
  retry: "Retry",
  startup: "At start",
  wake: "On wake",
  watch: "On change",
  after: "Chained",
};

/**
 * Why a run happened: "Scheduled", "Manual" (Run now, the tray, `sundial run`), "Catch-up",
 * "Retry", "At start", "On wake", "On change", "Chained" (an `after` trigger).
 */
export function reasonLabel(reason: RunReason): string {
  return REASON_LABELS[reason];
}

/** A job with no trigger: it runs from Run now, the tray, or as a step of a chain. */
export const MANUAL_SCHEDULE_WORDS = "Manual (Run now, the tray, or a chain)";

const AFTER_OUTCOME_WORDS = { success: "succeeds", failure: "fails", always: "ends" } as const;

/** An `after` trigger: "after backup succeeds", "after backup fails", "after backup ends". */
export function afterWords(parentName: string, on: keyof typeof AFTER_OUTCOME_WORDS): string {
  return `after ${parentName} ${AFTER_OUTCOME_WORDS[on]}`;
}

/**
 * Several triggers' words as one phrase: "Weekdays at 09:00, and at login". Each part after
 * the first continues the sentence, so its first word loses its capital (names of months
 * and days keep theirs).
 */
export function triggerListInWords(parts: readonly string[]): string {
  return parts.map((part, index) => (index === 0 ? part : continuing(part))).join(", and ");
}

const PROPER_FIRST_WORD = /^(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;
function continuing(part: string): string {
  if (PROPER_FIRST_WORD.test(part)) return part;
  return part.charAt(0).toLowerCase() + part.slice(1);
}

/** The chain an `after` trigger would close into a loop: "would form a cycle backup → upload → backup". */
export function cycleProblem(names: readonly string[]): string {
  return `would form a cycle ${names.join(" → ")}`;
}

/** The mark a deleted job's runs carry on every face: "backup (deleted)". */
export const DELETED_JOB_MARK = "deleted";

/** The job a run belongs to: the name it had, marked when the job has been deleted since (issue 13). */
export function runJobLabel(run: Pick<Run, "jobName" | "jobDeleted">): string {
  return run.jobDeleted ? `${run.jobName} (${DELETED_JOB_MARK})` : run.jobName;
}

/**
 * What deleting a job does to its past runs, said the same way by the UI's Delete dialog and
 * `sundial remove`: kept by default, erased with `purge`.
 */
export function historyAfterDelete(purge: boolean): string {
  return purge
    ? "Its past runs and their logs are erased too; this cannot be undone."
    : `Its past runs and their logs stay in the history, marked as ${DELETED_JOB_MARK}, until history retention removes them.`;
}

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

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A field that is one plain number from `low` to `high` ("5"; not "05", which cronstrue reads its own ways), else null. */
function plainNumber(field: string, low: number, high: number): number | null {
  if (!/^(0|[1-9]\d?)$/.test(field)) return null;
  const value = Number(field);
  return value >= low && value <= high ? value : null;
}

/**
 * cronstrue's words for the shapes most schedules have, without cronstrue: a time each day,
 * on one weekday, on a range of weekdays or on one day of the month; every minute, every N
 * minutes, a minute past each hour. null for any other shape. A `sundial list` then need not
 * load and run cronstrue (about a quarter of what a list costs above `node -e 0`:
 * docs/PERFORMANCE.md §8.2). test/properties/common-cron-words.property.test.ts holds these
 * words to cronstrue's, shape by shape.
 */
export function commonCronWords(fields: readonly string[], twelveHourClock: boolean): string | null {
  if (fields.length !== 5) return null;
  const [minuteField, hourField, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (month !== "*") return null;
  const minute = plainNumber(minuteField, 0, 59);
  if (hourField === "*" && dayOfMonth === "*" && dayOfWeek === "*") {
    const step = /^\*\/(\d+)$/.exec(minuteField);
    const every = minuteField === "*" ? 1 : step ? plainNumber(step[1]!, 1, 59) : null;
    if (every !== null) return every === 1 ? "Every minute" : `Every ${every} minutes`;
    if (minute === null) return null;
    return minute === 0 ? "Every hour" : `At ${minute} minute${minute === 1 ? "" : "s"} past the hour`;
  }
  const hour = plainNumber(hourField, 0, 23);
  if (minute === null || hour === null) return null;
  const at = `At ${formatClockTime(hour, minute, 0, twelveHourClock)}`;
  if (dayOfMonth === "*" && dayOfWeek === "*") return at;
  if (dayOfWeek === "*") {
    const day = plainNumber(dayOfMonth, 1, 31);
    return day === null ? null : `${at}, on day ${day} of the month`;
  }
  if (dayOfMonth !== "*") return null;
  const [from, to, ...rest] = dayOfWeek.split("-").map((day) => plainNumber(day, 0, 7));
  if (from === null || from === undefined || to === null || rest.length > 0) return null;
  if (to === undefined) return `${at}, only on ${DAY_NAMES[from % 7]}`;
  return from < to ? `${at}, ${DAY_NAMES[from]} through ${DAY_NAMES[to % 7]}` : null;
}

/**
 * A cron expression in words ("At 03:00", "Every 5 minutes"; "At 03:00 AM" on a 12-hour
 * clock), through cronstrue, or the expression itself when cronstrue cannot read it.
 * Cached: 10,000 rows share a handful.
 */
export function describeCron(expression: string, twelveHourClock = false): string {
  const trimmed = expression.trim();
  const key = `${twelveHourClock ? "12" : "24"} ${trimmed}`;
  let words = cronWords.get(key);
  if (words === undefined) {
    const fields = (CRON_ALIASES[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
    const weekdays = fields.at(-1);
    // Cron allows Sunday twice (`0,7`); cronstrue would say "Sunday and Sunday".
    if (weekdays && /^[0-7](,[0-7])*$/.test(weekdays)) fields[fields.length - 1] = [...new Set(weekdays.split(",").map((day) => (day === "7" ? "0" : day)))].join(",");
    try {
      words = commonCronWords(fields, twelveHourClock) ?? cronstrue.toString(fields.join(" "), { use24HourTimeFormat: !twelveHourClock, verbose: false });
    } catch {
      words = trimmed;
    }
    const [dayOfMonth, dayOfWeek] = [fields.at(-3), fields.at(-1)];
    if ((startsWithStar(dayOfMonth) || startsWithStar(dayOfWeek)) && !isPlainStar(dayOfMonth) && !isPlainStar(dayOfWeek)) {
      // cronstrue reads both day fields as "either"; with a `*…` field Vixie cron wants both
      // (DESIGN.md "Cron", the Vixie cron/cronie DOM_STAR rule).
      words += " (only when the day of month and the weekday both match)";
    }
    // Keep the cache from growing without end.
    if (cronWords.size > 5000) cronWords.clear();
    cronWords.set(key, words);
  }
  return words;
}

const WEEKDAY_NUMBERS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/**
 * The everyday words a person may search a cron schedule by, beyond its description
 * ("At 08:30, Monday through Friday"): "weekdays" for Monday to Friday (the editor's preset),
 * "weekends" for Saturday and Sunday, "daily" and "hourly" for a fixed time each day or hour.
 */
export function cronKeywords(expression: string): string[] {
  const trimmed = expression.trim().toLowerCase();
  const fields = (CRON_ALIASES[trimmed] ?? trimmed).split(/\s+/);
  if (fields.length < 5) return [];
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.slice(-5);
  const keywords: string[] = [];
  const days = weekdaySet(dayOfWeek ?? "");
  if (days === "1,2,3,4,5") keywords.push("weekdays");
  if (days === "0,6") keywords.push("weekends");
  const fixed = (field: string | undefined) => field !== undefined && /^\d+$/.test(field);
  if (isPlainStar(dayOfMonth) && isPlainStar(month) && isPlainStar(dayOfWeek) && fixed(minute)) {
    if (fixed(hour)) keywords.push("daily", "every day");
    else if (isPlainStar(hour)) keywords.push("hourly", "every hour");
  }
  return keywords;
}

/** A weekday field's days as sorted numbers ("1,2,3,4,5"), or null when it uses steps, L or #. */
function weekdaySet(field: string): string | null {
  const days = new Set<number>();
  for (const part of field.split(",")) {
    const [from, to = from] = part.split("-").map((day) => WEEKDAY_NUMBERS[day] ?? (/^[0-7]$/.test(day) ? Number(day) % 7 : Number.NaN));
    if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to)) return null;
    // `to` may be 7 read as 0 (`1-7`): a range ending on Sunday.
    const end = to < from ? to + 7 : to;
    for (let day = from; day <= end; day += 1) days.add(day % 7);
  }
  return [...days].sort((a, b) => a - b).join(",");
}

function startsWithStar(field: string | undefined): boolean {
  return field !== undefined && (field.startsWith("*") || field.startsWith("?"));
}

function isPlainStar(field: string | undefined): boolean {
  return field === "*" || field === "?";
}

/** The command that starts the headless engine with its web UI, as the UI tells the user to type it. */
export const ENGINE_START_COMMAND = "sundial daemon --ui";

/**
 * What the UI says when the engine does not answer (its banner, and any action tried then):
 * what is wrong and what to do, instead of the browser's "Failed to fetch".
 */
export const ENGINE_NOT_RUNNING = `Sundial's engine is not running — start it with ${ENGINE_START_COMMAND} (or open the app)`;

// ---------------------------------------------------------------- alerts (issue 16)

/** A span as its largest whole unit, in words: "2 days", "5 hours", "1 minute", "30 seconds". */
export function roughSpanInWords(ms: number): string {
  const seconds = Math.max(0, Math.floor(Math.abs(ms) / SECOND_MS));
  const unit = UNITS.find(([, size]) => seconds >= size) ?? UNITS[UNITS.length - 1]!;
  const count = Math.floor(seconds / unit[1]);
  return `${count} ${unit[2]}${count === 1 ? "" : "s"}`;
}

/** A limit in words: a DURATION the user gave (`slowerThan: 90` → "1 minute 30 seconds"). */
function limitWords(seconds: number): string {
  return durationInWords(seconds);
}

/** Title and message of an alert, the same words on the desktop, in the history and on every channel. */
export interface AlertWords {
  title: string;
  message: string;
}

/** `backup failed 3 times in a row`. */
export function failuresAlertWords(jobName: string, failures: number, lastOutcome: string): AlertWords {
  return {
    title: `${jobName} failed ${failures} times in a row`,
    message: `${lastOutcome}. No further failure alert until it succeeds.`,
  };
}

/** `backup succeeded again` after a streak that alerted. */
export function recoveredAlertWords(jobName: string, failures: number): AlertWords {
  return {
    title: `${jobName} succeeded again`,
    message: failures > 0 ? `After ${failures} failed run${failures === 1 ? "" : "s"} in a row.` : "After no success within its expected window.",
  };
}

/** The dead-man's switch: `backup: no success for 2 days`. */
export function noSuccessAlertWords(jobName: string, sinceMs: number, nowMs: number, windowSeconds: number, everSucceeded: boolean): AlertWords {
  return {
    title: `${jobName}: no success for ${roughSpanInWords(nowMs - sinceMs)}`,
    message: `Expected a successful run within ${limitWords(windowSeconds)}; ${everSucceeded ? "the last one ended" : "it has not succeeded since it was added"} ${formatSpan(nowMs - sinceMs)} ago.`,
  };
}

/** `backup is still running after 5 minutes`. */
export function slowAlertWords(jobName: string, limitMs: number, auto: boolean): AlertWords {
  return {
    title: `${jobName} is still running after ${roughSpanInWords(limitMs)}`,
    message: auto
      ? `Longer than 3× its usual duration (limit ${formatRunDuration(limitMs)}); it goes on running.`
      : `Longer than its limit of ${limitWords(Math.round(limitMs / SECOND_MS))}; it goes on running.`,
  };
}

/** Where missed slots went missing: Sundial was off (found at start), or the computer slept (a wake, a clock jump). */
export type MissedWhile = "off" | "asleep";

/**
 * The one summary after a start or a wake: `3 jobs missed while asleep: 2 caught up, 1 skipped`,
 * `… while Sundial was off: …`; the message names the jobs.
 */
export function missedSummaryWords(jobs: readonly { name: string; caughtUp: boolean }[], missedWhile: MissedWhile): AlertWords {
  const caughtUp = jobs.filter((job) => job.caughtUp).length;
  const skipped = jobs.length - caughtUp;
  const parts = [...(caughtUp > 0 ? [`${caughtUp} caught up`] : []), ...(skipped > 0 ? [`${skipped} skipped`] : [])];
  const names = jobs.slice(0, 10).map((job) => `${job.name} (${job.caughtUp ? "caught up" : "skipped"})`);
  const more = jobs.length - names.length;
  return {
    title: `${jobs.length} job${jobs.length === 1 ? "" : "s"} missed ${missedWhile === "off" ? "while Sundial was off" : "while asleep"}: ${parts.join(", ")}`,
    message: `${names.join(", ")}${more > 0 ? ` and ${more} more` : ""}.`,
  };
}

/**
 * A job's open alert in one line, for `sundial status`, the tray's menu and the jobs table's
 * mark: `backup: no success for 2 days`, `backup: failed 4 times in a row`, `backup: still running after 6 minutes`.
 */
export function openAlertLine(jobName: string, open: { kind: "failures" | "no-success" | "slow"; since: string; failures?: number }, nowMs: number): string {
  const since = Date.parse(open.since);
  switch (open.kind) {
    case "failures":
      return `${jobName}: failed ${open.failures ?? "several"} times in a row`;
    case "no-success":
      return `${jobName}: no success for ${roughSpanInWords(nowMs - since)}`;
    case "slow":
      return `${jobName}: still running after ${roughSpanInWords(nowMs - since)}`;
    default: {
      const unhandled: never = open.kind;
      return `${jobName}: ${String(unhandled)}`;
    }
  }
}

/** Each alert kind as a short label (the UI's alert history, `sundial show`). */
export const ALERT_KIND_LABELS = {
  failures: "Failures in a row",
  recovered: "Recovered",
  "no-success": "No success",
  slow: "Still running",
  "missed-summary": "Missed while away",
} as const;

/** The rules in words, for `sundial show` and the job page: "after 3 failures in a row, when it recovers, …". */
export function alertRulesInWords(rules: { afterFailures?: number; recovered?: boolean; expectSuccessWithin?: number; slowerThan?: number | "auto" }): string[] {
  const words: string[] = [];
  if (rules.afterFailures !== undefined) words.push(rules.afterFailures === 1 ? "at each failure after a success" : `at the ${ordinal(rules.afterFailures)} failure in a row`);
  if (rules.recovered) words.push("when it succeeds again");
  if (rules.expectSuccessWithin !== undefined) words.push(`when no run succeeded for ${limitWords(rules.expectSuccessWithin)}`);
  if (rules.slowerThan !== undefined) words.push(rules.slowerThan === "auto" ? "when a run takes 3× its usual time (after 5 successes)" : `when a run is still going after ${limitWords(rules.slowerThan)}`);
  return words;
}

function ordinal(count: number): string {
  const tens = count % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][count % 10] ?? "th");
  return `${count}${suffix}`;
}

/**
 * The warning for a dead-man's window shorter than the job's own period: it would fire between
 * every two runs. Saved anyway (the user may mean it), and said.
 */
export function alwaysFiresWarning(windowSeconds: number, periodSeconds: number): string | null {
  if (windowSeconds >= periodSeconds) return null;
  return `${durationInWords(windowSeconds)} is shorter than the job's own interval (${durationInWords(periodSeconds)}): it will always fire`;
}

// ---------------------------------------------------------------- tags, stats, agenda (issue 17)

/** A success rate with what it is over: "92 % (23 of 25)", or "no finished runs yet". */
export function successRateWords(stats: { successRate: number | null; succeeded: number; failed: number }, label = ""): string {
  if (stats.successRate === null) return "no finished runs yet";
  return `${Math.round(stats.successRate * 100)} %${label} (${stats.succeeded} of ${stats.succeeded + stats.failed})`;
}

/** A job's stats in one line: "25 runs kept · 92 % succeeded (23 of 25) · median 2.3 s · p95 4.1 s". */
export function statsInWords(stats: { runs: number; successRate: number | null; succeeded: number; failed: number; durationMedianMs: number | null; durationP95Ms: number | null }): string {
  const parts = [`${stats.runs} run${stats.runs === 1 ? "" : "s"} kept`];
  parts.push(successRateWords(stats, " succeeded"));
  if (stats.durationMedianMs !== null) parts.push(`median ${formatRunDuration(stats.durationMedianMs)}`, `p95 ${formatRunDuration(stats.durationP95Ms)}`);
  return parts.join(" · ");
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An agenda day's heading from its `YYYY-MM-DD` and today's: "Today, Sunday 6 Dec",
 * "Tomorrow, Monday 7 Dec", "Wednesday 9 Dec".
 */
export function agendaDayWords(date: string, today: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const utc = Date.UTC(year, month - 1, day);
  const name = `${DAY_NAMES[new Date(utc).getUTCDay()]} ${day} ${MONTH_NAMES[month - 1]}`;
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  const offset = Math.round((utc - Date.UTC(ty, tm - 1, td)) / 86_400_000);
  return offset === 0 ? `Today, ${name}` : offset === 1 ? `Tomorrow, ${name}` : name;
}

/** Said under a day for a job that runs more often than the agenda lists. */
export function agendaMoreWords(jobName: string, shown: number): string {
  return `${jobName} runs more often this day; its first ${shown} runs are listed`;
}

/** An agenda with nothing in it. */
export const AGENDA_EMPTY_WORDS = "No runs to come in these days (paused, finished and event-only jobs have none).";
// ---------------------------------------------------------------- conditions (issue 15)

/** A weekday as people read it: `Mon`. */
export function weekdayLabel(day: Weekday): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

/**
 * Why a due run did not start, as its run record and every face say it: `outside 09:00-17:00`,
 * `not on Sat`, `skip date 2026-12-24`, `on battery`, `offline`.
 */
export function unmetConditionWords(unmet: UnmetCondition): string {
  switch (unmet.kind) {
    case "between":
      return `outside ${unmet.between}`;
    case "days":
      return `not on ${weekdayLabel(unmet.weekday)}`;
    case "skipDate":
      return `skip date ${unmet.date}`;
    case "acPower":
      return "on battery";
    case "online":
      return "offline";
    default: {
      const unhandled: never = unmet;
      throw new Error(`unknown condition ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * A run's status with its reason where the status alone does not say enough: a waiting run
 * (`waiting: outside 09:00-17:00`) and a skipped one (`skipped: on battery`); else the status.
 */
export function statusWithReason(run: Pick<Run, "status" | "error">): string {
  if (run.status === "waiting") return run.error ?? "waiting";
  if (run.status === "skipped" && run.error) return `skipped: ${run.error}`;
  return run.status;
}

/**
 * Why a waiting run ended skipped without its conditions coming to hold: `why` is what ended
 * it (`the job was paused`, `Sundial stopped`): `Sundial stopped while it waited (on battery)`.
 */
export function waitEndedWords(why: string, waitingRun: Pick<Run, "error">): string {
  return `${why} while it waited (${waitingForWords(waitingRun)})`;
}

/** What a waiting run waits for, from its record: `outside 09:00-17:00`. */
export function waitingForWords(waitingRun: Pick<Run, "error">): string {
  return (waitingRun.error ?? "").replace(/^waiting: /, "");
}

/** A waiting run skipped at its limit: `outside 09:00-17:00 (waited 1 h)`. */
export function waitedTooLongWords(unmet: UnmetCondition, waitedMs: number): string {
  return `${unmetConditionWords(unmet)} (waited ${formatSpan(waitedMs)})`;
}

/** A waiting run's record: `waiting: outside 09:00-17:00`; the prefix tells it from a skip. */
export function waitingWords(unmet: UnmetCondition): string {
  return `waiting: ${unmetConditionWords(unmet)}`;
}

/** A weekday list as short as it reads: `Mon-Fri`, `Sat, Sun`, `Mon, Wed, Fri`. */
export function weekdaysInWords(days: readonly Weekday[]): string {
  const sorted = sortedWeekdays(days);
  const runs: Weekday[][] = [];
  for (const day of sorted) {
    const last = runs[runs.length - 1];
    if (last && mondayFirstIndex(day) === mondayFirstIndex(last[last.length - 1]!) + 1) last.push(day);
    else runs.push([day]);
  }
  return runs.map((run) => (run.length >= 3 ? `${weekdayLabel(run[0]!)}-${weekdayLabel(run[run.length - 1]!)}` : run.map(weekdayLabel).join(", "))).join(", ");
}

/**
 * A job's conditions in words, one phrase each (`between 09:00-17:00`, `Mon-Fri`, `not on
 * 2026-12-24`, `on AC power`, `online`), then what an unmet one does; [] when it has none.
 */
export function conditionsInWords(conditions: RunConditions | undefined, whenUnmet: WhenUnmetPolicy = "skip", waitUpToSeconds?: number): string[] {
  if (!conditions) return [];
  const words: string[] = [];
  if (conditions.between !== undefined) words.push(`between ${normalizedBetween(conditions.between) ?? conditions.between}`);
  if (conditions.days?.length) words.push(`on ${weekdaysInWords(conditions.days)}`);
  if (conditions.skipDates?.length) words.push(`not on ${conditions.skipDates.join(", ")}`);
  if (conditions.acPower) words.push("on AC power");
  if (conditions.online) words.push("online");
  if (words.length === 0) return [];
  if (whenUnmet === "skip") words.push("else skip");
  else words.push(waitUpToSeconds === undefined ? "else wait" : `else wait up to ${durationInWords(waitUpToSeconds)}`);
  return words;
}

/**
 * Why a watch trigger does not see its path now, as the job shows it (list, `show`, the UI):
 * "watched path missing: /data/inbox" (waited for: it is watched again when it is back), or
 * "cannot watch /data/inbox: …".
 */
export function watchProblemWords(path: string, problem: { state: "missing" } | { state: "failed"; message: string }): string {
  return problem.state === "missing" ? `watched path missing: ${path}` : `cannot watch ${path}: ${problem.message}`;
}
