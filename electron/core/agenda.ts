/**
 * The agenda (issue 17): every job's runs to come over the next days, grouped by day. Built
 * from each time trigger's own `next` (the math `sundial next` previews with), merged per job
 * (two triggers on one instant are one run) and sorted. Pure: the caller gives the time.
 */
import type { Agenda, AgendaDay } from "../shared/contract.js";
import { AGENDA_RUNS_PER_JOB_PER_DAY } from "../shared/contract.js";
import { civilFromDays, daysFromCivil, formatInZone, wallTimeAt, wallTimeToInstant } from "../shared/civil-time.js";
import type { JobView } from "../shared/schemas.js";
import { triggerZone } from "../shared/trigger-kinds.js";
import { isTimeTriggerType } from "../shared/trigger-types.js";
import { fromSpec, type Trigger } from "./triggers/index.js";

export interface AgendaOptions {
  /** Runs strictly after this instant (epoch ms). */
  fromMs: number;
  /** Calendar days in `zone`, the day of `fromMs` first. */
  days: number;
  zone: string;
  /** No run before this instant is expected (every job paused until then); Infinity: paused with no end. */
  pausedUntilMs?: number;
  /** At most this many runs in all, the soonest (the tray's first lines); absent: every run. */
  limit?: number;
}

/** `2026-12-06`: a day number (days since 1970-01-01) as the agenda names it. */
function dayName(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The instant `zone`'s clocks show midnight starting the day `days` (a midnight in a DST gap: its first moment). */
function dayStart(days: number, zone: string): number {
  const { year, month, day } = civilFromDays(days);
  return wallTimeToInstant({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }, zone);
}

/** The jobs' runs to come, day by day; paused, finished and broken jobs have none. */
export function buildAgenda(jobs: readonly JobView[], options: AgendaOptions): Agenda {
  const { fromMs, zone } = options;
  const wall = wallTimeAt(fromMs, zone);
  const firstDay = daysFromCivil(wall.year, wall.month, wall.day);
  const bounds = Array.from({ length: options.days + 1 }, (_, index) => dayStart(firstDay + index, zone));
  const days: AgendaDay[] = bounds.slice(0, -1).map((_, index) => ({ date: dayName(firstDay + index), runs: [], more: [] }));
  const startMs = Math.max(fromMs, options.pausedUntilMs ?? -Infinity);

  const untilMs = bounds[bounds.length - 1]!;
  let timed = jobs.filter((job) => !job.paused && !job.finished && !job.problem).map((job) => ({ job, triggers: timeTriggersOf(job) }));
  timed = timed.filter(({ triggers }) => triggers.length > 0);
  if (options.limit !== undefined) timed = soonest(timed, startMs, untilMs, options.limit);

  for (const { job, triggers } of timed) {
    days.forEach((day, index) => {
      const begin = Math.max(startMs, bounds[index]! - 1);
      const end = bounds[index + 1]!;
      if (begin >= end) return;
      // Each trigger's first times this day; their union, earliest first, capped per job.
      const found = new Map<number, string>();
      let more = false;
      for (const { trigger, triggerZoneName } of triggers) {
        let cursor = new Date(begin);
        for (let taken = 0; ; taken += 1) {
          const next = trigger.next(cursor);
          if (next === null || next.getTime() >= end) break;
          if (taken === AGENDA_RUNS_PER_JOB_PER_DAY) {
            more = true;
            break;
          }
          if (!found.has(next.getTime())) found.set(next.getTime(), triggerZoneName);
          cursor = next;
        }
      }
      const times = [...found.keys()].sort((a, b) => a - b);
      if (times.length > AGENDA_RUNS_PER_JOB_PER_DAY) more = true;
      for (const time of times.slice(0, AGENDA_RUNS_PER_JOB_PER_DAY)) {
        const ownZone = found.get(time)!;
        day.runs.push({ jobId: job.id, jobName: job.name, at: formatInZone(time, zone), jobZone: ownZone === zone ? null : ownZone, tags: job.tags ?? [] });
      }
      if (more) day.more.push({ jobId: job.id, jobName: job.name });
    });
  }

  let left = options.limit ?? Infinity;
  for (const day of days) {
    day.runs.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.jobName.localeCompare(b.jobName));
    day.more.sort((a, b) => a.jobName.localeCompare(b.jobName));
    day.runs = day.runs.slice(0, Math.max(0, left));
    left -= day.runs.length;
  }
  return { from: formatInZone(fromMs, zone), until: formatInZone(untilMs, zone), timezone: zone, days };
}

type TimedJob = { job: JobView; triggers: { trigger: Trigger; triggerZoneName: string }[] };

/**
 * The jobs that can hold the `limit` soonest runs: those whose first run (before `endMs`) is
 * among the `limit` earliest, ties included. A job further down has `limit` jobs running
 * before its first run, so none of its runs can be among the soonest. One `next` per trigger.
 */
function soonest(timed: TimedJob[], startMs: number, endMs: number, limit: number): TimedJob[] {
  const firsts = timed.map((entry) => {
    let first = Infinity;
    for (const { trigger } of entry.triggers) first = Math.min(first, trigger.next(new Date(startMs))?.getTime() ?? Infinity);
    return { entry, first };
  });
  const times = firsts.map(({ first }) => first).filter((first) => first < endMs).sort((a, b) => a - b);
  if (times.length === 0) return [];
  const cutoff = times[Math.min(limit, times.length) - 1]!;
  return firsts.filter(({ first }) => first <= cutoff).map(({ entry }) => entry);
}

/** The job's time triggers, built; a spec that does not build leaves the job out (its view says why). */
function timeTriggersOf(job: JobView): { trigger: Trigger; triggerZoneName: string }[] {
  try {
    return job.triggers.filter((spec) => isTimeTriggerType(spec.type)).map((spec) => ({ trigger: fromSpec(spec), triggerZoneName: triggerZone(spec) }));
  } catch {
    return [];
  }
}
