import { describe, expect, it } from "vitest";
import { cron, cronFires } from "./helpers.js";

// All in UTC so that only the syntax is under test (cron-dst.test.ts covers zones).

describe("cron fields", () => {
  it("fires at the minute and hour a five-field expression names, every day", () => {
    expect(cronFires("30 9 * * *", "UTC", "2026-06-01T00:00:00Z", 2)).toEqual([
      "2026-06-01T09:30:00+00:00",
      "2026-06-02T09:30:00+00:00",
    ]);
  });

  it("reads a sixth field as seconds, placed first", () => {
    expect(cronFires("15 30 9 * * *", "UTC", "2026-06-01T00:00:00Z", 1)).toEqual(["2026-06-01T09:30:15+00:00"]);
    expect(cronFires("*/20 * * * * *", "UTC", "2026-06-01T00:00:00Z", 3)).toEqual([
      "2026-06-01T00:00:20+00:00",
      "2026-06-01T00:00:40+00:00",
      "2026-06-01T00:01:00+00:00",
    ]);
  });

  it("expands ranges, steps and lists", () => {
    expect(cronFires("0 8-12/2,17 * * *", "UTC", "2026-06-01T00:00:00Z", 4)).toEqual([
      "2026-06-01T08:00:00+00:00",
      "2026-06-01T10:00:00+00:00",
      "2026-06-01T12:00:00+00:00",
      "2026-06-01T17:00:00+00:00",
    ]);
  });

  it("accepts month and weekday names in any case", () => {
    // June is skipped; 2026-07-01 is a Wednesday, 07-04/05 a weekend.
    expect(cronFires("0 9 * JAN,jul mon-FRI", "UTC", "2026-06-01T00:00:00Z", 4)).toEqual([
      "2026-07-01T09:00:00+00:00",
      "2026-07-02T09:00:00+00:00",
      "2026-07-03T09:00:00+00:00",
      "2026-07-06T09:00:00+00:00",
    ]);
  });

  it("treats 0 and 7 as Sunday, and accepts both in one list (0,7) as Vixie cron does", () => {
    const sundays = ["2026-03-08T12:00:00+00:00", "2026-03-15T12:00:00+00:00"];
    expect(cronFires("0 12 * * 0,7", "UTC", "2026-03-01T12:00:00Z", 2)).toEqual(sundays);
    expect(cronFires("0 12 * * 7", "UTC", "2026-03-01T12:00:00Z", 2)).toEqual(sundays);
    expect(cronFires("0 12 * * sun,7", "UTC", "2026-03-01T12:00:00Z", 2)).toEqual(sundays);
  });

  it("fires once for a value listed twice or covered by two list items", () => {
    expect(cronFires("0,0,30 * * * *", "UTC", "2026-06-01T00:00:00Z", 3)).toEqual([
      "2026-06-01T00:30:00+00:00",
      "2026-06-01T01:00:00+00:00",
      "2026-06-01T01:30:00+00:00",
    ]);
    expect(cronFires("0-10/5,5 0 * * *", "UTC", "2026-06-01T00:00:00Z", 3)).toEqual([
      "2026-06-01T00:05:00+00:00",
      "2026-06-01T00:10:00+00:00",
      "2026-06-02T00:00:00+00:00",
    ]);
  });

  it("moves strictly forward: a fire time given as `after` yields the next one", () => {
    const trigger = cron("0 * * * *");
    expect(trigger.next(new Date("2026-06-01T05:00:00Z"))?.toISOString()).toBe("2026-06-01T06:00:00.000Z");
    expect(trigger.next(new Date("2026-06-01T04:59:59.999Z"))?.toISOString()).toBe("2026-06-01T05:00:00.000Z");
    expect(cron("* * * * * *").next(new Date("2026-06-01T05:00:00.250Z"))?.toISOString()).toBe(
      "2026-06-01T05:00:01.000Z",
    );
  });
});

describe("cron last day (L) and nth weekday (#)", () => {
  it("reads L in day-of-month as the last day of every month, February included", () => {
    expect(cronFires("0 0 L * *", "UTC", "2027-01-15T00:00:00Z", 4)).toEqual([
      "2027-01-31T00:00:00+00:00",
      "2027-02-28T00:00:00+00:00",
      "2027-03-31T00:00:00+00:00",
      "2027-04-30T00:00:00+00:00",
    ]);
    expect(cronFires("0 0 L 2 *", "UTC", "2027-01-01T00:00:00Z", 3)).toEqual([
      "2027-02-28T00:00:00+00:00",
      "2028-02-29T00:00:00+00:00",
      "2029-02-28T00:00:00+00:00",
    ]);
  });

  it("reads wL in day-of-week as the last such weekday of the month (5L = last Friday)", () => {
    expect(cronFires("0 0 * * 5L", "UTC", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-30T00:00:00+00:00",
      "2026-02-27T00:00:00+00:00",
      "2026-03-27T00:00:00+00:00",
    ]);
  });

  it("reads w#n as the nth such weekday of the month (1#2 = second Monday)", () => {
    expect(cronFires("0 9 * * 1#2", "UTC", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-12T09:00:00+00:00",
      "2026-02-09T09:00:00+00:00",
      "2026-03-09T09:00:00+00:00",
    ]);
    expect(cronFires("0 9 * * mon#2", "UTC", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-12T09:00:00+00:00"]);
  });

  it("skips months without a fifth such weekday (5#5)", () => {
    expect(cronFires("0 0 * * 5#5", "UTC", "2026-01-01T00:00:00Z", 2)).toEqual([
      "2026-01-30T00:00:00+00:00",
      "2026-05-29T00:00:00+00:00",
    ]);
  });

  it("fires on 29 February only in leap years, skipping 2100", () => {
    expect(cronFires("0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2028-02-29T00:00:00+00:00",
      "2032-02-29T00:00:00+00:00",
      "2036-02-29T00:00:00+00:00",
    ]);
    expect(cronFires("0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", 1)).toEqual(["2104-02-29T00:00:00+00:00"]);
  });
});

describe("cron day-of-month and day-of-week together", () => {
  it("fires when either matches if both are restricted (the Vixie cron/cronie OR rule)", () => {
    // 2026-06-01 is a Monday: Mondays, plus the 1st and 15th whatever their weekday.
    expect(cronFires("0 0 1,15 * mon", "UTC", "2026-06-01T00:00:00Z", 6)).toEqual([
      "2026-06-08T00:00:00+00:00",
      "2026-06-15T00:00:00+00:00",
      "2026-06-22T00:00:00+00:00",
      "2026-06-29T00:00:00+00:00",
      "2026-07-01T00:00:00+00:00",
      "2026-07-06T00:00:00+00:00",
    ]);
  });

  it("needs both to match when one starts with * (*/2), as in Vixie cron; cron-parser would OR them", () => {
    // Pinned choice: Vixie sets DOM_STAR for any field whose first character is `*`, and
    // then ANDs the two fields. Odd days of the month that are also Mondays:
    expect(cronFires("0 0 */2 * mon", "UTC", "2026-06-01T00:00:00Z", 4)).toEqual([
      "2026-06-15T00:00:00+00:00",
      "2026-06-29T00:00:00+00:00",
      "2026-07-13T00:00:00+00:00",
      "2026-07-27T00:00:00+00:00",
    ]);
  });

  it("uses only the restricted field when the other is *", () => {
    expect(cronFires("0 0 * * mon", "UTC", "2026-06-01T00:00:00Z", 2)).toEqual([
      "2026-06-08T00:00:00+00:00",
      "2026-06-15T00:00:00+00:00",
    ]);
    expect(cronFires("0 0 13 * *", "UTC", "2026-06-01T00:00:00Z", 2)).toEqual([
      "2026-06-13T00:00:00+00:00",
      "2026-07-13T00:00:00+00:00",
    ]);
  });
});

describe("cron aliases", () => {
  const from = "2026-06-10T10:30:00Z";
  it.each([
    ["@hourly", "0 * * * *"],
    ["@daily", "0 0 * * *"],
    ["@midnight", "0 0 * * *"],
    ["@weekly", "0 0 * * 0"],
    ["@monthly", "0 0 1 * *"],
    ["@yearly", "0 0 1 1 *"],
    ["@annually", "0 0 1 1 *"],
  ])("fires %s exactly like %s", (alias, expression) => {
    expect(cronFires(alias, "UTC", from, 3)).toEqual(cronFires(expression, "UTC", from, 3));
  });

  it("runs @midnight at the start of each day (cron-parser 5.10 does not know it)", () => {
    expect(cronFires("@midnight", "UTC", from, 2)).toEqual(["2026-06-11T00:00:00+00:00", "2026-06-12T00:00:00+00:00"]);
  });
});
