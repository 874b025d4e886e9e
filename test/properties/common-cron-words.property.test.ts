/**
 * Property (issue 12, CLI start-up): the words Sundial gives the common cron shapes without
 * cronstrue (`commonCronWords`) are cronstrue's words, letter for letter, on a 24-hour and a
 * 12-hour clock — so a `sundial list` that skips loading cronstrue reads as before. Fields
 * are drawn near the shapes' edges (leading zeros, out-of-range numbers, reversed ranges,
 * Sunday as 7, steps of 0 and 60), where a hand-written reading would part from cronstrue's.
 *
 * Seeded and bounded: see propertyOptions in ./arbitraries.ts for the seed and how to replay.
 */
import cronstrue from "cronstrue";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commonCronWords, describeCron } from "../../electron/shared/wording.js";
import { propertyOptions } from "./arbitraries.js";

const number = (max: number) => fc.oneof(fc.integer({ min: 0, max }).map(String), fc.integer({ min: 0, max: 9 }).map((n) => `0${n}`));
const field = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: number(max) },
    { weight: 2, arbitrary: fc.constant("*") },
    { weight: 1, arbitrary: number(max).map((n) => `*/${n}`) },
    { weight: 1, arbitrary: fc.tuple(number(max), number(max)).map(([a, b]) => `${a}-${b}`) },
    { weight: 1, arbitrary: fc.tuple(number(max), number(max)).map(([a, b]) => `${a},${b}`) },
    { weight: 1, arbitrary: fc.constantFrom("?", "MON", "1-5/2", "L", "") },
  );
const expressionFields = fc.tuple(field(61), field(25), field(33), fc.oneof({ weight: 5, arbitrary: fc.constant("*") }, { weight: 1, arbitrary: field(13) }), field(8));

/** cronstrue's words, or null where it refuses the expression. */
function cronstrueWords(fields: readonly string[], twelveHourClock: boolean): string | null {
  try {
    return cronstrue.toString(fields.join(" "), { use24HourTimeFormat: !twelveHourClock, verbose: false });
  } catch {
    return null;
  }
}

describe("cron words without cronstrue", () => {
  it("are cronstrue's words wherever they are given", () => {
    fc.assert(
      fc.property(expressionFields, fc.boolean(), (fields, twelveHourClock) => {
        const words = commonCronWords(fields, twelveHourClock);
        if (words !== null) expect(words).toBe(cronstrueWords(fields, twelveHourClock));
      }),
      propertyOptions(20_000),
    );
  });

  it("are given for every time of day, weekday, weekday range, day of the month, step and minute past the hour", () => {
    const shapes: string[] = [];
    for (let hour = 0; hour < 24; hour++) for (let minute = 0; minute < 60; minute++) shapes.push(`${minute} ${hour} * * *`);
    for (let day = 0; day <= 7; day++) shapes.push(`30 8 * * ${day}`);
    for (let from = 0; from <= 6; from++) for (let to = from + 1; to <= 7; to++) shapes.push(`0 9 * * ${from}-${to}`);
    for (let day = 1; day <= 31; day++) shapes.push(`0 3 ${day} * *`);
    for (let minute = 0; minute < 60; minute++) shapes.push(`*/${Math.max(1, minute)} * * * *`, `${minute} * * * *`);
    shapes.push("* * * * *");
    for (const expression of shapes) {
      for (const twelveHourClock of [false, true]) {
        const fields = expression.split(" ");
        expect(commonCronWords(fields, twelveHourClock), expression).toBe(cronstrueWords(fields, twelveHourClock));
        expect(describeCron(expression, twelveHourClock), expression).toBe(cronstrueWords(fields, twelveHourClock));
      }
    }
  });
});
