import { describe, expect, it } from "vitest";
import { resolveTimeZone, searchTimeZones } from "../../electron/shared/civil-time.js";

describe("finding a time zone by what a person types", () => {
  it("accepts a city alone when one zone has it: Paris is Europe/Paris", () => {
    expect(resolveTimeZone("Paris")).toBe("Europe/Paris");
    expect(resolveTimeZone("paris")).toBe("Europe/Paris");
    expect(resolveTimeZone("  PARIS ")).toBe("Europe/Paris");
  });

  it("reads a space as the underscore zone names use", () => {
    expect(resolveTimeZone("new york")).toBe("America/New_York");
    expect(resolveTimeZone("New_York")).toBe("America/New_York");
    expect(resolveTimeZone("buenos aires")).toBe("America/Buenos_Aires");
  });

  it("takes a zone name in any spelling Intl accepts, as its canonical name", () => {
    expect(resolveTimeZone("europe/paris")).toBe("Europe/Paris");
    expect(resolveTimeZone("UTC")).toBe("UTC");
  });

  it("takes a unique partial match, and refuses an ambiguous or unknown one", () => {
    expect(resolveTimeZone("Tokyo")).toBe("Asia/Tokyo");
    expect(resolveTimeZone("Indiana")).toBeNull();
    expect(resolveTimeZone("Mars/Base")).toBeNull();
    expect(resolveTimeZone("")).toBeNull();
  });

  it("lists the zone itself first, then cities that are the query, then cities that start with it", () => {
    expect(searchTimeZones("Paris")[0]).toBe("Europe/Paris");
    const york = searchTimeZones("new");
    expect(york).toContain("America/New_York");
    expect(searchTimeZones("europe/par")).toEqual(["Europe/Paris"]);
    expect(searchTimeZones("Indiana").length).toBeGreaterThan(1);
    expect(searchTimeZones("a", 5)).toHaveLength(5);
    expect(searchTimeZones("   ")).toEqual([]);
  });
});
