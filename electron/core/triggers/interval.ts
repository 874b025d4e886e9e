/**
 * Fixed-rate interval trigger: slots are anchor + k·every (k ≥ 0), so a restart or a late
 * run never shifts the rhythm. Jitter delays a run, never its slot: the slot is what history
 * and catch-up reason about, and next() stays pure.
 */
import type { FieldIssue } from "../../shared/errors.js";
import { formatDuration } from "../../shared/duration.js";
import type { IntervalTriggerSpec } from "../../shared/schemas.js";
import { SECOND_MS } from "./civil.js";
import { TriggerError } from "./errors.js";
import type { Trigger } from "./trigger.js";
import { formatInZone, systemTimeZone } from "./zone.js";

/** Every `everySeconds`, from the anchor (or start), inside the optional [start, end] window. */
export class IntervalTrigger implements Trigger {
  readonly spec: IntervalTriggerSpec;
  private readonly everyMs: number;
  private readonly anchorMs: number;
  private readonly startMs: number | null;
  private readonly endMs: number | null;

  /** Throws TriggerError when the period is not a positive whole number or there is no anchor. */
  constructor(spec: IntervalTriggerSpec) {
    this.spec = spec;
    if (!Number.isSafeInteger(spec.everySeconds) || spec.everySeconds <= 0) {
      throw new TriggerError("trigger.everySeconds", "must be a whole number of seconds longer than zero");
    }
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
    return new Date(slot);
  }

  describe(): string {
    const zone = systemTimeZone();
    let text = `Every ${describePeriod(this.spec.everySeconds)}`;
    if (this.startMs !== null) text += ` from ${formatInZone(new Date(this.startMs), zone)}`;
    if (this.endMs !== null) text += ` until ${formatInZone(new Date(this.endMs), zone)}`;
    if (this.spec.jitterSeconds) text += `, up to ${formatDuration(this.spec.jitterSeconds)} late (jitter)`;
    return text;
  }
}

const UNIT_WORDS: Record<string, string> = { d: "day", h: "hour", m: "minute", s: "second" };

/** 300 → "5 minutes", 3600 → "hour", 5400 → "1h30m" (mixed units stay compact). */
function describePeriod(seconds: number): string {
  const compact = formatDuration(seconds);
  const single = /^(\d+)([dhms])$/.exec(compact);
  if (!single) return compact;
  const count = Number(single[1]);
  const unit = UNIT_WORDS[single[2]!]!;
  return count === 1 ? unit : `${count} ${unit}s`;
}

function instantOrThrow(text: string | undefined, field: string): number | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new TriggerError(field, "must be an ISO 8601 date-time");
  return ms;
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
  if (!Number.isSafeInteger(every) || every <= 0) {
    issues.push({ field: "trigger.everySeconds", message: "must be a whole number of seconds longer than zero" });
  }
  const instants: Partial<Record<"anchor" | "start" | "end", number>> = {};
  for (const name of ["anchor", "start", "end"] as const) {
    const text = spec[name];
    if (text === undefined) continue;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) issues.push({ field: `trigger.${name}`, message: "must be an ISO 8601 date-time" });
    else instants[name] = ms;
  }
  const { anchor, start, end } = instants;
  if (end !== undefined && start !== undefined && end < start) {
    issues.push({ field: "trigger.end", message: "is before start" });
  } else if (end !== undefined && start === undefined && anchor !== undefined && end < anchor) {
    issues.push({ field: "trigger.end", message: "is before the anchor (the job's first slot)" });
  } else if (end !== undefined && end <= now.getTime()) {
    issues.push({ field: "trigger.end", message: "is in the past" });
  }
  const jitter = spec.jitterSeconds;
  if (jitter !== undefined) {
    if (!Number.isSafeInteger(jitter) || jitter < 0) {
      issues.push({ field: "trigger.jitterSeconds", message: "must be a whole number of seconds, zero or more" });
    } else if (Number.isSafeInteger(every) && every > 0 && jitter >= every) {
      // A delay as long as the period would let one slot's run start after the next slot's.
      issues.push({ field: "trigger.jitterSeconds", message: "must be shorter than the interval (everySeconds)" });
    }
  }
  if (issues.length === 0 && (anchor !== undefined || start !== undefined)) {
    if (new IntervalTrigger(spec).next(now) === null) {
      issues.push({ field: "trigger.end", message: "leaves no run between start and end" });
    }
  }
  return issues;
}
