// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { formatMoment, formatRelative, formatRunDuration, formatSpan, statusLook } from "../../renderer/src/lib/format.js";
import { describeCron, describeSchedule } from "../../renderer/src/lib/schedule.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const MINUTE = 60_000;

describe("countdowns and ages", () => {
  it("reads a time ahead as 'in …' with at most two units", () => {
    expect(formatRelative(NOW + 12 * MINUTE, NOW)).toBe("in 12m");
    expect(formatRelative(NOW + (4 * 60 + 12) * MINUTE + 30_000, NOW)).toBe("in 4h 12m");
    expect(formatRelative(NOW + 45_000, NOW)).toBe("in 45s");
    expect(formatRelative(NOW + 2 * 24 * 60 * MINUTE + 3 * 60 * MINUTE, NOW)).toBe("in 2d 3h");
    expect(formatRelative(NOW + 3 * 60 * MINUTE, NOW)).toBe("in 3h");
  });

  it("reads a time behind as '… ago', and under a second as 'now'", () => {
    expect(formatRelative(NOW - 3 * MINUTE, NOW)).toBe("3m ago");
    expect(formatRelative(NOW - 3 * MINUTE - 59_000, NOW)).toBe("3m ago");
    expect(formatRelative(NOW - 400, NOW)).toBe("now");
  });

  it("formats spans and run durations compactly", () => {
    expect(formatSpan(59_999)).toBe("59s");
    expect(formatRunDuration(850)).toBe("850ms");
    expect(formatRunDuration(3_240)).toBe("3.2s");
    expect(formatRunDuration(65_000)).toBe("1m 5s");
    expect(formatRunDuration(null)).toBe("—");
  });

  // The clock style (24 h or AM/PM) is the user's locale's.
  it("shows only the time for today and the day for other days", () => {
    expect(formatMoment("2026-03-01T15:04:00Z", NOW, "UTC")).toMatch(/^(15|03):04/);
    expect(formatMoment("2026-03-01T15:04:00Z", NOW, "UTC")).not.toMatch(/Mar/);
    expect(formatMoment("2026-03-03T15:04:00Z", NOW, "UTC")).toMatch(/Mar.*(15|03):04/);
    expect(formatMoment("2027-03-03T15:04:00Z", NOW, "UTC")).toMatch(/2027/);
    expect(formatMoment(null, NOW)).toBe("—");
  });
});

describe("run statuses", () => {
  it("have words and an icon, not only a colour", () => {
    expect(statusLook("succeeded")).toEqual({ label: "Succeeded", icon: "✓", tone: "good" });
    expect(statusLook("failed").label).toBe("Failed");
    expect(statusLook("timed_out").icon).not.toBe("");
  });
});

describe("schedules in words", () => {
  it("reads cron with cronstrue, keeping the raw expression for the tooltip", () => {
    expect(describeCron("*/5 * * * *")).toBe("Every 5 minutes");
    expect(describeCron("@midnight")).toBe("At 00:00");
    expect(describeSchedule({ type: "cron", version: 1, expression: "0 3 * * *" }, NOW, "UTC")).toEqual({ text: "At 03:00", title: "0 3 * * *" });
  });

  it("names a cron job's zone only when it is not this computer's", () => {
    const trigger = { type: "cron", version: 1, expression: "0 3 * * *", timezone: "Asia/Tokyo" } as const;
    expect(describeSchedule(trigger, NOW, "Asia/Tokyo").text).toBe("At 03:00");
    expect(describeSchedule(trigger, NOW, "UTC").text).toBe("At 03:00 (Asia/Tokyo)");
  });

  it("reads intervals as 'Every 5m' and dates as 'Once at …'", () => {
    expect(describeSchedule({ type: "interval", version: 1, everySeconds: 300 }, NOW, "UTC").text).toBe("Every 5m");
    expect(describeSchedule({ type: "interval", version: 1, everySeconds: 5400 }, NOW, "UTC").text).toBe("Every 1h30m");
    expect(describeSchedule({ type: "date", version: 1, at: "2026-04-01T09:00:00Z" }, NOW, "UTC").text).toMatch(/^Once at /);
  });

  it("shows an expression cronstrue cannot read as it is", () => {
    expect(describeCron("61 * * * *")).toBe("61 * * * *");
  });
});
