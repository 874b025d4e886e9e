/**
 * Property: whenever a trigger spec passes the edge (the contract's schema and
 * validateTrigger), its next() is total and sane — for any instant it answers null or a
 * finite Date strictly after that instant and no later than the last representable fire
 * time (limits.ts), and never throws. `sundial next` (the real CLI, offline) agrees with the
 * engine's trigger code.
 *
 * Seeded and bounded: see propertyOptions in ./arbitraries.ts for the seed and how to replay.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { formatInZone, fromSpec, previewTimes, triggerZone, validateTrigger } from "../../electron/core/triggers/index.js";
import { describeTrigger } from "../../electron/shared/trigger-kinds.js";
import { MAX_INSTANT_MS } from "../../electron/shared/civil-time.js";
import { TriggerSpecSchema, type TriggerSpec } from "../../electron/shared/schemas.js";
import { ensureBuilt, sundialJson, tempHome } from "../support/cli.js";
import { cronExpression, instantMs, propertyOptions, triggerSpec } from "./arbitraries.js";

const NOW = new Date("2026-12-05T09:00:00Z");

/** The spec as the service would schedule it (null when the edge refuses it). */
function acceptedAtTheEdge(input: unknown): TriggerSpec | null {
  const parsed = TriggerSpecSchema.safeParse(input);
  if (!parsed.success) return null;
  // The service anchors an interval at its start or at creation (scheduler.ts withAnchor).
  const spec: TriggerSpec = parsed.data.type === "interval" && !parsed.data.anchor ? { ...parsed.data, anchor: parsed.data.start ?? NOW.toISOString() } : parsed.data;
  return validateTrigger(spec, NOW).length === 0 ? spec : null;
}

describe("trigger math on random specs and instants", () => {
  it("an accepted spec's next() is null or a finite Date after its input, within the bound, and never throws", () => {
    let accepted = 0;
    fc.assert(
      fc.property(triggerSpec, fc.array(instantMs, { minLength: 1, maxLength: 4 }), (input, instants) => {
        const spec = acceptedAtTheEdge(input);
        if (spec === null) return;
        accepted++;
        const trigger = fromSpec(spec);
        for (const ms of [...instants, NOW.getTime(), Number.NaN]) {
          const after = new Date(ms);
          const next = trigger.next(after);
          if (next === null) continue;
          expect(next).toBeInstanceOf(Date);
          expect(Number.isFinite(next.getTime())).toBe(true);
          expect(next.getTime()).toBeGreaterThan(after.getTime());
          expect(next.getTime()).toBeLessThanOrEqual(MAX_INSTANT_MS);
          // A view of it never throws either.
          expect(formatInZone(next, triggerZone(spec))).toMatch(/^(\d{4}|[+-]\d{6})-\d\d-\d\dT/);
        }
        expect(() => describeTrigger(spec, { localZone: "UTC", formatInstant: formatInZone })).not.toThrow();
      }),
      propertyOptions(400),
    );
    // The generators must reach the interesting part: accepted specs, not only refusals.
    expect(accepted).toBeGreaterThan(50);
  }, 60_000);

  it("validateTrigger never throws, whatever the spec", () => {
    fc.assert(
      fc.property(triggerSpec, instantMs, (input, ms) => {
        const parsed = TriggerSpecSchema.safeParse(input);
        if (!parsed.success) return;
        const issues = validateTrigger(parsed.data, new Date(ms));
        for (const issue of issues) expect(issue.field).toMatch(/^trigger(\.|$)/);
      }),
      propertyOptions(300),
    );
  }, 60_000);
});

describe("sundial next agrees with the engine", () => {
  beforeAll(ensureBuilt, 180_000);

  it("prints the same fire times as previewTimes for random cron specs (the real CLI, offline)", async () => {
    const home = tempHome("property-next");
    const zones = fc.constantFrom("UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata");
    const from = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) }).map((ms) => new Date(Math.floor(ms / 1000) * 1000));
    await fc.assert(
      fc.asyncProperty(cronExpression, zones, from, async (expression, timezone, start) => {
        const spec = acceptedAtTheEdge({ type: "cron", expression, timezone });
        fc.pre(spec !== null && validateTrigger(spec, start).length === 0);
        const expected = previewTimes(fromSpec(spec!), start, 3).map((time) => formatInZone(time, timezone));
        const printed = await sundialJson<string[]>(["next", "--cron", expression, "--tz", timezone, "--from", start.toISOString(), "-n", "3"], { home });
        expect(printed).toEqual(expected);
      }),
      // Each run spawns the CLI: a few runs, with preconditions that mostly hold.
      { ...propertyOptions(5), maxSkipsPerRun: 100 },
    );
  }, 120_000);
});
