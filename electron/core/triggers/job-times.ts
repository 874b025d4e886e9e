/**
 * A job's time triggers together: its next run is the earliest over them (DESIGN.md "Beyond
 * the clock"). Pure math like every trigger: no timer, no clock.
 */
import type { TriggerSpec } from "../../shared/schemas.js";
import type { Trigger } from "./trigger.js";

/** When a slot of `spec` is due (its kind's jitter), for the job `jobId`. */
export type DueAtOfKind = (spec: TriggerSpec, slotMs: number, jobId: string) => number;

export class JobTimes implements Trigger {
  constructor(
    private readonly timed: readonly { spec: TriggerSpec; trigger: Trigger }[],
    private readonly dueAtOfKind: DueAtOfKind,
  ) {}

  /** The earliest next time over the job's time triggers; null when every one has finished. */
  next(after: Date): Date | null {
    let earliest: Date | null = null;
    for (const { trigger } of this.timed) {
      const next = trigger.next(after);
      if (next !== null && (earliest === null || next.getTime() < earliest.getTime())) earliest = next;
    }
    return earliest;
  }

  /**
   * When the run for the slot at `slotMs` is due: the slot itself, or later by the jitter of
   * the trigger that gave the slot (an interval's `jitterSeconds`), the same delay for the same
   * job and slot every time. When two triggers share a slot, the earliest due time wins.
   */
  dueAt(slotMs: number, jobId: string): number {
    if (this.timed.length === 1) return this.dueAtOfKind(this.timed[0]!.spec, slotMs, jobId);
    let due = Infinity;
    const before = new Date(slotMs - 1);
    for (const { spec, trigger } of this.timed) {
      if (trigger.next(before)?.getTime() === slotMs) due = Math.min(due, this.dueAtOfKind(spec, slotMs, jobId));
    }
    return Number.isFinite(due) ? due : slotMs;
  }
}
