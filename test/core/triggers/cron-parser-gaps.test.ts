import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { cron } from "./helpers.js";

// Why cron.ts does its own next-time search: the cron-parser 5.10 behaviours below are wrong
// for Sundial (DESIGN.md "Semantics to get right"). If an upgrade fixes them, these tests
// fail, and the wrapping can be revisited; the engine's own tests do not depend on them.

function theirNext(expression: string, fromIso: string, tz: string): string {
  return CronExpressionParser.parse(expression, { currentDate: fromIso, tz }).next().toDate().toISOString();
}

function ourNext(expression: string, fromIso: string, tz: string): string | undefined {
  return cron(expression, tz).next(new Date(fromIso))?.toISOString();
}

describe("cron-parser 5.10 gaps that the cron trigger covers", () => {
  it("rejects a repeated list value such as 0,7, which we accept", () => {
    expect(() => CronExpressionParser.parse("0 0 * * 0,7")).toThrow(/duplicate values/);
    expect(ourNext("0 0 * * 0,7", "2026-03-02T00:00:00Z", "UTC")).toBe("2026-03-08T00:00:00.000Z");
  });

  it("does not know @midnight, which we read as @daily", () => {
    expect(() => CronExpressionParser.parse("@midnight")).toThrow();
    expect(ourNext("@midnight", "2026-03-02T12:00:00Z", "UTC")).toBe("2026-03-03T00:00:00.000Z");
  });

  it("picks the second midnight when a fall-back repeats it (Havana); we pick the first", () => {
    expect(theirNext("0 0 * * *", "2026-10-31T12:00:00Z", "America/Havana")).toBe("2026-11-01T05:00:00.000Z");
    expect(ourNext("0 0 * * *", "2026-10-31T12:00:00Z", "America/Havana")).toBe("2026-11-01T04:00:00.000Z");
  });

  it("runs a fixed time again when asked from inside the repeated hour; we do not", () => {
    // 01:30 EDT ran at 05:30Z; 06:10Z is 01:10 EST.
    expect(theirNext("30 1 * * *", "2026-11-01T06:10:00Z", "America/New_York")).toBe("2026-11-01T06:30:00.000Z");
    expect(ourNext("30 1 * * *", "2026-11-01T06:10:00Z", "America/New_York")).toBe("2026-11-02T06:30:00.000Z");
  });

  it("shifts a time in a spring-forward gap by the gap (03:30) instead of running at the jump (03:00)", () => {
    expect(theirNext("30 2 * * *", "2026-03-07T12:00:00Z", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    expect(ourNext("30 2 * * *", "2026-03-07T12:00:00Z", "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
  });

  it("ORs the day fields when one is */2, where Vixie cron ANDs them", () => {
    expect(theirNext("0 0 */2 * 1", "2026-06-01T00:00:00Z", "UTC")).toBe("2026-06-03T00:00:00.000Z");
    expect(ourNext("0 0 */2 * 1", "2026-06-01T00:00:00Z", "UTC")).toBe("2026-06-15T00:00:00.000Z");
  });
});
