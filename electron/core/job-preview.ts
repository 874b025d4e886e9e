/**
 * A job's next runs as the engine would start them: its trigger's fire times with its run
 * conditions applied (issue 15; shared/conditions.ts `timesWithConditions`): under `skip` the
 * times they rule out are left out, under `wait` a time moves to when they hold. Power and
 * network cannot be foreseen and are taken to hold. For `sundial next` and any face that
 * previews a job.
 */
import { timesWithConditions, type RunConditions } from "../shared/conditions.js";
import { DEFAULT_WHEN_UNMET_POLICY, type WhenUnmetPolicy } from "../shared/policies.js";
import type { Trigger } from "./triggers/trigger.js";

/** How many fire times are looked at, at most, to find `count` runs the conditions allow. */
export const PREVIEW_SCAN_LIMIT = 100_000;

export interface PreviewedJob {
  conditions?: RunConditions;
  whenUnmet?: WhenUnmetPolicy;
  waitUpToSeconds?: number;
}

/** Up to `count` start times after `from`, in `zone` (the zone the conditions are read in). */
export function previewJobTimes(trigger: Trigger, job: PreviewedJob, zone: string, from: Date, count: number): Date[] {
  const whenUnmet = job.whenUnmet ?? DEFAULT_WHEN_UNMET_POLICY;
  const fireTimes: number[] = [];
  let cursor = from;
  let finished = false;
  // Fire times in growing batches until the conditions leave `count` runs (a waiting run
  // folds in the times that follow it, so the whole list is applied each time).
  for (let batch = count * 2; ; batch = Math.min(batch * 2, PREVIEW_SCAN_LIMIT)) {
    while (!finished && fireTimes.length < batch) {
      const next = trigger.next(cursor);
      if (next === null) finished = true;
      else {
        fireTimes.push(next.getTime());
        cursor = next;
      }
    }
    const starts = timesWithConditions(fireTimes, job.conditions, whenUnmet, job.waitUpToSeconds, zone);
    if (starts.length >= count || finished || fireTimes.length >= PREVIEW_SCAN_LIMIT) return starts.slice(0, count).map((time) => new Date(time));
  }
}
