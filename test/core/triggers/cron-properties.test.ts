import { describe, expect, it } from "vitest";
import { formatInZone } from "../../../electron/core/triggers/index.js";
import { cron } from "./helpers.js";

// Ten years of next() for each expression × zone: ~700k calls in all, a few seconds on 2 cores.
const FROM = new Date("2026-01-01T00:00:00Z");
const UNTIL = new Date("2036-01-01T00:00:00Z");

const iterated = new Map<string, Date[]>();

/** Every fire in [FROM, UNTIL), memoised: several properties look at the same run. */
function iterate(expression: string, zone: string): Date[] {
  const key = `${expression}|${zone}`;
  let fired = iterated.get(key);
  if (!fired) {
    fired = iterateUncached(expression, zone);
    iterated.set(key, fired);
  }
  return fired;
}

function iterateUncached(expression: string, zone: string): Date[] {
  const trigger = cron(expression, zone);
  const fired: Date[] = [];
  let cursor: Date | null = FROM;
  while (cursor && cursor < UNTIL) {
    const next: Date | null = trigger.next(cursor);
    if (next === null || next >= UNTIL) break;
    fired.push(next);
    cursor = next;
  }
  return fired;
}

function wallDate(date: Date, zone: string): string {
  return formatInZone(date, zone).slice(0, 10);
}

function wallTime(date: Date, zone: string): string {
  return formatInZone(date, zone).slice(11, 19);
}

/** Every calendar date from `first` to `last` (inclusive), as YYYY-MM-DD. */
function consecutiveDays(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= Date.parse(`${last}T00:00:00Z`); day += 86_400_000) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

/** True when the offset changes at `date` (the fire is the instant of a spring-forward jump). */
function isOffsetChange(date: Date, zone: string): boolean {
  return formatInZone(new Date(date.getTime() - 1000), zone).slice(-6) !== formatInZone(date, zone).slice(-6);
}

const CASES: [expression: string, zone: string][] = [
  ["0 * * * *", "America/New_York"],
  ["0 * * * *", "Europe/Berlin"],
  ["*/30 * * * *", "America/New_York"],
  ["*/30 * * * *", "Europe/Berlin"],
  ["*/30 * * * *", "Australia/Lord_Howe"],
  ["30 2 * * *", "America/New_York"],
  ["30 2 * * *", "Europe/Berlin"],
  ["0 0 * * *", "America/Havana"],
  ["0 0 * * *", "America/Santiago"],
  ["0 0 L * *", "America/New_York"],
  ["0 9 * * 1#2", "Europe/Berlin"],
  ["0 0 29 2 *", "America/New_York"],
  ["15 1 * * 0,7", "America/New_York"],
];

describe("ten years of next()", () => {
  it.each(CASES)("strictly increases for %s in %s, never repeating a fire", (expression, zone) => {
    const fired = iterate(expression, zone);
    expect(fired.length).toBeGreaterThan(0);
    for (let i = 1; i < fired.length; i++) {
      if (!(fired[i]! > fired[i - 1]!)) {
        expect.fail(`fire ${i} (${fired[i]!.toISOString()}) is not after ${fired[i - 1]!.toISOString()}`);
      }
    }
  });

  it.each([
    ["0 * * * *", "America/New_York", 3600],
    ["0 * * * *", "Europe/Berlin", 3600],
    ["*/30 * * * *", "America/New_York", 1800],
    ["*/30 * * * *", "Europe/Berlin", 1800],
    ["*/30 * * * *", "Australia/Lord_Howe", 1800],
  ] as const)("keeps %s in %s on real elapsed time: every gap is %i s", (expression, zone, seconds) => {
    const fired = iterate(expression, zone);
    const expected = (UNTIL.getTime() - FROM.getTime()) / (seconds * 1000) - 1;
    expect(fired.length).toBe(expected);
    const odd = fired.findIndex((date, i) => i > 0 && date.getTime() - fired[i - 1]!.getTime() !== seconds * 1000);
    expect(odd, odd >= 0 ? `gap before ${fired[odd]!.toISOString()}` : "").toBe(-1);
  });

  it.each([
    ["30 2 * * *", "America/New_York", "02:30:00"],
    ["30 2 * * *", "Europe/Berlin", "02:30:00"],
    ["0 0 * * *", "America/Havana", "00:00:00"],
    ["0 0 * * *", "America/Santiago", "00:00:00"],
  ] as const)("fires %s in %s exactly once per calendar day, at %s or the jump over it", (expression, zone, time) => {
    const dates = iterate(expression, zone).map((date) => wallDate(date, zone));
    // 2026–2035 has 3652 days; the first or last may fall outside the UTC window.
    expect(dates.length).toBeGreaterThanOrEqual(3651);
    expect(dates).toEqual(consecutiveDays(dates[0]!, dates.at(-1)!));
    const fired = iterate(expression, zone);
    for (const date of fired) {
      if (wallTime(date, zone) !== time && !isOffsetChange(date, zone)) {
        expect.fail(`${formatInZone(date, zone)} is neither ${time} nor a DST jump`);
      }
    }
  });

  it("fires the monthly, yearly and weekly expressions once per period", () => {
    expect(iterate("0 0 L * *", "America/New_York")).toHaveLength(120);
    expect(iterate("0 9 * * 1#2", "Europe/Berlin")).toHaveLength(120);
    // 2028 and 2032 are the leap years in 2026–2035.
    expect(iterate("0 0 29 2 *", "America/New_York").map((date) => wallDate(date, "America/New_York"))).toEqual([
      "2028-02-29",
      "2032-02-29",
    ]);
    const sundays = iterate("15 1 * * 0,7", "America/New_York");
    expect(sundays).toHaveLength(522);
    expect(new Set(sundays.map((date) => wallDate(date, "America/New_York"))).size).toBe(522);
  });
});
