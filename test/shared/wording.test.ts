import { describe, expect, it } from "vitest";
import {
  describeCron,
  durationInWords,
  fieldProblem,
  formatClockTime,
  formatRelative,
  formatRunDuration,
  formatSpan,
  periodInWords,
  reasonLabel,
  statusWithReason,
  waitEndedWords,
  weekdaysInWords,
} from "../../electron/shared/wording.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const MINUTE = 60_000;

describe("spans", () => {
  it("show the two largest adjacent units, to the second", () => {
    expect(formatSpan(45_000)).toBe("45 s");
    expect(formatSpan(59_999)).toBe("1 min");
    expect(formatSpan(12 * MINUTE + 5_000)).toBe("12 min 5 s");
    expect(formatSpan((4 * 3600 + 12 * 60 + 5) * 1000)).toBe("4 h 12 min");
    expect(formatSpan((40 * 86_400 + 3 * 3600) * 1000)).toBe("40 d 3 h");
    expect(formatSpan((86_400 + 5 * 60) * 1000)).toBe("1 d");
    expect(formatSpan(3 * 3_600_000)).toBe("3 h");
    expect(formatSpan(0)).toBe("0 s");
    expect(formatSpan(-3 * MINUTE)).toBe("3 min");
  });

  it("read as a countdown ahead and an age behind", () => {
    expect(formatRelative(NOW + 12 * MINUTE, NOW)).toBe("in 12 min");
    expect(formatRelative(NOW + (4 * 60 + 12) * MINUTE + 30_000, NOW)).toBe("in 4 h 12 min");
    expect(formatRelative(NOW - 3 * MINUTE, NOW)).toBe("3 min ago");
    expect(formatRelative(NOW + 400, NOW)).toBe("now");
    expect(formatRelative(NOW - 400, NOW)).toBe("just now");
  });
});

describe("run durations", () => {
  it("read in milliseconds under a second, one decimal under ten seconds, then as a span", () => {
    expect(formatRunDuration(15)).toBe("15 ms");
    expect(formatRunDuration(850)).toBe("850 ms");
    expect(formatRunDuration(999.7)).toBe("1.0 s");
    expect(formatRunDuration(2_340)).toBe("2.3 s");
    expect(formatRunDuration(12_000)).toBe("12 s");
    expect(formatRunDuration(65_000)).toBe("1 min 5 s");
    expect(formatRunDuration(95_000)).toBe("1 min 35 s");
    expect(formatRunDuration((2 * 60 + 3) * MINUTE)).toBe("2 h 3 min");
  });

  it("leave a run without a duration to the face's empty mark", () => {
    expect(formatRunDuration(null)).toBe("—");
    expect(formatRunDuration(null, "-")).toBe("-");
  });
});

describe("periods in words", () => {
  it.each([
    [300, "5 minutes"],
    [60, "minute"],
    [3600, "hour"],
    [5400, "1 hour 30 minutes"],
    [172_800, "2 days"],
    [45, "45 seconds"],
    [90, "1 minute 30 seconds"],
  ])("reads %i seconds after 'Every' as %j", (seconds, words) => {
    expect(periodInWords(seconds)).toBe(words);
  });

  it("keeps the count for a duration", () => {
    expect(durationInWords(1)).toBe("1 second");
    expect(durationInWords(30)).toBe("30 seconds");
    expect(durationInWords(Number.NaN)).toBe("NaN seconds");
  });
});

describe("run reasons", () => {
  it("read the same on every face", () => {
    expect(reasonLabel("schedule")).toBe("Scheduled");
    expect(reasonLabel("manual")).toBe("Manual");
    expect(reasonLabel("catch-up")).toBe("Catch-up");
    expect(reasonLabel("retry")).toBe("Retry");
  });
});

describe("cron in words", () => {
  it("reads in 24-hour time, seconds field and aliases included", () => {
    expect(describeCron("*/5 * * * *")).toBe("Every 5 minutes");
    expect(describeCron("15 30 14 * * *")).toBe("At 14:30:15");
    expect(describeCron("@midnight")).toBe("At 00:00");
    expect(describeCron("@hourly")).toBe("Every hour");
    expect(describeCron("0 9 * * 1#2")).toBe("At 09:00, on the second Monday of the month");
  });

  it("says Sunday once for 0,7", () => {
    expect(describeCron("0 0 * * 0,7")).toBe("At 00:00, only on Sunday");
  });

  it("says when both day fields must match (a day field written with a leading *)", () => {
    expect(describeCron("0 0 */2 * 1")).toMatch(/\(only when the day of month and the weekday both match\)$/);
    expect(describeCron("0 0 1 * 1")).not.toMatch(/both match/);
  });

  it("shows an expression cronstrue cannot read as it is", () => {
    expect(describeCron("61 * * * *")).toBe("61 * * * *");
  });
});

describe("field problems", () => {
  it("name the field before what it is or must be", () => {
    expect(fieldProblem("Name", "must not be empty")).toBe("Name must not be empty");
    expect(fieldProblem("Run at", "is in the past")).toBe("Run at is in the past");
    expect(fieldProblem("Cron expression", "never fires")).toBe("Cron expression never fires");
  });

  it("keep a message that names its own subject, as a sentence", () => {
    expect(fieldProblem("Name", 'a job named "backup" already exists')).toBe('A job named "backup" already exists');
    expect(fieldProblem("Time zone", 'unknown time zone "Mars/Base"')).toBe('Unknown time zone "Mars/Base"');
  });

  it("label any other message with the field", () => {
    expect(fieldProblem("Cron expression", "minute value 61 out of range 0-59")).toBe("Cron expression: minute value 61 out of range 0-59");
    expect(fieldProblem("Every", '"5 parsecs" is not a duration')).toBe('Every: "5 parsecs" is not a duration');
  });
});

describe("clock times", () => {
  it("read on the 24-hour clock cron words use, with seconds only when they count", () => {
    expect(formatClockTime(8, 30)).toBe("08:30");
    expect(formatClockTime(21, 5, 0)).toBe("21:05");
    expect(formatClockTime(0, 0, 30)).toBe("00:00:30");
    expect(describeCron("30 8 * * *")).toBe(`At ${formatClockTime(8, 30)}`);
  });
});

describe("run conditions in words (issue 15)", () => {
  it("a run's status carries its reason when waiting or skipped", () => {
    expect(statusWithReason({ status: "waiting", error: "waiting: on battery" })).toBe("waiting: on battery");
    expect(statusWithReason({ status: "skipped", error: "outside 09:00-17:00" })).toBe("skipped: outside 09:00-17:00");
    expect(statusWithReason({ status: "failed", error: "exit 3" })).toBe("failed");
    expect(weekdaysInWords(["fri", "mon", "tue", "wed", "thu"])).toBe("Mon-Fri");
    expect(weekdaysInWords(["sun", "sat"])).toBe("Sat, Sun");
    expect(weekdaysInWords(["mon", "wed", "fri"])).toBe("Mon, Wed, Fri");
    expect(waitEndedWords("Sundial stopped", { error: "waiting: offline" })).toBe("Sundial stopped while it waited (offline)");
  });
});
