import { describe, expect, it } from "vitest";
import { fromSpec } from "../../../electron/core/triggers/index.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const ZONES = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Santiago", "UTC"];

function armAll(expressionFor: (i: number) => string): number {
  const started = performance.now();
  for (let i = 0; i < 10_000; i++) {
    const trigger = fromSpec({ type: "cron", version: 1, expression: expressionFor(i), timezone: ZONES[i % ZONES.length] });
    if (trigger.next(NOW) === null) throw new Error(`${expressionFor(i)} never fires`);
  }
  return performance.now() - started;
}

describe("arming many cron jobs at startup", () => {
  // Measured on 2 busy cores: ~0.3–0.5 s for 10,000 distinct expressions (cron-parser's
  // parse dominates), ~0.05 s when they repeat. The bound is loose so CI noise cannot trip
  // it, but re-parsing or building a zone formatter per job would.
  it("builds and computes the next run of 10,000 jobs with distinct expressions in about a second at most", () => {
    expect(armAll((i) => `${i % 60} ${Math.floor(i / 60) % 24} * * ${i % 7}`)).toBeLessThan(2_500);
  });

  it("is cheaper still when jobs share expressions", () => {
    expect(armAll((i) => ["*/5 * * * *", "0 3 * * *", "30 9 * * 1-5", "@hourly"][i % 4]!)).toBeLessThan(1_000);
  });
});
