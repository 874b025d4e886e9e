import { describe, expect, it } from "vitest";
import { fromSpec, TriggerError, validateTrigger } from "../../../electron/core/triggers/index.js";
import type { TriggerSpec } from "../../../electron/shared/schemas.js";

const NOW = new Date("2026-06-01T12:00:00Z");

function cronIssues(expression: string, timezone?: string) {
  return validateTrigger({ type: "cron", version: 1, expression, timezone }, NOW);
}

function cronProblem(expression: string): string | undefined {
  return cronIssues(expression).find((issue) => issue.field === "trigger.expression")?.message;
}

describe("cron expression validation", () => {
  it("accepts what the syntax allows", () => {
    for (const expression of ["*/15 * * * *", "0 9 * * 1#2", "0 0 L * *", "15 30 2 * * *", "@midnight", "0 0 * * 0,7"]) {
      expect(cronIssues(expression, "America/New_York"), expression).toEqual([]);
    }
  });

  it.each([
    ["61 * * * *", "minute value 61 out of range 0-59"],
    ["* 24 * * *", "hour value 24 out of range 0-23"],
    ["0 0 32 * *", "day-of-month value 32 out of range 1-31"],
    ["0 0 * 13 *", "month value 13 out of range 1-12"],
    ["0 0 * * 8", "day-of-week value 8 out of range 0-7"],
    ["60 0 0 * * *", "second value 60 out of range 0-59"],
    ["5-70 * * * *", "minute range 5-70 out of range 0-59"],
    ["5-1 * * * *", "minute range 5-1 runs backwards (the start must not be after the end)"],
    ["*/0 * * * *", 'minute "*/0": the step after / must be 1 or more'],
    ["1,,2 * * * *", 'minute "1,,2" has an empty list item'],
    ["a * * * *", 'minute "a" is not a number, range, step or list'],
    ["0 0 * foo *", 'month name "foo" is not a month (use jan–dec or 1–12)'],
    ["0 0 * * funday", 'day-of-week name "funday" is not a day (use sun–sat or 0–7)'],
    ["0 0 * * 1#6", 'day-of-week "1#6": the number after # must be 1–5'],
    ["0 0 * * 1#2,3", 'day-of-week "1#2,3": # cannot be combined with a list, range, step or L'],
    ["0 0 * * L", 'day-of-week "L" needs a weekday before it (e.g. 5L = the last Friday)'],
    ["0 0 3L * *", 'day-of-month "3L": L stands alone in day-of-month (the last day of the month)'],
    ["H * * * *", 'minute "H": H (hashed values) is not supported'],
    ["0 0 15W * *", 'day-of-month "15W": W (nearest weekday) is not supported'],
    ["* * * *", "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 4"],
    ["* * * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 7"],
    ["@every5m", 'unknown alias "@every5m" (use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)'],
    ["   ", "must not be empty"],
  ])("explains what is wrong with %j", (expression, message) => {
    expect(cronProblem(expression)).toBe(message);
  });

  it("rejects dates that never come as never firing (31 and 30 February)", () => {
    expect(cronIssues("0 0 31 2 *")).toEqual([{ field: "trigger.expression", message: "never fires" }]);
    expect(cronIssues("0 0 30 2 *")).toEqual([{ field: "trigger.expression", message: "never fires" }]);
    expect(cronIssues("0 0 31 4,6,9,11 *")).toEqual([{ field: "trigger.expression", message: "never fires" }]);
  });

  it("accepts a rare date that still comes: 29 February, and a fifth Monday in February", () => {
    expect(cronIssues("0 0 29 2 *")).toEqual([]);
    // Only when 29 February is a Monday: 2044 is the next such year after 2026.
    expect(cronIssues("0 0 * 2 1#5")).toEqual([]);
    expect(fromSpec({ type: "cron", version: 1, expression: "0 0 * 2 1#5", timezone: "UTC" }).next(NOW)?.toISOString()).toBe(
      "2044-02-29T00:00:00.000Z",
    );
  });

  it("accepts an impossible day of month rescued by a weekday (OR rule)", () => {
    expect(cronIssues("0 0 31 2 mon")).toEqual([]);
  });

  it("names an unknown time zone, alongside any expression problem", () => {
    expect(cronIssues("0 0 * * *", "Mars/Base")).toEqual([{ field: "trigger.timezone", message: 'unknown time zone "Mars/Base"' }]);
    expect(cronIssues("61 * * * *", "Mars/Base")).toEqual([
      { field: "trigger.expression", message: "minute value 61 out of range 0-59" },
      { field: "trigger.timezone", message: 'unknown time zone "Mars/Base"' },
    ]);
  });
});

describe("fromSpec", () => {
  it("throws a TriggerError naming the field and the problem", () => {
    const attempt = () => fromSpec({ type: "cron", version: 1, expression: "61 * * * *" });
    expect(attempt).toThrow(TriggerError);
    expect(attempt).toThrow("trigger.expression: minute value 61 out of range 0-59");
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ name: "TriggerError", field: "trigger.expression", problem: "minute value 61 out of range 0-59" });
    }
    expect(() => fromSpec({ type: "cron", version: 1, expression: "* * * * *", timezone: "Mars/Base" })).toThrow(
      'trigger.timezone: unknown time zone "Mars/Base"',
    );
    expect(() => fromSpec({ type: "date", version: 1, at: "next tuesday" })).toThrow("trigger.at: must be an ISO 8601 date-time");
    expect(() => fromSpec({ type: "interval", version: 1, everySeconds: 60 })).toThrow(/^trigger\.anchor: is required/);
  });

  it("rejects an unknown trigger type in one place", () => {
    const spec = { type: "solar", version: 1 } as unknown as TriggerSpec;
    expect(() => fromSpec(spec)).toThrow('trigger.type: unknown trigger type "solar"');
    expect(validateTrigger(spec, NOW)).toEqual([{ field: "trigger.type", message: 'unknown trigger type "solar"' }]);
  });
});

describe("date and interval validation", () => {
  it("refuses a date in the past, or now", () => {
    expect(validateTrigger({ type: "date", version: 1, at: "2026-06-01T11:59:59Z" }, NOW)).toEqual([
      { field: "trigger.at", message: "is in the past" },
    ]);
    expect(validateTrigger({ type: "date", version: 1, at: NOW.toISOString() }, NOW)).toEqual([
      { field: "trigger.at", message: "is in the past" },
    ]);
    expect(validateTrigger({ type: "date", version: 1, at: "2026-06-01T12:00:01Z" }, NOW)).toEqual([]);
    expect(validateTrigger({ type: "date", version: 1, at: "soon" }, NOW)).toEqual([
      { field: "trigger.at", message: "must be an ISO 8601 date-time" },
    ]);
  });

  it("reports every interval problem at once", () => {
    expect(
      validateTrigger(
        { type: "interval", version: 1, everySeconds: 0, start: "2026-07-01T00:00:00Z", end: "2026-06-15T00:00:00Z", jitterSeconds: -1 },
        NOW,
      ),
    ).toEqual([
      { field: "trigger.everySeconds", message: "must be a whole number of seconds longer than zero" },
      { field: "trigger.end", message: "is before start" },
      { field: "trigger.jitterSeconds", message: "must be a whole number of seconds, zero or more" },
    ]);
  });

  it("flags an end in the past, a jitter as long as the period and a window with no slot", () => {
    expect(validateTrigger({ type: "interval", version: 1, everySeconds: 60, anchor: "2026-05-01T00:00:00Z", end: "2026-05-02T00:00:00Z" }, NOW)).toEqual([
      { field: "trigger.end", message: "is in the past" },
    ]);
    expect(validateTrigger({ type: "interval", version: 1, everySeconds: 60, anchor: "2026-06-01T00:00:00Z", jitterSeconds: 60 }, NOW)).toEqual([
      { field: "trigger.jitterSeconds", message: "must be shorter than the interval" },
    ]);
    expect(
      validateTrigger(
        { type: "interval", version: 1, everySeconds: 3600, anchor: "2026-07-01T00:00:00Z", start: "2026-07-01T00:10:00Z", end: "2026-07-01T00:50:00Z" },
        NOW,
      ),
    ).toEqual([{ field: "trigger.end", message: "leaves no run between start and end" }]);
    expect(validateTrigger({ type: "interval", version: 1, everySeconds: 1.5, anchor: "2026-06-01T00:00:00Z" }, NOW)).toEqual([
      { field: "trigger.everySeconds", message: "must be a whole number of seconds longer than zero" },
    ]);
  });

  it("leaves a missing anchor to the service, which sets it at creation", () => {
    expect(validateTrigger({ type: "interval", version: 1, everySeconds: 300 }, NOW)).toEqual([]);
  });
});
