/**
 * A job's run conditions (issue 15, DESIGN.md "Beyond the clock"): when a run falls due, it
 * starts only if every condition holds — a time window (`between`, in the job's zone, may wrap
 * midnight), weekdays, dates to skip, mains power, a network. What happens otherwise is the
 * job's `whenUnmet` policy (policies.ts): the run is recorded skipped, or waits.
 *
 * Pure and zod-free: the engine, `sundial next` and the renderer read the same rules. Zones
 * come from civil-time.ts; the words of an unmet condition from wording.ts.
 *
 * Each condition is checked on its own at the moment in question: `days` and `skipDates` look
 * at that moment's calendar date in the zone, so `between 22:00-02:00` with `days: ["fri"]`
 * holds on Friday from 22:00 to midnight and on Friday from 00:00 to 02:00 — not on Saturday
 * morning.
 */
import { civilFromDays, daysFromCivil, isRealWallTime, wallTimeAt, wallTimeToInstant, weekdayOfDays, ZoneRules } from "./civil-time.js";

/** Weekdays as jobs store them; index = JavaScript's getDay() (0 = Sunday). */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A job's conditions as jobs.json and the API hold them; every one optional. */
export interface RunConditions {
  /** `HH:MM-HH:MM`, wall time in the job's zone: start included, end excluded; may wrap midnight. */
  between?: string;
  days?: Weekday[];
  /** `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD` (both ends included), in the job's zone. */
  skipDates?: string[];
  acPower?: true;
  online?: true;
}

/** What the machine says about its power and network; null: it cannot tell (counts as holding). */
export interface SystemReadings {
  onAcPower: boolean | null;
  online: boolean | null;
}

/** The first condition found not to hold at a moment; wording.ts `unmetConditionWords` says it. */
export type UnmetCondition =
  | { kind: "between"; between: string }
  | { kind: "days"; weekday: Weekday }
  | { kind: "skipDate"; date: string }
  | { kind: "acPower" }
  | { kind: "online" };

/** A parsed `between`: minutes after midnight, start included, end excluded. */
export interface TimeWindow {
  startMinute: number;
  endMinute: number;
}

const BETWEEN = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The window `HH:MM-HH:MM` names, or a problem ("25:00 is not a time of day"). */
export function readTimeWindow(text: string): { window: TimeWindow; problem?: undefined } | { window?: undefined; problem: string } {
  const match = BETWEEN.exec(text.trim());
  if (!match) return { problem: `"${text}" must be HH:MM-HH:MM (e.g. 09:00-17:00)` };
  const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number) as [number, number, number, number];
  for (const [hour, minute, written] of [
    [startHour, startMinute, `${match[1]}:${match[2]}`],
    [endHour, endMinute, `${match[3]}:${match[4]}`],
  ] as const) {
    if (hour > 23 || minute > 59) return { problem: `"${text}": ${written} is not a time of day (00:00 to 23:59)` };
  }
  const window = { startMinute: startHour * 60 + startMinute, endMinute: endHour * 60 + endMinute };
  if (window.startMinute === window.endMinute) return { problem: `"${text}" starts and ends at the same time; leave it out to allow any time` };
  return { window };
}

/** `between` in its stored form (`9:00-17:00` → `09:00-17:00`), or null when it does not read. */
export function normalizedBetween(text: string): string | null {
  const { window } = readTimeWindow(text);
  if (!window) return null;
  const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return `${clock(window.startMinute)}-${clock(window.endMinute)}`;
}

/** A calendar date `YYYY-MM-DD` as a day number (daysFromCivil), or a problem. */
function readDate(text: string): { day: number; problem?: undefined } | { day?: undefined; problem: string } {
  const match = DATE.exec(text);
  if (!match) return { problem: `"${text}" must be a date YYYY-MM-DD` };
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (!isRealWallTime({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 })) return { problem: `"${text}" is not a date on the calendar` };
  return { day: daysFromCivil(year, month, day) };
}

/** A skip entry (`2026-12-24` or `2026-12-24..2027-01-02`) as first and last day numbers, or a problem. */
export function readSkipDate(text: string): { first: number; last: number; problem?: undefined } | { first?: undefined; last?: undefined; problem: string } {
  const parts = text.trim().split("..");
  if (parts.length > 2) return { problem: `"${text}" must be a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD` };
  const first = readDate(parts[0]!.trim());
  if (first.problem !== undefined) return { problem: first.problem };
  const last = parts.length === 2 ? readDate(parts[1]!.trim()) : first;
  if (last.problem !== undefined) return { problem: last.problem };
  if (last.day < first.day) return { problem: `"${text}" ends before it starts` };
  return { first: first.day, last: last.day };
}

/**
 * A weekday list as people type it: names and ranges, comma-separated (`mon-fri`,
 * `mon,wed,fri`, `sat-sun`, `fri-mon` wraps the weekend; full names and any case too), in
 * week order from Monday. A problem for an empty list or an unknown day.
 */
export function readDayList(text: string): { days: Weekday[]; problem?: undefined } | { days?: undefined; problem: string } {
  const chosen = new Set<number>();
  const parts = text.split(",").map((part) => part.trim());
  if (parts.every((part) => part === "")) return { problem: "must name at least one day (e.g. mon-fri, sat,sun)" };
  for (const part of parts) {
    if (part === "") return { problem: `"${text}" has an empty entry` };
    const ends = part.split("-").map((end) => weekdayIndex(end));
    if (ends.length > 2 || ends.some((index) => index === null)) {
      const unknown = part.split("-").find((end) => weekdayIndex(end) === null) ?? part;
      return { problem: `"${unknown.trim()}" is not a day; use mon, tue, wed, thu, fri, sat, sun (or a range such as mon-fri)` };
    }
    const [from, to = from] = ends as number[];
    for (let day = from!; ; day = (day + 1) % 7) {
      chosen.add(day);
      if (day === to) break;
    }
  }
  return { days: sortedWeekdays([...chosen].map((index) => WEEKDAYS[index]!)) };
}

/** Days in week order from Monday (how people read a week), each once. */
export function sortedWeekdays(days: readonly Weekday[]): Weekday[] {
  return [...new Set(days)].sort((a, b) => mondayFirstIndex(a) - mondayFirstIndex(b));
}

/** A day's place in a week that starts on Monday: mon 0 … sun 6. */
export function mondayFirstIndex(day: Weekday): number {
  return (WEEKDAYS.indexOf(day) + 6) % 7;
}

const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** `mon`, `Monday`, `tues`: at least three letters of the day's name. */
function weekdayIndex(text: string): number | null {
  const key = text.trim().toLowerCase();
  if (key.length < 3) return null;
  const index = DAY_NAMES.findIndex((name) => name.startsWith(key));
  return index >= 0 ? index : null;
}

/** True when the job has a condition that depends on the clock (between, days, skip dates). */
export function hasTimeConditions(conditions: RunConditions | undefined): boolean {
  return conditions !== undefined && (conditions.between !== undefined || (conditions.days?.length ?? 0) > 0 || (conditions.skipDates?.length ?? 0) > 0);
}

/** True when the job has a condition on the machine's state (power, network). */
export function hasSystemConditions(conditions: RunConditions | undefined): boolean {
  return conditions?.acPower === true || conditions?.online === true;
}

/** True when no condition is set (an absent or empty `conditions`). */
export function hasConditions(conditions: RunConditions | undefined): boolean {
  return hasTimeConditions(conditions) || hasSystemConditions(conditions);
}

/** The first clock condition that does not hold at `atMs` in `zone`, or null when they all hold. */
export function unmetTimeCondition(conditions: RunConditions | undefined, atMs: number, zone: string): UnmetCondition | null {
  if (!conditions || !hasTimeConditions(conditions)) return null;
  const wall = wallTimeAt(atMs, zone);
  const day = daysFromCivil(wall.year, wall.month, wall.day);
  if (conditions.skipDates?.length) {
    for (const entry of conditions.skipDates) {
      const range = readSkipDate(entry);
      if (range.problem === undefined && day >= range.first && day <= range.last) return { kind: "skipDate", date: isoDate(wall) };
    }
  }
  if (conditions.days?.length) {
    const weekday = WEEKDAYS[weekdayOfDays(day)]!;
    if (!conditions.days.includes(weekday)) return { kind: "days", weekday };
  }
  if (conditions.between !== undefined) {
    const { window } = readTimeWindow(conditions.between);
    if (window && !inWindow(window, wall.hour * 60 + wall.minute)) return { kind: "between", between: normalizedBetween(conditions.between) ?? conditions.between };
  }
  return null;
}

/**
 * The first condition that does not hold at `atMs`: the clock's first, then power, then the
 * network. A reading of null (the machine cannot tell) counts as holding; a machine without a
 * battery reports itself on AC.
 */
export function unmetCondition(conditions: RunConditions | undefined, atMs: number, zone: string, system: SystemReadings): UnmetCondition | null {
  const byTime = unmetTimeCondition(conditions, atMs, zone);
  if (byTime) return byTime;
  if (conditions?.acPower && system.onAcPower === false) return { kind: "acPower" };
  if (conditions?.online && system.online === false) return { kind: "online" };
  return null;
}

/** Days searched ahead for the clock conditions to hold (a skip range longer than this waits in steps). */
export const CONDITION_SEARCH_DAYS = 800;

/**
 * The earliest instant at or after `fromMs`, and at or before `untilMs`, at which the clock
 * conditions hold; null when they do not within that span (or within CONDITION_SEARCH_DAYS).
 * They change only where the wall clock crosses a window's start or midnight, or where the
 * zone's offset changes (a spring-forward jump can land inside the window), so those instants
 * are the candidates.
 */
export function nextTimeConditionsMet(conditions: RunConditions | undefined, fromMs: number, zone: string, untilMs = Infinity): number | null {
  if (unmetTimeCondition(conditions, fromMs, zone) === null) return fromMs;
  const window = conditions?.between !== undefined ? readTimeWindow(conditions.between).window : undefined;
  const first = wallTimeAt(fromMs, zone);
  const firstDay = daysFromCivil(first.year, first.month, first.day);
  const rules = ZoneRules.for(zone);
  for (let day = firstDay; day <= firstDay + CONDITION_SEARCH_DAYS; day++) {
    const midnight = wallStart(day, 0, zone);
    if (midnight > untilMs) return null;
    const candidates = [midnight];
    if (window) candidates.push(wallStart(day, window.startMinute, zone));
    for (const transition of rules.transitionsBetween(midnight - 1, wallStart(day + 1, 0, zone))) candidates.push(transition.at);
    candidates.sort((a, b) => a - b);
    for (const candidate of candidates) {
      if (candidate <= fromMs || candidate > untilMs) continue;
      if (unmetTimeCondition(conditions, candidate, zone) === null) return candidate;
    }
  }
  return null;
}

/**
 * Fire times as the job would run them with its clock conditions: under `skip` the times
 * when they do not hold are left out; under `wait` such a time moves to when they next hold
 * (within `waitUpToSeconds`, else it is left out), and times that meet one waiting run are
 * one run. Power and network cannot be foreseen: they are taken to hold.
 */
export function timesWithConditions(times: readonly number[], conditions: RunConditions | undefined, whenUnmet: "skip" | "wait", waitUpToSeconds: number | undefined, zone: string): number[] {
  if (!hasTimeConditions(conditions)) return [...times];
  const result: number[] = [];
  let waitingUntil = -Infinity;
  for (const time of times) {
    if (time <= waitingUntil) continue; // folded into the run waiting for that moment
    if (unmetTimeCondition(conditions, time, zone) === null) {
      result.push(time);
      continue;
    }
    if (whenUnmet === "skip") continue;
    const limit = waitUpToSeconds === undefined ? Infinity : time + waitUpToSeconds * 1000;
    const start = nextTimeConditionsMet(conditions, time, zone, limit);
    if (start === null) continue;
    waitingUntil = start;
    if (result[result.length - 1] !== start) result.push(start);
  }
  return result;
}

function inWindow(window: TimeWindow, minute: number): boolean {
  return window.startMinute < window.endMinute ? minute >= window.startMinute && minute < window.endMinute : minute >= window.startMinute || minute < window.endMinute;
}

/** The instant a wall time of day `day` (days since 1970) starts in `zone` (a gap moves forward). */
function wallStart(day: number, minuteOfDay: number, zone: string): number {
  const date = civilFromDays(day);
  return wallTimeToInstant({ ...date, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, second: 0, millisecond: 0 }, zone);
}

function isoDate(wall: { year: number; month: number; day: number }): string {
  return `${String(wall.year).padStart(4, "0")}-${String(wall.month).padStart(2, "0")}-${String(wall.day).padStart(2, "0")}`;
}
