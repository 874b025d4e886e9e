/**
 * A job's slots, from its trigger: where an interval starts, the next slot (defended against
 * a trigger that fails), when a slot is due (jitter), and which slots are due by now.
 * Pure math over the reference time given; no timers.
 */
import type { Job } from "../../shared/schemas.js";
import { isInstantInRange } from "../../shared/civil-time.js";
import { withTriggersDefaults } from "../triggers/index.js";
import type { JobState } from "./job-state.js";

/**
 * Missed slots walked one by one before skipping ahead (a dense schedule over a long outage:
 * an every-second job after a week away has 604,800). A count, not a time box: how many slots
 * are counted and which are kept must not depend on how busy the machine is at start-up.
 */
export const CATCH_UP_SCAN_LIMIT = 2_000;

/**
 * The trigger's next slot after `afterMs`, defended: a trigger that throws, or answers
 * with a time that is not a representable instant strictly after `afterMs` (NaN, year
 * 275760), is finished for good — the job is marked broken and a warning given, and the
 * engine goes on (issue 10, item 1).
 */
export function nextSlotOf(state: JobState, afterMs: number, warn: (message: string) => void): number | null {
  if (!state.trigger) return null;
  const answer = askNextSlot(state.trigger, afterMs);
  if (typeof answer !== "string") return answer.slot;
  state.trigger = null;
  state.problem = answer;
  warn(`job "${state.job.name}" (${state.job.id}) will not run: ${answer}`);
  return null;
}

/**
 * What the trigger says comes after `afterMs`: `{ slot }` (null: nothing more), or the
 * problem, as words, when it threw or answered a time that is not a representable instant
 * strictly after `afterMs`. Asks only: marking the job broken is `nextSlotOf`'s.
 */
export function askNextSlot(trigger: NonNullable<JobState["trigger"]>, afterMs: number): { slot: number | null } | string {
  try {
    const next = trigger.next(new Date(afterMs));
    if (next === null) return { slot: null };
    const ms = next instanceof Date ? next.getTime() : Number.NaN;
    if (isInstantInRange(ms) && ms > afterMs) return { slot: ms };
    return `its trigger gave an impossible next run time (${Number.isFinite(ms) ? ms : String(ms)} after ${afterMs})`;
  } catch (error) {
    return `its trigger failed: ${(error as Error).message}`;
  }
}

/** When `slot` is due: the slot itself, or later by the jitter of the interval that gave it. */
export function dueAtOf(state: JobState, slot: number): number {
  return state.trigger ? state.trigger.dueAt(slot, state.job.id) : slot;
}

/**
 * Slots after lastSlot that are due by `now`, oldest first: at most `keep` of the newest,
 * plus how many there were. After CATCH_UP_SCAN_LIMIT slots the walk skips ahead to a little
 * before the newest `keep` (judged from the average spacing so far) and estimates the count
 * of the slots it stepped over from that spacing. Catch-up math goes forward only:
 * cron-parser's prev() is unsafe around DST.
 */
export function dueSlots(state: JobState, now: number, keep: number, warn: (message: string) => void): { slots: number[]; total: number } {
  const slots: number[] = [];
  let total = 0;
  let slot = state.nextSlot;
  const first = slot;
  let skipped = false;
  while (slot !== null && state.trigger && dueAtOf(state, slot) <= now) {
    slots.push(slot);
    if (slots.length > keep) slots.shift();
    total++;
    if (!skipped && total === CATCH_UP_SCAN_LIMIT && first !== null) {
      skipped = true;
      const spacing = Math.max(1, (slot - first) / (total - 1));
      const ahead = nextSlotOf(state, now - spacing * (keep + 1) * 2, warn);
      if (ahead !== null && ahead > slot) {
        // The slots kept so far are older than every slot from `ahead` on.
        total += Math.max(0, Math.round((ahead - slot) / spacing) - 1);
        slot = ahead;
        continue;
      }
    }
    slot = nextSlotOf(state, slot, warn);
  }
  return { slots, total };
}

/** What the triggers' kinds set on a new job (an interval's fixed-rate anchor, on a whole second). */
export function withAnchor<T extends { triggers: Job["triggers"] }>(input: T, nowIso: string): T {
  return { ...input, triggers: withTriggersDefaults(input.triggers, new Date(nowIso)) };
}
