/**
 * Issue 10, item 11: 8,000 case variants of one zone name grew memory from 82 to 353 MB.
 * Zone names are canonicalised before anything is cached, and every per-zone cache has a
 * bound, whatever names arrive.
 */
import { describe, expect, it } from "vitest";
import { canonicalTimeZone, formatInZone, offsetAt, parseDateTime, YEARS_PER_ZONE, zoneCacheSizes, ZONE_CACHE_LIMIT } from "../../electron/shared/civil-time.js";
import { openTestEngine } from "../core/service/support.js";

/** The `count` first spellings of `zone` with its letters in every combination of case. */
function caseVariants(zone: string, count: number): string[] {
  const letters = [...zone].map((char, index) => (/[a-z]/i.test(char) ? index : -1)).filter((index) => index >= 0);
  expect(2 ** letters.length).toBeGreaterThanOrEqual(count);
  return Array.from({ length: count }, (_, variant) => {
    const chars = [...zone];
    letters.forEach((position, bit) => {
      chars[position] = variant & (1 << bit) ? chars[position]!.toUpperCase() : chars[position]!.toLowerCase();
    });
    return chars.join("");
  });
}

describe("zone names and the caches keyed by them", () => {
  it("canonicalises any letter case (and Intl's aliases) to one name", () => {
    expect(canonicalTimeZone("america/new_york")).toBe("America/New_York");
    expect(canonicalTimeZone("AMERICA/NEW_YORK")).toBe("America/New_York");
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Mars/Base")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
  });

  it("8,000 case variants sent to previewTrigger give one schedule and leave every cache within its bound", async () => {
    const engine = await openTestEngine();
    const variants = caseVariants("America/New_York", 8_000);
    const expected = await engine.service.previewTrigger({ trigger: { type: "cron", expression: "0 3 * * *", timezone: "America/New_York" }, from: "2026-03-01T00:00:00Z", count: 3 });
    for (const timezone of variants) {
      const preview = await engine.service.previewTrigger({ trigger: { type: "cron", expression: "0 3 * * *", timezone }, from: "2026-03-01T00:00:00Z", count: 3 });
      expect(preview.times).toEqual(expected.times);
    }
    const sizes = zoneCacheSizes();
    expect(sizes.names).toBeLessThanOrEqual(ZONE_CACHE_LIMIT);
    expect(sizes.rules).toBeLessThanOrEqual(ZONE_CACHE_LIMIT);
  });

  it("8,000 unknown zone names do not grow the caches past their bound either", async () => {
    const engine = await openTestEngine();
    for (let index = 0; index < 8_000; index++) {
      await expect(engine.service.previewTrigger({ trigger: { type: "cron", expression: "0 3 * * *", timezone: `Mars/Base${index}` } })).rejects.toThrow(/unknown time zone/);
    }
    expect(zoneCacheSizes().names).toBeLessThanOrEqual(ZONE_CACHE_LIMIT);
    expect(zoneCacheSizes().rules).toBeLessThanOrEqual(ZONE_CACHE_LIMIT);
  });

  it("a zone's offset tables stay bounded over thousands of years", () => {
    for (let year = 1970; year < 9999; year += 7) formatInZone(new Date(Date.UTC(year, 5, 1)), "Europe/Paris");
    expect(zoneCacheSizes().yearsPerZone).toBeLessThanOrEqual(YEARS_PER_ZONE);
  });

  it("the CLI's DATETIME parsing keeps the caches bounded", () => {
    const variants = caseVariants("Europe/Berlin", 4_000);
    for (const zone of variants) {
      expect(new Date(parseDateTime("2026-12-24T18:00", zone)).toISOString()).toBe("2026-12-24T17:00:00.000Z");
      expect(offsetAt(Date.UTC(2026, 6, 1), zone)).toBe(7_200_000);
    }
    expect(zoneCacheSizes().names).toBeLessThanOrEqual(ZONE_CACHE_LIMIT);
    expect(zoneCacheSizes().rules).toBeLessThanOrEqual(ZONE_CACHE_LIMIT);
  });
});
