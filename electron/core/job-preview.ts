/**
 * A job's next runs as the engine would start them: its trigger's fire times with its run
 * conditions applied (issue 15; shared/conditions.ts `timesWithConditions`): under `skip` the
 * times they rule out are left out, under `wait` a time moves to when they hold. Power and
 * network cannot be foreseen and are taken to hold. For `sundial next` and any face that
 * previews a job.
 */
import { timesWithConditions, type RunConditions } from "../shared/conditions.js";
import { DEFAULT_WHEN_UNMET_POLICY, type WhenUnmetPolicy } from "../shared/policies.js";
import type { TriggerSpec } from "../shared/schemas.js";
import { triggersZone } from "../shared/trigger-kinds.js";
import { jobTimesOf } from "./triggers/index.js";
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

/**
 * A stored job's next start times: the earliest over its time triggers, with its conditions
 * applied, in the job's zone; [] for a job with no time trigger (manual, events only). For
 * `sundial next --job NAME` and any face that previews a job.
 */
export function previewJob(job: PreviewedJob & { triggers: readonly TriggerSpec[] }, from: Date, count: number): Date[] {
  const times = jobTimesOf(job.triggers);
  return times ? previewJobTimes(times, job, triggersZone(job.triggers), from, count) : [];
}
