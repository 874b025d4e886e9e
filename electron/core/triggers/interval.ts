/**
 * Fixed-rate interval trigger: slots are anchor + k·every (k ≥ 0), so a restart or a late
 * run never shifts the rhythm. Jitter delays a run, never its slot: the slot is what history
 * and catch-up reason about, and next() stays pure.
 */
import type { FieldIssue } from "../../shared/errors.js";
import { isInstantInRange, MAX_INSTANT_MS, SECOND_MS } from "../../shared/civil-time.js";
import { MAX_EVERY_SECONDS } from "../../shared/limits.js";
import type { IntervalTriggerSpec } from "../../shared/schemas.js";
import { NO_RUN_LEFT, PASSED, TriggerError } from "./errors.js";
import type { Trigger } from "./trigger.js";

/** Every `everySeconds`, from the anchor (or start), inside the optional [start, end] window. */
export class IntervalTrigger implements Trigger {
  readonly spec: IntervalTriggerSpec;
  private readonly everyMs: number;
  private readonly anchorMs: number;
  private readonly startMs: number | null;
  private readonly endMs: number | null;

  /**
   * Throws TriggerError when the period is not a positive whole number of at most 100 years,
   * an instant is not a date-time within years 1970..9999, or there is no anchor.
   */
  constructor(spec: IntervalTriggerSpec) {
    this.spec = spec;
    const periodProblem = everySecondsProblem(spec.everySeconds);
    if (periodProblem) throw new TriggerError("trigger.everySeconds", periodProblem);
    this.everyMs = spec.everySeconds * SECOND_MS;
    this.startMs = instantOrThrow(spec.start, "trigger.start");
    this.endMs = instantOrThrow(spec.end, "trigger.end");
    const anchorMs = instantOrThrow(spec.anchor, "trigger.anchor") ?? this.startMs;
    if (anchorMs === null) {
      // The service sets `anchor` when it creates the job; guessing "now" here would let every
      // restart shift the rhythm.
      throw new TriggerError("trigger.anchor", "is required when there is no start (the service sets it at creation)");
    }
    this.anchorMs = anchorMs;
  }

  next(after: Date): Date | null {
    const afterMs = after.getTime();
    if (Number.isNaN(afterMs)) return null;
    let k = Math.max(0, Math.floor((afterMs - this.anchorMs) / this.everyMs) + 1);
    if (this.startMs !== null && this.startMs > this.anchorMs) {
      k = Math.max(k, Math.ceil((this.startMs - this.anchorMs) / this.everyMs));
    }
    const slot = this.anchorMs + k * this.everyMs;
    if (this.endMs !== null && slot > this.endMs) return null;
    // Past the last representable fire time the trigger is finished (never an Invalid Date).
    if (!(slot <= MAX_INSTANT_MS)) return null;
    return new Date(slot);
  }
}

function instantOrThrow(text: string | undefined, field: string): number | null {
  if (text === undefined) return null;
  const { ms, problem } = storedInstant(text);
  if (problem !== undefined) throw new TriggerError(field, problem);
  return ms;
}

/**
 * A stored instant as the trigger reads it: anything Date.parse reads (jobs saved by earlier
 * versions), within years 1970..9999. The edge is stricter (civil-time.ts readIsoInstant).
 */
export function storedInstant(text: unknown): { ms: number; problem?: undefined } | { ms?: undefined; problem: string } {
  const ms = typeof text === "string" ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) return { problem: "must be an ISO 8601 date-time" };
  if (!isInstantInRange(ms)) return { problem: "must lie between the years 1970 and 9999" };
  return { ms };
}

function everySecondsProblem(every: unknown): string | null {
  if (typeof every !== "number" || !Number.isSafeInteger(every) || every <= 0) return "must be a whole number of seconds longer than zero";
  if (every > MAX_EVERY_SECONDS) return `must be at most ${MAX_EVERY_SECONDS} seconds (100 years)`;
  return null;
}

/**
 * A deterministic delay in 0…jitterSeconds·1000 ms for one slot: a hash of `seed` (use the
 * job id) and the slot, so a restart computes the same delay and jobs sharing a slot spread out.
 */
export function jitterDelayMs(spec: IntervalTriggerSpec, slot: Date, seed: string): number {
  const jitterMs = Math.max(0, Math.floor((spec.jitterSeconds ?? 0) * SECOND_MS));
  if (jitterMs === 0) return 0;
  return hash53(`${seed}\u0000${slot.getTime()}`) % (jitterMs + 1);
}

/** When an interval slot's run is due: the slot plus its jitter delay (none without jitter). */
export function intervalDueAt(spec: IntervalTriggerSpec, slotMs: number, seed: string): number {
  return spec.jitterSeconds ? slotMs + jitterDelayMs(spec, new Date(slotMs), seed) : slotMs;
}

/**
 * The fixed-rate anchor is set once, when the job is created (its start, else `now`), taken
 * on a whole second so runs land on whole seconds ("every 1m" from 12:48:26).
 */
export function withIntervalAnchor(spec: IntervalTriggerSpec, now: Date): IntervalTriggerSpec {
  if (spec.anchor) return spec;
  const wholeSecond = new Date(Math.floor(now.getTime() / SECOND_MS) * SECOND_MS).toISOString();
  return { ...spec, anchor: spec.start ?? wholeSecond };
}

/** cyrb53 (public domain): a fast, well-mixed 53-bit string hash. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2_654_435_761);
    h2 = Math.imul(h2 ^ code, 1_597_334_677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2_246_822_507) ^ Math.imul(h2 ^ (h2 >>> 13), 3_266_489_909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2_246_822_507) ^ Math.imul(h1 ^ (h1 >>> 13), 3_266_489_909);
  return 4_294_967_296 * (2_097_151 & h2) + (h1 >>> 0);
}

/** Every problem with an interval spec, field names relative to the job. */
export function validateIntervalSpec(spec: IntervalTriggerSpec, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const every = spec.everySeconds;
  const periodProblem = everySecondsProblem(every);
  if (periodProblem) issues.push({ field: "trigger.everySeconds", message: periodProblem });
  const instants: Partial<Record<"anchor" | "start" | "end", number>> = {};
  for (const name of ["anchor", "start", "end"] as const) {
    const text = spec[name];
    if (text === undefined) continue;
    const { ms, problem } = storedInstant(text);
    if (problem !== undefined) issues.push({ field: `trigger.${name}`, message: problem });
    else instants[name] = ms;
  }
  const { anchor, start, end } = instants;
  if (end !== undefined && start !== undefined && end < start) {
    issues.push({ field: "trigger.end", message: "is before start" });
  } else if (end !== undefined && start === undefined && anchor !== undefined && end < anchor) {
    issues.push({ field: "trigger.end", message: "is before the job's first run" });
  } else if (end !== undefined && end <= now.getTime()) {
    issues.push({ field: "trigger.end", message: PASSED });
  }
  const jitter = spec.jitterSeconds;
  if (jitter !== undefined) {
    if (!Number.isSafeInteger(jitter) || jitter < 0) {
      issues.push({ field: "trigger.jitterSeconds", message: "must be a whole number of seconds, zero or more" });
    } else if (periodProblem === null && jitter >= every) {
      // A delay as long as the period would let one slot's run start after the next slot's.
      issues.push({ field: "trigger.jitterSeconds", message: "must be shorter than the interval" });
    }
  }
  if (issues.length === 0 && (anchor !== undefined || start !== undefined)) {
    if (new IntervalTrigger(spec).next(now) === null) {
      issues.push({ field: "trigger.end", message: NO_RUN_LEFT });
    }
  }
  return issues;
}
