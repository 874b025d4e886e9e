import { describe, expect, it } from "vitest";
import { fromSpec, IntervalTrigger, jitterDelayMs } from "../../../electron/core/triggers/index.js";
import type { IntervalTriggerSpec } from "../../../electron/shared/schemas.js";

function interval(fields: Omit<IntervalTriggerSpec, "type" | "version">): IntervalTriggerSpec {
  return { type: "interval", version: 1, ...fields };
}

function nextIso(spec: IntervalTriggerSpec, afterIso: string): string | null {
  return fromSpec(spec).next(new Date(afterIso))?.toISOString() ?? null;
}

const ANCHOR = "2026-01-01T00:00:00.000Z";

describe("interval slots", () => {
  it("fall on anchor + k·every, strictly after the time asked about", () => {
    const spec = interval({ everySeconds: 300, anchor: ANCHOR });
    expect(nextIso(spec, "2026-01-01T00:07:00Z")).toBe("2026-01-01T00:10:00.000Z");
    expect(nextIso(spec, "2026-01-01T00:10:00Z")).toBe("2026-01-01T00:15:00.000Z");
    expect(nextIso(spec, "2026-01-01T00:09:59.999Z")).toBe("2026-01-01T00:10:00.000Z");
  });

  it("keep the rhythm however late the question comes (a restart does not shift it)", () => {
    const spec = interval({ everySeconds: 5400, anchor: ANCHOR });
    // 1000 days later the grid is still anchored: 1000 days = 16,000 slots of 90 minutes.
    expect(nextIso(spec, "2028-09-27T00:00:00Z")).toBe("2028-09-27T01:30:00.000Z");
    expect(nextIso(spec, "2028-09-27T00:00:00Z")).toBe(nextIso({ ...spec }, "2028-09-27T00:00:00Z"));
  });

  it("start at the anchor itself; nothing runs before it", () => {
    const spec = interval({ everySeconds: 300, anchor: ANCHOR });
    expect(nextIso(spec, "2025-12-31T23:00:00Z")).toBe(ANCHOR);
  });

  it("use start as the anchor when no anchor is stored", () => {
    const spec = interval({ everySeconds: 3600, start: "2026-01-01T09:30:00Z" });
    expect(nextIso(spec, "2026-01-01T00:00:00Z")).toBe("2026-01-01T09:30:00.000Z");
    expect(nextIso(spec, "2026-01-01T09:30:00Z")).toBe("2026-01-01T10:30:00.000Z");
  });

  it("stay on the anchor's grid when start comes later", () => {
    const spec = interval({ everySeconds: 300, anchor: ANCHOR, start: "2026-01-01T00:12:00Z" });
    expect(nextIso(spec, "2026-01-01T00:00:00Z")).toBe("2026-01-01T00:15:00.000Z");
  });

  it("include a slot exactly at end, and then finish", () => {
    const spec = interval({ everySeconds: 300, anchor: ANCHOR, end: "2026-01-01T00:20:00Z" });
    expect(nextIso(spec, "2026-01-01T00:15:00Z")).toBe("2026-01-01T00:20:00.000Z");
    expect(nextIso(spec, "2026-01-01T00:20:00Z")).toBeNull();
    expect(nextIso(interval({ everySeconds: 300, anchor: ANCHOR, end: "2026-01-01T00:19:59Z" }), "2026-01-01T00:15:00Z")).toBeNull();
  });

  it("are not moved by jitter: next() stays on the grid", () => {
    const spec = interval({ everySeconds: 300, anchor: ANCHOR, jitterSeconds: 60 });
    expect(nextIso(spec, "2026-01-01T00:07:00Z")).toBe("2026-01-01T00:10:00.000Z");
  });

  it("need an anchor or a start", () => {
    expect(() => new IntervalTrigger(interval({ everySeconds: 60 }))).toThrow(/trigger\.anchor: is required/);
  });
});

describe("interval jitter", () => {
  const spec = interval({ everySeconds: 600, anchor: ANCHOR, jitterSeconds: 30 });
  const slots = Array.from({ length: 200 }, (_, k) => new Date(Date.parse(ANCHOR) + k * 600_000));

  it("is the same delay for the same job and slot, so a restart computes it again", () => {
    for (const slot of slots) {
      expect(jitterDelayMs(spec, slot, "job-1")).toBe(jitterDelayMs({ ...spec }, new Date(slot.getTime()), "job-1"));
    }
  });

  it("stays within 0…jitterSeconds and spreads over that range", () => {
    const delays = slots.map((slot) => jitterDelayMs(spec, slot, "job-1"));
    for (const delay of delays) {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(30_000);
    }
    expect(new Set(delays).size).toBeGreaterThan(190);
    expect(Math.min(...delays)).toBeLessThan(3_000);
    expect(Math.max(...delays)).toBeGreaterThan(27_000);
  });

  it("differs between jobs sharing a slot", () => {
    const slot = slots[0]!;
    const delays = new Set(["a", "b", "c", "d", "e", "f"].map((seed) => jitterDelayMs(spec, slot, seed)));
    expect(delays.size).toBe(6);
  });

  it("is zero when the job has none", () => {
    expect(jitterDelayMs(interval({ everySeconds: 600, anchor: ANCHOR }), slots[1]!, "job-1")).toBe(0);
    expect(jitterDelayMs(interval({ everySeconds: 600, anchor: ANCHOR, jitterSeconds: 0 }), slots[1]!, "job-1")).toBe(0);
  });
});
