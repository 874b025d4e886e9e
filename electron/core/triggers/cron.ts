/**
 * Cron trigger. cron-parser parses and expands the expression; the search for the next fire
 * time is our own (cron-schedule.ts over the calendar, shared/civil-time.ts for offsets), because
 * cron-parser 5.10's next() gets DST wrong in ways that wrapping could not fix cleanly:
 * it runs a fixed-time job twice when asked from inside a repeated hour, picks the second
 * midnight where a fall-back repeats it (America/Havana), and moves a job in a spring-forward
 * gap by the gap's length (02:30 → 03:30) instead of running it at the jump.
 *
 * DST rules (DESIGN.md "Semantics to get right"; as cronie, cron(8) "Daylight Saving Time and
 * other time changes", where skipped jobs run at once and a time seen twice does not run twice):
 * - Hour field written with a leading `*` (`*`, `*∕2`): the job follows elapsed time. It fires
 *   at every instant whose wall time matches, so both copies of a repeated hour run and wall
 *   times inside a gap never happen.
 * - Any other hour field (a fixed-time job): each matching wall time fires once, at the first
 *   instant the wall clock reaches it. A time in a repeated hour runs in the first copy only;
 *   a time in a gap runs at the instant of the jump (02:30 → 03:00 on the spring-forward day),
 *   and several gap times collapse into that one run.
 */
import type { FieldIssue } from "../../shared/errors.js";
import type { CronTriggerSpec } from "../../shared/schemas.js";
import { CronSyntaxError, parseCronExpression, type CronFields } from "./cron-fields.js";
import { civilScheduleFor, type CivilSchedule } from "./cron-schedule.js";
import { TriggerError } from "./errors.js";
import type { Trigger } from "./trigger.js";
import { canonicalTimeZone, DAY_MS, HOUR_MS, isValidTimeZone, MAX_INSTANT_MS, SECOND_MS, systemTimeZone, ZoneRules } from "../../shared/civil-time.js";

/**
 * How far ahead next() looks before calling a trigger finished. The Gregorian calendar
 * repeats its weekday pattern every 28 years (until 2100), so anything that can fire shows
 * up well within this, while an impossible date (`0 0 30 2 *`) costs one bounded scan.
 */
export const CRON_SEARCH_YEARS = 50;
const SEARCH_WINDOW_MS = CRON_SEARCH_YEARS * 366 * DAY_MS;
/**
 * Offsets since 1900 lie within −12 h … +14 h: a wall time is at most 14 h from UTC and two
 * offsets differ by at most 26 h, which bounds how far a DST change can reach.
 */
const MAX_OFFSET_SWING_MS = 26 * HOUR_MS;
/** Beyond this, Date arithmetic would leave its range; the trigger is treated as finished. */
const LAST_SEARCHABLE_MS = Date.UTC(9999, 0, 1);

/** A cron expression in an IANA zone (the system zone when the spec names none). */
export class CronTrigger implements Trigger {
  readonly spec: CronTriggerSpec;
  /** The zone the expression is read in: `spec.timezone`, else the system zone at construction. */
  readonly timeZone: string;
  private readonly fields: CronFields;
  private readonly schedule: CivilSchedule;
  private readonly zone: ZoneRules;

  /** Parses once; throws TriggerError for a bad expression or an unknown zone. */
  constructor(spec: CronTriggerSpec) {
    this.spec = spec;
    try {
      this.fields = parseCronExpression(spec.expression);
    } catch (error) {
      if (error instanceof CronSyntaxError) throw new TriggerError("trigger.expression", error.message);
      throw error;
    }
    if (spec.timezone !== undefined && !isValidTimeZone(spec.timezone)) {
      throw new TriggerError("trigger.timezone", `unknown time zone "${spec.timezone}"`);
    }
    this.timeZone = spec.timezone === undefined ? systemTimeZone() : canonicalTimeZone(spec.timezone)!;
    this.schedule = civilScheduleFor(this.fields);
    this.zone = ZoneRules.for(this.timeZone);
  }

  next(after: Date): Date | null {
    const afterMs = after.getTime();
    if (!Number.isFinite(afterMs) || afterMs >= LAST_SEARCHABLE_MS) return null;
    const found = this.fields.hourStar ? this.nextByElapsedTime(afterMs) : this.nextByWallTime(afterMs);
    // A fire time past the last representable instant (limits.ts) means finished.
    return found === null || found > MAX_INSTANT_MS ? null : new Date(found);
  }

  /** Wildcard-hour jobs: the first instant after `afterMs` whose wall time matches. */
  private nextByElapsedTime(afterMs: number): number | null {
    let from = Math.floor(afterMs / SECOND_MS) * SECOND_MS + SECOND_MS;
    const limit = afterMs + SEARCH_WINDOW_MS;
    while (from <= limit) {
      const segment = this.zone.segmentAt(from);
      const civil = this.schedule.nextMatch(from + segment.offsetMs, limit + MAX_OFFSET_SWING_MS);
      if (civil === null) return null;
      const instant = civil - segment.offsetMs;
      if (instant < segment.end) return instant;
      // The match lies beyond this offset's stretch: look again from the next one, whose wall
      // clock may restart lower (fall-back: the repeated hour) or higher (spring-forward).
      // Nothing matched on the wall clock up to `civil`, so once past the swing of any offset
      // change near `from`, the search can skip to a day or so before `civil`.
      from = segment.end < from + MAX_OFFSET_SWING_MS ? segment.end : Math.max(segment.end, civil - MAX_OFFSET_SWING_MS);
    }
    return null;
  }

  /**
   * Fixed-time jobs: each matching wall time C fires at g(C), the first instant whose wall
   * time is ≥ C. g never decreases as C grows, so the answer is g of the smallest matching C
   * that the wall clock has not yet reached by `afterMs` (hence no double run from inside a
   * repeated hour, and nothing earlier than `afterMs`).
   */
  private nextByWallTime(afterMs: number): number | null {
    const offsetNow = this.zone.offsetAt(afterMs);
    let reached = afterMs + offsetNow;
    // After a fall-back the wall clock already showed later times than it shows now.
    for (const change of this.zone.transitionsBetween(afterMs - MAX_OFFSET_SWING_MS, afterMs)) {
      reached = Math.max(reached, change.at + change.offsetBeforeMs - SECOND_MS);
    }
    const from = Math.floor(reached / SECOND_MS) * SECOND_MS + SECOND_MS;
    const civil = this.schedule.nextMatch(from, from + SEARCH_WINDOW_MS);
    if (civil === null) return null;

    // Before civil − 26 h no wall clock can have reached `civil`, so start the walk there.
    let cursor = Math.max(afterMs, civil - MAX_OFFSET_SWING_MS);
    for (;;) {
      const segment = this.zone.segmentAt(cursor);
      if (civil - segment.offsetMs < segment.end) {
        // A stretch that starts after the wall time means it was skipped (a gap): run at the jump.
        return Math.max(civil - segment.offsetMs, segment.start);
      }
      cursor = segment.end;
    }
  }
}

/** Every problem with a cron spec, field names relative to the job. */
export function validateCronSpec(spec: CronTriggerSpec, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let syntaxOk = true;
  try {
    parseCronExpression(spec.expression);
  } catch (error) {
    if (!(error instanceof CronSyntaxError)) throw error;
    issues.push({ field: "trigger.expression", message: error.message });
    syntaxOk = false;
  }
  const zoneOk = spec.timezone === undefined || isValidTimeZone(spec.timezone);
  if (!zoneOk) issues.push({ field: "trigger.timezone", message: `unknown time zone "${spec.timezone}"` });
  if (syntaxOk && zoneOk && new CronTrigger(spec).next(now) === null) {
    issues.push({ field: "trigger.expression", message: "never fires" });
  }
  return issues;
}
