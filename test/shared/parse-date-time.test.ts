import { describe, expect, test } from "vitest";
import { parseDateTime as parseMs } from "../../electron/shared/civil-time.js";

const parseDateTime = (text: string, zone: string) => new Date(parseMs(text, zone));

describe("DATETIME on the command line", () => {
  test("without an offset is wall time in the given zone", () => {
    expect(parseDateTime("2026-12-24T18:00", "America/New_York").toISOString()).toBe("2026-12-24T23:00:00.000Z");
    expect(parseDateTime("2026-12-24 18:00:30", "Europe/Paris").toISOString()).toBe("2026-12-24T17:00:30.000Z");
    expect(parseDateTime("2026-12-24", "Asia/Kolkata").toISOString()).toBe("2026-12-23T18:30:00.000Z");
  });

  test("with an offset or Z is that instant, whatever the zone", () => {
    expect(parseDateTime("2026-12-24T18:00+01:00", "America/New_York").toISOString()).toBe("2026-12-24T17:00:00.000Z");
    expect(parseDateTime("2026-12-24T18:00:05.5Z", "Asia/Tokyo").toISOString()).toBe("2026-12-24T18:00:05.500Z");
    expect(parseDateTime("2026-12-24T18:00-0530", "UTC").toISOString()).toBe("2026-12-24T23:30:00.000Z");
  });

  test("in a spring-forward gap moves forward by the gap (02:30 → 03:30 summer time)", () => {
    expect(parseDateTime("2026-03-29T02:30", "Europe/Berlin").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(parseDateTime("2026-03-08T02:30", "America/New_York").toISOString()).toBe("2026-03-08T07:30:00.000Z");
  });

  test("in a repeated fall-back hour is the first occurrence", () => {
    expect(parseDateTime("2026-10-25T02:30", "Europe/Berlin").toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(parseDateTime("2026-11-01T01:30", "America/New_York").toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  test.each(["2026-12-05T10:00+25:00", "2026-12-05T10:00-14:30", "2026-12-05T10:00+01:60", "2026-12-05T10:00+9999"])("refuses %j: a UTC offset outside -14:00..+14:00", (text) => {
    expect(() => parseDateTime(text, "UTC")).toThrow(/offsets lie within -14:00\.\.\+14:00/);
  });

  test("accepts the extreme offsets +14:00 and -14:00", () => {
    expect(parseDateTime("2026-12-05T10:00+14:00", "UTC").toISOString()).toBe("2026-12-04T20:00:00.000Z");
    expect(parseDateTime("2026-12-05T10:00-1400", "UTC").toISOString()).toBe("2026-12-06T00:00:00.000Z");
  });

  test.each(["tomorrow", "2026-13-01T00:00", "2026-02-30", "2026-12-24T25:00", "24/12/2026", "2026-12-24T18:60", ""])("rejects %j with a message naming the text", (text) => {
    expect(() => parseDateTime(text, "UTC")).toThrow(new RegExp(`"${text}" is not a`));
  });
});
