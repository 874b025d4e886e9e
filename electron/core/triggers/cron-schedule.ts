/**
 * Which wall-clock (civil) times a cron expression matches, searched on the plain calendar
 * with no zone involved. cron.ts maps the matches to instants under the DST rules.
 */
import { civilFromDays, daysFromCivil, daysInMonth, DAY_MS, SECOND_MS, weekdayOfDays } from "../../shared/civil-time.js";
import type { CronFields } from "./cron-fields.js";

const NONE = -1;

/** `table[x]` = the smallest allowed value ≥ x, or NONE; one slot past `max` is always NONE. */
function nextAtOrAfterTable(values: readonly number[], max: number): Int16Array {
  const table = new Int16Array(max + 2).fill(NONE);
  for (const value of values) table[value] = value;
  for (let x = max; x >= 0; x--) {
    if (table[x] === NONE) table[x] = table[x + 1]!;
  }
  return table;
}

const schedules = new WeakMap<CronFields, CivilSchedule>();

/** The schedule for parsed fields, shared by every trigger with the same expression. */
export function civilScheduleFor(fields: CronFields): CivilSchedule {
  let schedule = schedules.get(fields);
  if (!schedule) {
    schedule = new CivilSchedule(fields);
    schedules.set(fields, schedule);
  }
  return schedule;
}

/** Civil-time matching for one parsed expression; tables are built once, lookups allocate nothing. */
export class CivilSchedule {
  private readonly nextSecond: Int16Array;
  private readonly nextMinute: Int16Array;
  private readonly nextHour: Int16Array;
  private readonly nextMonth: Int16Array;
  private readonly firstSecond: number;
  private readonly firstMinute: number;
  private readonly firstMonth: number;
  /** Vixie cron/cronie: if either day field starts with `*`, both must match; otherwise either. */
  private readonly daysCombineWithAnd: boolean;

  constructor(private readonly fields: CronFields) {
    this.nextSecond = nextAtOrAfterTable(fields.seconds, 59);
    this.nextMinute = nextAtOrAfterTable(fields.minutes, 59);
    this.nextHour = nextAtOrAfterTable(fields.hours, 23);
    this.nextMonth = nextAtOrAfterTable(fields.months, 12);
    this.firstSecond = this.nextSecond[0]!;
    this.firstMinute = this.nextMinute[0]!;
    this.firstMonth = this.nextMonth[1]!;
    this.daysCombineWithAnd = fields.dayOfMonthStar || fields.dayOfWeekStar;
  }

  /**
   * The first matching civil time at or after `from` and at or before `limit` (civil ms,
   * see civil.ts), or null. `from` is rounded up to a whole second.
   */
  nextMatch(from: number, limit: number): number | null {
    const start = Math.ceil(from / SECOND_MS) * SECOND_MS;
    let days = Math.floor(start / DAY_MS);
    let secondOfDay = (start - days * DAY_MS) / SECOND_MS;
    let { year, month, day } = civilFromDays(days);
    const lastDay = Math.floor(limit / DAY_MS);
    while (days <= lastDay) {
      if (this.nextMonth[month] !== month) {
        const next = this.nextMonth[month]!;
        if (next === NONE) {
          year += 1;
          month = this.firstMonth;
        } else {
          month = next;
        }
        day = 1;
        days = daysFromCivil(year, month, 1);
        secondOfDay = 0;
        continue;
      }
      const monthLength = daysInMonth(year, month);
      if (this.dayMatches(day, monthLength, weekdayOfDays(days))) {
        const second = this.nextTimeOfDay(secondOfDay);
        if (second !== NONE) {
          const match = days * DAY_MS + second * SECOND_MS;
          return match <= limit ? match : null;
        }
      }
      days += 1;
      day += 1;
      secondOfDay = 0;
      if (day > monthLength) {
        day = 1;
        month += 1;
        if (month > 12) {
          month = 1;
          year += 1;
        }
      }
    }
    return null;
  }

  private dayMatches(day: number, monthLength: number, weekday: number): boolean {
    const f = this.fields;
    const dayOfMonth = (f.daysOfMonthMask & (1 << day)) !== 0 || (f.lastDayOfMonth && day === monthLength);
    const dayOfWeek =
      ((f.daysOfWeekMask & (1 << weekday)) !== 0 && (f.nthWeekday === 0 || Math.ceil(day / 7) === f.nthWeekday)) ||
      ((f.lastWeekdaysMask & (1 << weekday)) !== 0 && day + 7 > monthLength);
    return this.daysCombineWithAnd ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
  }

  /** The first matching second of the day at or after `secondOfDay`, or NONE. */
  private nextTimeOfDay(secondOfDay: number): number {
    let hour = Math.floor(secondOfDay / 3600);
    let minute = Math.floor((secondOfDay % 3600) / 60);
    let second = secondOfDay % 60;
    for (;;) {
      const matchedHour = this.nextHour[hour]!;
      if (matchedHour === NONE) return NONE;
      if (matchedHour !== hour) {
        return matchedHour * 3600 + this.firstMinute * 60 + this.firstSecond;
      }
      const matchedMinute = this.nextMinute[minute]!;
      if (matchedMinute !== NONE) {
        if (matchedMinute !== minute) return hour * 3600 + matchedMinute * 60 + this.firstSecond;
        const matchedSecond = this.nextSecond[second]!;
        if (matchedSecond !== NONE) return hour * 3600 + minute * 60 + matchedSecond;
        const laterMinute = this.nextMinute[minute + 1]!;
        if (laterMinute !== NONE) return hour * 3600 + laterMinute * 60 + this.firstSecond;
      }
      hour += 1;
      minute = 0;
      second = 0;
      if (hour > 23) return NONE;
    }
  }
}
