import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { parseCronExpression } from "../../../electron/core/triggers/cron-fields.js";
import { CivilSchedule } from "../../../electron/core/triggers/cron-schedule.js";
import { seededRandom } from "../../support/random.js";
import { cron } from "./helpers.js";

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

describe("agreement with cron-parser where it is right", () => {
  // In UTC there is no DST, so cron-parser's next() is a fair oracle for the calendar
  // search, except where we chose differently: a day field starting with * and a restricted
  // other day field (Vixie's AND). Those are left out of the generated expressions.
  it("matches cron-parser's next() in UTC for 300 generated expressions", () => {
    const next = seededRandom(20_260_301);
    const minute = ["0", "*/7", "5,35", "10-20/5", "59", "*"];
    const hour = ["*", "0", "9-17", "*/6", "23", "1,13"];
    const dayOfMonth = ["*", "1", "15", "L", "1,L", "29", "31", "10-12"];
    const month = ["*", "2", "1,7", "*/3", "feb-apr", "12"];
    const dayOfWeek = ["*", "1", "5L", "1#2", "0,6", "mon-fri", "3#5"];
    for (let i = 0; i < 300; i++) {
      const fields = [pick(next, minute), pick(next, hour), pick(next, dayOfMonth), pick(next, month), pick(next, dayOfWeek)];
      const expression = fields.join(" ");
      const from = new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 3650) * 86_400_000 + Math.floor(next() * 86_400) * 1000);
      const theirs = CronExpressionParser.parse(expression, { currentDate: from, tz: "UTC" });
      const ours = cron(expression, "UTC");
      let cursor = from;
      for (let step = 0; step < 8; step++) {
        const expected = theirs.next().toDate();
        const actual = ours.next(cursor);
        expect(actual?.toISOString(), `${expression} after ${cursor.toISOString()}`).toBe(expected.toISOString());
        cursor = actual!;
      }
    }
  });
});

// ---------------------------------------------------------------- DST oracle

/** Wall time as civil ms, straight from Intl (independent of zone.ts). */
function civilClock(zone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  return (ms) => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(ms)) parts[part.type] = Number(part.value);
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  };
}

/** Instants in `year` where the zone's offset changes, to within the 15-minute probe step. */
function transitions(zone: string, year: number): number[] {
  const civil = civilClock(zone);
  const found: number[] = [];
  const start = Date.UTC(year, 0, 1);
  let previousOffset = civil(start) - start;
  for (let ms = start + 900_000; ms < Date.UTC(year + 1, 0, 1); ms += 900_000) {
    const offset = civil(ms) - ms;
    if (offset !== previousOffset) found.push(ms);
    previousOffset = offset;
  }
  return found;
}

/** Wall times of every minute in [from, until], read once and shared by every expression. */
interface Window {
  from: number;
  minutes: number[];
  walls: number[];
}

function window(zone: string, from: number, until: number): Window {
  const civil = civilClock(zone);
  const minutes: number[] = [];
  const walls: number[] = [];
  for (let ms = from; ms <= until; ms += 60_000) {
    minutes.push(ms);
    walls.push(civil(ms));
  }
  return { from, minutes, walls };
}

/**
 * The DESIGN.md rules, applied by brute force a minute at a time. A wildcard-hour job fires
 * at each minute whose wall time matches. A fixed-time job fires at the first minute the wall
 * clock reaches a matching time: a jump forward over several reaches them all at once (one
 * run), and wall times the clock shows a second time were reached already (no run).
 */
function bruteForce(expression: string, { minutes, walls }: Window): number[] {
  const fields = parseCronExpression(expression);
  const schedule = new CivilSchedule(fields);
  const fired: number[] = [];
  let reached = walls[0]!;
  for (let i = 1; i < minutes.length; i++) {
    const wall = walls[i]!;
    if (fields.hourStar) {
      if (schedule.nextMatch(wall, wall) === wall) fired.push(minutes[i]!);
    } else if (wall > reached) {
      if (schedule.nextMatch(reached + 1000, wall) !== null) fired.push(minutes[i]!);
      reached = wall;
    }
  }
  return fired;
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe("agreement with a brute-force reading of the DST rules", () => {
  const zones = ["America/New_York", "Europe/Berlin", "America/Havana", "America/Santiago", "Australia/Lord_Howe"];
  const expressions = [
    "30 2 * * *",
    "45 1 * * *",
    "0 0 * * *",
    "30 23 * * *",
    "15 0 * * *",
    "0,30 1-3 * * *",
    "*/20 1 * * *",
    "*/10 2 * * *",
    "* 2 * * *",
    "0 * * * *",
    "*/15 * * * *",
    "0 */2 * * *",
    "30 * * * *",
  ];

  it.each(zones)("fires exactly when the rules say around every 2026 transition in %s", (zone) => {
    const changes = transitions(zone, 2026);
    expect(changes.length).toBeGreaterThanOrEqual(2);
    for (const change of changes) {
      // A day and a half either side, well clear of the previous change.
      const minutes = window(zone, change - 36 * 3_600_000, change + 36 * 3_600_000);
      const until = minutes.minutes.at(-1)!;
      for (const expression of expressions) {
        const expected = bruteForce(expression, minutes);
        const trigger = cron(expression, zone);
        const context = `${expression} in ${zone} near ${iso(change)}`;
        const chained: number[] = [];
        for (let next = trigger.next(new Date(minutes.from)); next && next.getTime() <= until; next = trigger.next(next)) {
          chained.push(next.getTime());
        }
        expect(chained.map(iso), context).toEqual(expected.map(iso));
        // Asked from any instant (inside a repeated hour, between runs), next() gives the
        // first fire of the same set: no double run, nothing skipped.
        for (let at = change - 4 * 3_600_000; at <= change + 4 * 3_600_000; at += 7 * 60_000 + 30_000) {
          const want = expected.find((fire) => fire > at);
          if (want === undefined) continue;
          expect(trigger.next(new Date(at))?.toISOString(), `${context}, asked at ${iso(at)}`).toBe(iso(want));
        }
      }
    }
  });
});
