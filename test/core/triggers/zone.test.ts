import { describe, expect, it } from "vitest";
import { DateTrigger, formatInZone, previewTimes, systemTimeZone } from "../../../electron/core/triggers/index.js";
import { cron } from "./helpers.js";

describe("formatInZone", () => {
  it("writes ISO 8601 wall time with the zone's offset at that instant", () => {
    expect(formatInZone(new Date("2026-03-08T07:00:00Z"), "America/New_York")).toBe("2026-03-08T03:00:00-04:00");
    expect(formatInZone(new Date("2026-03-08T06:59:59Z"), "America/New_York")).toBe("2026-03-08T01:59:59-05:00");
    expect(formatInZone(new Date("2026-06-01T00:00:00Z"), "Asia/Kolkata")).toBe("2026-06-01T05:30:00+05:30");
    expect(formatInZone(new Date("2026-06-01T00:00:00Z"), "UTC")).toBe("2026-06-01T00:00:00+00:00");
    expect(formatInZone(new Date("2026-06-01T00:00:00Z"), "Pacific/Kiritimati")).toBe("2026-06-01T14:00:00+14:00");
  });

  it("shows milliseconds only when there are some", () => {
    expect(formatInZone(new Date("2026-06-01T00:00:00.042Z"), "Europe/Berlin")).toBe("2026-06-01T02:00:00.042+02:00");
  });

  it("round-trips through Date.parse", () => {
    for (const iso of ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]) {
      for (const zone of ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]) {
        expect(Date.parse(formatInZone(new Date(iso), zone))).toBe(Date.parse(iso));
      }
    }
  });

  it("keeps the seconds of a historical local-mean-time offset", () => {
    expect(formatInZone(new Date("1850-01-01T00:00:00Z"), "America/New_York")).toBe("1849-12-31T19:03:58-04:56:02");
  });
});

describe("systemTimeZone", () => {
  it("is the zone Intl reports for this process", () => {
    expect(systemTimeZone()).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(systemTimeZone(true)).toBe(systemTimeZone());
  });
});

describe("previewTimes", () => {
  it("lists the next fire times in order", () => {
    expect(previewTimes(cron("0 12 * * *"), new Date("2026-06-01T12:00:00Z"), 3).map((date) => date.toISOString())).toEqual([
      "2026-06-02T12:00:00.000Z",
      "2026-06-03T12:00:00.000Z",
      "2026-06-04T12:00:00.000Z",
    ]);
  });

  it("stops early when the trigger finishes", () => {
    const once = new DateTrigger({ type: "date", version: 1, at: "2026-06-02T00:00:00Z" });
    expect(previewTimes(once, new Date("2026-06-01T00:00:00Z"), 5)).toHaveLength(1);
    expect(previewTimes(once, new Date("2026-06-03T00:00:00Z"), 5)).toEqual([]);
  });
});
