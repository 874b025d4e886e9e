/**
 * A cron trigger in the calendar forms of other schedulers: systemd's `OnCalendar=`
 * (systemd.time(7)) and launchd's `StartCalendarInterval` dictionaries (launchd.plist(5)).
 * Both are built from the engine's own expansion of the expression (`parseCronExpression`),
 * so names, steps, ranges and aliases read exactly as the engine reads them.
 *
 * The day rule (cronie, DESIGN.md "Cron"): when day-of-month and day-of-week are both
 * restricted and neither was written starting with `*`, a day matches when EITHER matches.
 * systemd ANDs the weekday and the date of one `OnCalendar=`, so the OR needs two of them;
 * launchd gets separate dictionaries for the days of the month and for the weekdays.
 */
import type { CronTriggerSpec } from "../../shared/schemas.js";
import { parseCronExpression, type CronFields } from "../triggers/cron-fields.js";

export type Calendar<T> = { ok: T } | { untranslatable: string };

const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
/** launchd makes one dictionary per combination; past this many, the schedule is not exported. */
export const MAX_LAUNCHD_INTERVALS = 1000;

function maskValues(mask: number, from: number, to: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value++) if (mask & (1 << value)) values.push(value);
  return values;
}

/** Ascending values as a systemd list: runs of three or more as `a..b`, the full range as `*`. */
function systemdList(values: readonly number[], from: number, to: number, format: (value: number) => string = (value) => String(value).padStart(2, "0")): string {
  if (values.length === to - from + 1) return "*";
  const parts: string[] = [];
  for (let start = 0; start < values.length; ) {
    let end = start;
    while (end + 1 < values.length && values[end + 1] === values[end]! + 1) end++;
    if (end - start >= 2) parts.push(`${format(values[start]!)}..${format(values[end]!)}`);
    else for (let index = start; index <= end; index++) parts.push(format(values[index]!));
    start = end + 1;
  }
  return parts.join(",");
}

function unsupportedDayForms(fields: CronFields): string | null {
  if (fields.nthWeekday !== 0) return "an nth weekday of the month (#)";
  if (fields.lastWeekdaysMask !== 0) return "a last weekday of the month (L after a weekday)";
  return null;
}

/** A day-of-month rule for one systemd date: `*`, a list, or `~01` (the last day). */
function systemdDays(fields: CronFields): Calendar<string> {
  const days = maskValues(fields.daysOfMonthMask, 1, 31);
  if (fields.lastDayOfMonth) return days.length === 0 ? { ok: "~01" } : { untranslatable: "the last day of the month together with other days" };
  return { ok: systemdList(days, 1, 31) };
}

/**
 * The `OnCalendar=` values for a cron trigger (two for the OR rule), each with the trigger's
 * zone when it has one; or why it cannot be written.
 */
export function onCalendarOf(spec: CronTriggerSpec): Calendar<string[]> {
  const fields = parseCronExpression(spec.expression);
  const unsupported = unsupportedDayForms(fields);
  if (unsupported) return { untranslatable: `systemd calendars have no ${unsupported}` };
  const time = `${systemdList(fields.hours, 0, 23)}:${systemdList(fields.minutes, 0, 59)}:${systemdList(fields.seconds, 0, 59)}`;
  const months = systemdList(fields.months, 1, 12);
  const weekdays = systemdList(maskValues(fields.daysOfWeekMask, 0, 6), 0, 6, (day) => WEEKDAY_NAMES[day]!);
  const days = systemdDays(fields);
  if ("untranslatable" in days) return days;
  const zone = spec.timezone !== undefined ? ` ${spec.timezone}` : "";
  const line = (weekdayPart: string, dayPart: string) => `${weekdayPart === "*" ? "" : `${weekdayPart} `}*-${months}-${dayPart} ${time}${zone}`;
  const either = !fields.dayOfMonthStar && !fields.dayOfWeekStar && weekdays !== "*" && days.ok !== "*";
  return { ok: either ? [line("*", days.ok), line(weekdays, "*")] : [line(weekdays, days.ok)] };
}

/** One launchd calendar interval: missing keys are wildcards. */
export interface LaunchdInterval {
  Minute?: number;
  Hour?: number;
  Day?: number;
  Weekday?: number;
  Month?: number;
}

function restricted(values: readonly number[], from: number, to: number): readonly (number | undefined)[] {
  return values.length === to - from + 1 ? [undefined] : values;
}

/**
 * The `StartCalendarInterval` dictionaries for a cron trigger: the product of its restricted
 * fields (a wildcard field is left out). launchd runs in the Mac's zone and has no seconds.
 */
export function launchdIntervalsOf(spec: CronTriggerSpec): Calendar<LaunchdInterval[]> {
  const fields = parseCronExpression(spec.expression);
  const unsupported = unsupportedDayForms(fields) ?? (fields.lastDayOfMonth ? "the last day of the month (L)" : null);
  if (unsupported) return { untranslatable: `launchd calendars have no ${unsupported}` };
  if (fields.seconds.length !== 1 || fields.seconds[0] !== 0) return { untranslatable: "launchd calendars have no seconds" };
  const days = restricted(maskValues(fields.daysOfMonthMask, 1, 31), 1, 31);
  const weekdays = restricted(maskValues(fields.daysOfWeekMask, 0, 6), 0, 6);
  const dayRestricted = days[0] !== undefined;
  const weekdayRestricted = weekdays[0] !== undefined;
  const either = !fields.dayOfMonthStar && !fields.dayOfWeekStar && dayRestricted && weekdayRestricted;
  if (dayRestricted && weekdayRestricted && !either) {
    return { untranslatable: "launchd cannot require both a day of the month and a weekday (a day field written with *)" };
  }
  const dayChoices: { Day?: number; Weekday?: number }[] = either
    ? [...days.map((Day) => ({ Day })), ...weekdays.map((Weekday) => ({ Weekday }))]
    : days.flatMap((Day) => weekdays.map((Weekday) => ({ Day, Weekday })));
  const intervals: LaunchdInterval[] = [];
  for (const Month of restricted(fields.months, 1, 12)) {
    for (const choice of dayChoices) {
      for (const Hour of restricted(fields.hours, 0, 23)) {
        for (const Minute of restricted(fields.minutes, 0, 59)) {
          const interval: LaunchdInterval = { Minute, Hour, Day: choice.Day, Weekday: choice.Weekday, Month };
          for (const key of Object.keys(interval) as (keyof LaunchdInterval)[]) if (interval[key] === undefined) delete interval[key];
          intervals.push(interval);
          if (intervals.length > MAX_LAUNCHD_INTERVALS) return { untranslatable: `launchd would need more than ${MAX_LAUNCHD_INTERVALS} calendar entries` };
        }
      }
    }
  }
  return { ok: intervals };
}

/**
 * A 5-field crontab expression for a cron trigger (aliases kept, names kept), or why cron
 * cannot read it: seconds other than 0, or `L` / `#` (cronie has neither).
 */
export function crontabExpressionOf(spec: CronTriggerSpec): Calendar<string> {
  const fields = parseCronExpression(spec.expression);
  const text = spec.expression.trim();
  if (fields.lastDayOfMonth || unsupportedDayForms(fields) !== null) return { untranslatable: "cron has no L (last) or # (nth weekday)" };
  if (!fields.hasSeconds) return { ok: text };
  if (fields.seconds.length !== 1 || fields.seconds[0] !== 0) return { untranslatable: "cron has no seconds" };
  return { ok: text.split(/\s+/).slice(1).join(" ") };
}
