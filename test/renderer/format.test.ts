// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { followTimeFormat, formatMoment, formatRunTime, statusLook } from "../../renderer/src/lib/format.js";
import { describeSchedule } from "../../renderer/src/lib/schedule.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("moments", () => {
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
  beforeEach(() => followTimeFormat(() => "24h"));
  afterEach(() => followTimeFormat(() => "system"));

  it("write times of day on the clock of the time-format setting, as the run times beside them", () => {
    const trigger = { type: "cron", version: 1, expression: "30 8 * * 1-5" } as const;
    expect(describeSchedule(trigger, NOW, "UTC").text).toBe("At 08:30, Monday through Friday");
    expect(formatRunTime("2026-03-02T08:30:00Z", "UTC")).toMatch(/, 08:30$/);
    followTimeFormat(() => "12h");
    expect(describeSchedule(trigger, NOW, "UTC").text).toBe("At 08:30 AM, Monday through Friday");
    expect(formatRunTime("2026-03-02T08:30:00Z", "UTC")).toMatch(/, 08:30 AM$/);
    expect(formatRunTime("2026-03-02T20:30:15Z", "UTC")).toMatch(/, 08:30:15 PM$/);
  });

  it("reads cron with cronstrue, keeping the raw expression for the tooltip", () => {
    expect(describeSchedule({ type: "cron", version: 1, expression: "0 3 * * *" }, NOW, "UTC")).toEqual({ text: "At 03:00", title: "0 3 * * *" });
  });

  it("names a cron job's zone only when it is not this computer's", () => {
    const trigger = { type: "cron", version: 1, expression: "0 3 * * *", timezone: "Asia/Tokyo" } as const;
    expect(describeSchedule(trigger, NOW, "Asia/Tokyo").text).toBe("At 03:00");
    expect(describeSchedule(trigger, NOW, "UTC").text).toBe("At 03:00 (Asia/Tokyo)");
  });

  it("reads intervals in words and dates as 'Once at' a moment in this locale", () => {
    expect(describeSchedule({ type: "interval", version: 1, everySeconds: 300 }, NOW, "UTC").text).toBe("Every 5 minutes");
    expect(describeSchedule({ type: "interval", version: 1, everySeconds: 5400 }, NOW, "UTC").text).toBe("Every 1 hour 30 minutes");
    const once = describeSchedule({ type: "date", version: 1, at: "2026-04-01T09:00:00Z" }, NOW, "UTC");
    expect(once.text).toBe(`Once at ${formatMoment("2026-04-01T09:00:00Z", NOW)}`);
    expect(once.title).toMatch(/^Once at .*2026/);
  });
});
