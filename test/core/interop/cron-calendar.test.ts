import { describe, expect, it } from "vitest";
import { crontabExpressionOf, launchdIntervalsOf, onCalendarOf } from "../../../electron/core/interop/cron-calendar.js";
import { intervalAsCron } from "../../../electron/core/interop/export-notes.js";

const cron = (expression: string, timezone?: string) => ({ type: "cron" as const, version: 1 as const, expression, ...(timezone ? { timezone } : {}) });

describe("a cron trigger as systemd OnCalendar=", () => {
  it("writes lists, ranges and names as systemd reads them", () => {
    expect(onCalendarOf(cron("*/15 9-17 * * mon-fri"))).toEqual({ ok: ["Mon..Fri *-*-* 09..17:00,15,30,45:00"] });
    expect(onCalendarOf(cron("0 0 1 jan,jul *"))).toEqual({ ok: ["*-01,07-01 00:00:00"] });
    expect(onCalendarOf(cron("@hourly", "Asia/Tokyo"))).toEqual({ ok: ["*-*-* *:00:00 Asia/Tokyo"] });
  });

  it("needs two lines for cron's OR of day-of-month and day-of-week, one when either starts with *", () => {
    expect(onCalendarOf(cron("0 0 1,15 * 5"))).toEqual({ ok: ["*-*-01,15 00:00:00", "Fri *-*-* 00:00:00"] });
    // `*/2` in day-of-month: cron ANDs the two (Vixie's DOM_STAR), as systemd does.
    expect(onCalendarOf(cron("0 0 */10 * 1"))).toEqual({ ok: ["Mon *-*-01,11,21,31 00:00:00"] });
  });

  it("writes L as systemd's last day of the month, and names what it has no form for", () => {
    expect(onCalendarOf(cron("0 12 L * *"))).toEqual({ ok: ["*-*-~01 12:00:00"] });
    expect(onCalendarOf(cron("0 12 * * 5#2"))).toEqual({ untranslatable: "systemd calendars have no an nth weekday of the month (#)" });
  });
});

describe("a cron trigger as launchd calendar intervals", () => {
  it("expands each restricted field and leaves wildcards out", () => {
    expect(launchdIntervalsOf(cron("30 6,18 * * *"))).toEqual({ ok: [{ Minute: 30, Hour: 6 }, { Minute: 30, Hour: 18 }] });
    expect(launchdIntervalsOf(cron("* * * * *"))).toEqual({ ok: [{}] });
  });

  it("refuses what launchd cannot say: seconds, both day fields ANDed, too many entries", () => {
    expect(launchdIntervalsOf(cron("*/10 * * * * *"))).toEqual({ untranslatable: "launchd calendars have no seconds" });
    expect(launchdIntervalsOf(cron("0 0 */10 * 1"))).toMatchObject({ untranslatable: expect.stringContaining("both a day of the month and a weekday") });
    expect(launchdIntervalsOf(cron("* 9-17 * * 1-5"))).toMatchObject({ ok: expect.arrayContaining([{ Hour: 9, Weekday: 1 }]) });
    expect(launchdIntervalsOf(cron("*/2 */2 * * 1-5"))).toMatchObject({ untranslatable: "launchd would need more than 1000 calendar entries" });
  });
});

describe("a cron trigger as a crontab expression", () => {
  it("drops a zero seconds field, keeps aliases and names, refuses other seconds and L", () => {
    expect(crontabExpressionOf(cron("0 30 2 * * *"))).toEqual({ ok: "30 2 * * *" });
    expect(crontabExpressionOf(cron("@weekly"))).toEqual({ ok: "@weekly" });
    expect(crontabExpressionOf(cron("0 0 * jul sun"))).toEqual({ ok: "0 0 * jul sun" });
    expect(crontabExpressionOf(cron("*/10 * * * * *"))).toEqual({ untranslatable: "cron has no seconds" });
    expect(crontabExpressionOf(cron("0 0 L * *"))).toEqual({ untranslatable: "cron has no L (last) or # (nth weekday)" });
  });
});

describe("an interval as a cron line", () => {
  const every = (everySeconds: number, anchor: string) => ({ type: "interval" as const, version: 1 as const, everySeconds, anchor });
  it("keeps the anchor's grid when the period divides an hour or a day", () => {
    expect(intervalAsCron(every(900, "2026-01-01T00:05:00Z"))).toEqual({ expression: "5,20,35,50 * * * *", earlySeconds: 0 });
    expect(intervalAsCron(every(900, "2026-01-01T00:30:07Z"))).toEqual({ expression: "*/15 * * * *", earlySeconds: 7 });
    expect(intervalAsCron(every(6 * 3600, "2026-01-01T03:10:00Z"))).toEqual({ expression: "10 3,9,15,21 * * *", earlySeconds: 0 });
    expect(intervalAsCron(every(86_400, "2026-01-01T22:45:00Z"))).toEqual({ expression: "45 22 * * *", earlySeconds: 0 });
  });

  it("gives up on periods cron cannot repeat exactly", () => {
    expect(intervalAsCron(every(7 * 60, "2026-01-01T00:00:00Z"))).toBeNull();
    expect(intervalAsCron(every(90, "2026-01-01T00:00:00Z"))).toBeNull();
    expect(intervalAsCron(every(5 * 3600, "2026-01-01T00:00:00Z"))).toBeNull();
    expect(intervalAsCron({ ...every(600, "2026-01-01T00:00:00Z"), end: "2026-02-01T00:00:00Z" })).toBeNull();
  });
});
