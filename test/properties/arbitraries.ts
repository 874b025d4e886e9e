/**
 * Random inputs for the property suites: trigger specs as a careless user or an attacker
 * would write them (valid ones, huge numbers, instants beyond any calendar, odd zones),
 * instants, and whole job inputs. Seeded: see `propertyOptions`.
 */
import fc from "fast-check";
import { MAX_INSTANT_MS } from "../../electron/shared/civil-time.js";
import { MAX_EVERY_SECONDS } from "../../electron/shared/limits.js";

/**
 * Every property in test/properties runs with this seed: `FC_SEED` if set, else a fixed one,
 * so a run is reproducible. On failure fast-check prints `seed` and `path`; replay with
 * `FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/<file>`.
 */
export function propertyOptions(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20_261_205;
  return { seed, numRuns, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}), endOnFailure: true };
}

const MAX_DATE_MS = 8.64e15;

/** Instants across the whole Date range, weighted towards the years people use. */
export const instantMs = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: MAX_INSTANT_MS }) },
  { weight: 1, arbitrary: fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }) },
  { weight: 1, arbitrary: fc.constantFrom(0, MAX_INSTANT_MS, MAX_INSTANT_MS + 1, MAX_DATE_MS, -MAX_DATE_MS, Date.UTC(9999, 0, 1) - 1) },
);

/** An instant as text: what toISOString writes (±YYYYYY beyond 9999), or an offset form, or junk. */
export const instantText = fc.oneof(
  { weight: 6, arbitrary: instantMs.map((ms) => new Date(ms).toISOString()) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.integer({ min: -26, max: 26 }), fc.constantFrom(0, 30, 45, 60))
      .map(([ms, hours, minutes]) => {
        const iso = new Date(ms).toISOString().slice(0, 19);
        return `${iso}${hours < 0 ? "-" : "+"}${String(Math.abs(hours)).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom("+275760-09-13T00:00:00.000Z", "+275760-09-13T00:00:00.001Z", "-271821-04-20T00:00:00.000Z", "1", "tomorrow", "2026-02-30T00:00:00Z", "2026-12-05T10:00") },
);

const ZONES = ["UTC", "America/New_York", "america/new_york", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Kiritimati", "America/Havana", "US/Eastern", "Mars/Base", ""];
export const zone = fc.constantFrom(...ZONES);

function cronField(min: number, max: number): fc.Arbitrary<string> {
  const value = fc.integer({ min, max });
  return fc.oneof(
    fc.constant("*"),
    value.map(String),
    fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 1, max: max - min + 1 }).map((step) => `*/${step}`),
    fc.array(value, { minLength: 1, maxLength: 4 }).map((values) => values.join(",")),
    fc.tuple(value, value, fc.integer({ min: 1, max: 10 })).map(([a, b, step]) => `${Math.min(a, b)}-${Math.max(a, b)}/${step}`),
    // Out of range now and then: validation must refuse it, never crash.
    fc.constantFrom(`${max + 1}`, `${min - 1}`, "?", "L", "x"),
  );
}

/** Cron expressions built from random fields, sometimes with seconds, sometimes an alias. */
export const cronExpression = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(cronField(0, 59), cronField(0, 23), cronField(1, 31), cronField(1, 12), cronField(0, 7)).map((fields) => fields.join(" ")) },
  { weight: 2, arbitrary: fc.tuple(cronField(0, 59), cronField(0, 59), cronField(0, 23), cronField(1, 31), cronField(1, 12), cronField(0, 7)).map((fields) => fields.join(" ")) },
  { weight: 1, arbitrary: fc.constantFrom("@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "0 0 L * *", "0 9 * * 1#2", "0 0 29 2 *", "0 0 31 2 *") },
);

/** Periods from one second to far beyond any calendar. */
export const everySeconds = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 400 * 86_400 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: MAX_EVERY_SECONDS + 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -5, 1.5, MAX_EVERY_SECONDS, MAX_EVERY_SECONDS + 1, 100_000_000 * 86_400, Number.MAX_SAFE_INTEGER, 1e300, Number.NaN, Infinity) },
);

/** Trigger specs of every kind, valid or not, as the API receives them. */
export const triggerSpec = fc.oneof(
  fc.record({ type: fc.constant("cron" as const), expression: cronExpression, timezone: fc.option(zone, { nil: undefined }) }, { requiredKeys: ["type", "expression"] }),
  fc.record(
    {
      type: fc.constant("interval" as const),
      everySeconds,
      anchor: instantText,
      start: instantText,
      end: instantText,
      jitterSeconds: fc.oneof(fc.integer({ min: 0, max: 3600 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1)),
    },
    { requiredKeys: ["type", "everySeconds"] },
  ),
  fc.record({ type: fc.constant("date" as const), at: instantText }),
);

/** Names: ordinary, any Unicode, control and bidi characters, very long. */
export const jobName = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 0, maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom("\u001b[2J", "\n", "\u0000", "\u007f", "\u009b", "\u202e", "\u2066", "\u200f", "\u061c", "\t")).map(([text, bad]) => `${text}${bad}x`) },
  { weight: 1, arbitrary: fc.string({ minLength: 190, maxLength: 260 }) },
);

/** Commands: short shell lines, Unicode, NUL bytes, past the argument limit. */
export const command = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("true", "echo hi", "exit 3", "printf '%s' \"$HOME\"") },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((text) => `echo ${text}\u0000rm`) },
  { weight: 1, arbitrary: fc.integer({ min: 120 * 1024, max: 140 * 1024 }).map((length) => `#${"x".repeat(length)}`) },
);

/** Durations in seconds: sensible, zero, negative, fractional, huge, not numbers. */
export const durationSeconds = fc.oneof(
  fc.integer({ min: 1, max: 86_400 }),
  fc.constantFrom(0, -1, 0.5, Number.MAX_SAFE_INTEGER, 1e300, Number.NaN, Infinity, "60" as unknown as number),
);
