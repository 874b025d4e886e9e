import { describe, expect, it } from "vitest";
import {
  canonicalTimeZone,
  formatInZone,
  isoToWallTime,
  parseDateTime,
  wallTimeToInstant,
  wallTimeToIso,
  ZoneRules,
  zoneCacheSizes,
} from "../../electron/shared/civil-time.js";
import { CIVIL_TIME_GOLDEN } from "../support/civil-time-golden.js";

describe("a typed wall time becomes one instant", () => {
  for (const golden of CIVIL_TIME_GOLDEN) {
    it(`${golden.what}: ${golden.wall} in ${golden.zone} → ${golden.instant}`, () => {
      const instant = parseDateTime(golden.wall, golden.zone);
      expect(formatInZone(instant, golden.zone)).toBe(golden.instant);
      expect(instant).toBe(Date.parse(golden.instant));
    });
  }

  it("the issue's own cases in 2026: gap forward, folds first", () => {
    expect(formatInZone(parseDateTime("2026-03-08T02:30", "America/New_York"), "America/New_York")).toBe("2026-03-08T03:30:00-04:00");
    expect(formatInZone(parseDateTime("2026-10-25T02:30", "Europe/Paris"), "Europe/Paris")).toBe("2026-10-25T02:30:00+02:00");
    expect(formatInZone(parseDateTime("2026-04-05T02:30", "Australia/Sydney"), "Australia/Sydney")).toBe("2026-04-05T02:30:00+11:00");
  });

  it("a whole skipped day (Samoa, 30 Dec 2011) moves forward by the day", () => {
    const instant = wallTimeToInstant({ year: 2011, month: 12, day: 30, hour: 12, minute: 0, second: 0, millisecond: 0 }, "Pacific/Apia");
    expect(formatInZone(instant, "Pacific/Apia")).toBe("2011-12-31T12:00:00+14:00");
  });

  it("a wall time read back from its instant is the same wall time, away from gaps", () => {
    for (const golden of CIVIL_TIME_GOLDEN.filter((entry) => !entry.what.includes("gap"))) {
      expect(isoToWallTime(formatInZone(parseDateTime(golden.wall, golden.zone), "UTC"), golden.zone)).toBe(golden.wall);
    }
  });
});

describe("a typed date-time is refused when", () => {
  it.each([
    ["an offset beyond ±14:00", "2027-12-05T10:00+25:00", /offsets lie within -14:00/],
    ["an offset with 60 minutes", "2027-12-05T10:00+01:60", /offsets lie within -14:00/],
    ["a day that does not exist", "2027-02-30T10:00", /not a real date-time/],
    ["24:00", "2027-02-03T24:00", /not a real date-time/],
    ["a year past 9999 written with a sign", "+275760-09-13T00:00Z", /between the years 1970 and 9999/],
    ["before 1970", "1969-12-31T23:59Z", /between the years 1970 and 9999/],
    ["free text", "next tuesday", /not a date-time/],
  ])("it has %s", (_what, text, message) => {
    expect(() => parseDateTime(text, "UTC")).toThrow(message);
  });

  it("takes offsets at the edge of the range", () => {
    expect(parseDateTime("2027-12-05T10:00+14:00", "UTC")).toBe(Date.parse("2027-12-04T20:00:00Z"));
    expect(parseDateTime("2027-12-05T10:00-12:00", "UTC")).toBe(Date.parse("2027-12-05T22:00:00Z"));
  });
});

describe("zones", () => {
  it("are known in any spelling Intl accepts, under their canonical name", () => {
    expect(canonicalTimeZone("america/new_york")).toBe("America/New_York");
    expect(canonicalTimeZone("US/Eastern")).toBe("America/New_York");
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Mars/Base")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
  });

  it("share one set of rules per canonical zone, however many spellings are looked up", () => {
    const variants = Array.from({ length: 8_000 }, (_, index) =>
      [..."America/New_York"].map((letter, position) => ((index >> position) & 1 ? letter.toUpperCase() : letter.toLowerCase())).join(""),
    );
    for (const variant of variants) ZoneRules.for(variant).offsetAt(Date.UTC(2027, 0, 1));
    const { names, rules } = zoneCacheSizes();
    expect(names).toBeLessThanOrEqual(1_000);
    expect(rules).toBeLessThanOrEqual(1_000);
    expect(ZoneRules.for("america/NEW_york")).toBe(ZoneRules.for("America/New_York"));
  });

  it("format an unrepresentable instant as Invalid Date instead of throwing", () => {
    expect(formatInZone(new Date(Number.NaN), "UTC")).toBe("Invalid Date");
  });
});

describe("the editor's datetime-local values", () => {
  it("read in the job's zone give the golden instants", () => {
    for (const golden of CIVIL_TIME_GOLDEN) expect(wallTimeToIso(golden.wall, golden.zone)).toBe(golden.instant);
  });

  it("are null when they are not a wall time, and read back to the minute", () => {
    expect(wallTimeToIso("not a time", "UTC")).toBeNull();
    expect(wallTimeToIso("2027-02-30T10:00", "UTC")).toBeNull();
    expect(wallTimeToIso("2027-07-01T09:30+02:00", "UTC")).toBeNull();
    expect(isoToWallTime("2027-07-01T07:30:00Z", "Europe/Paris")).toBe("2027-07-01T09:30");
    expect(isoToWallTime("garbage", "UTC")).toBe("");
  });
});
