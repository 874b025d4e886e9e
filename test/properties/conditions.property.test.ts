/**
 * Property (issue 15): for any window, weekday set, skip date and zone (DST zones, a half-hour
 * zone, Lord Howe's half-hour DST), `nextTimeConditionsMet` answers the first minute at which
 * the clock conditions hold — they hold then, and at no whole minute between the start and it.
 * This is what a waiting run's start time rests on.
 *
 * Seeded and bounded: see propertyOptions in ./arbitraries.ts for the seed and how to replay.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextTimeConditionsMet, unmetTimeCondition, WEEKDAYS, type RunConditions } from "../../electron/shared/conditions.js";
import { propertyOptions } from "./arbitraries.js";

const MINUTE = 60_000;
const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "America/Havana"];
const YEAR_2026 = { min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) };

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const conditions: fc.Arbitrary<RunConditions> = fc
  .record({
    window: fc.option(fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1439 })), { nil: undefined }),
    days: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined }),
    skip: fc.option(fc.integer({ min: YEAR_2026.min, max: YEAR_2026.max }), { nil: undefined }),
  })
  .map(({ window, days, skip }) => ({
    ...(window ? { between: `${clock(window[0])}-${clock((window[0] + window[1]) % 1440)}` } : {}),
    ...(days ? { days } : {}),
    ...(skip !== undefined ? { skipDates: [new Date(skip).toISOString().slice(0, 10)] } : {}),
  }));

describe("when the clock conditions next hold", () => {
  it("is a moment they hold, and they hold at no whole minute before it", () => {
    fc.assert(
      fc.property(conditions, fc.constantFrom(...ZONES), fc.integer({ min: YEAR_2026.min, max: YEAR_2026.max }), (given, zone, fromMinute) => {
        const from = Math.floor(fromMinute / MINUTE) * MINUTE;
        const found = nextTimeConditionsMet(given, from, zone, from + 15 * 24 * 60 * MINUTE);
        // A non-empty weekday set, a window of a minute or more and one skip date hold within two weeks.
        expect(found).not.toBeNull();
        expect(unmetTimeCondition(given, found!, zone)).toBeNull();
        for (let at = from; at < found!; at += MINUTE) expect(unmetTimeCondition(given, at, zone)).not.toBeNull();
      }),
      propertyOptions(60),
    );
  });
});
