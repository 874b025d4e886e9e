/**
 * Jobs as launchd agents (launchd.plist(5)): `sundial.<name>.plist` per job with `Label`,
 * `ProgramArguments` (the shell and the command), `StartCalendarInterval` (cron fields
 * expanded into dictionaries, see cron-calendar.ts), `StartInterval` for intervals,
 * `RunAtLoad` for startup triggers, `WatchPaths` for watch triggers. Written with the `plist`
 * package; what launchd cannot hold is an XML comment. Install: copy to
 * ~/Library/LaunchAgents/, `launchctl load ~/Library/LaunchAgents/sundial.<name>.plist`.
 */
import plist from "plist";
import type { JobView, TriggerSpec } from "../../shared/schemas.js";
import { launchdIntervalsOf, type LaunchdInterval } from "./cron-calendar.js";
import { eventTriggerNote, exportPerJob, JobNotes, notesFor, type ExportResult } from "./export-notes.js";

const DEFAULT_SHELL = "/bin/sh";

interface Schedule {
  intervals: LaunchdInterval[];
  startInterval?: number;
  runAtLoad?: boolean;
  watchPaths: string[];
}

/** One plist per job. */
export function exportLaunchd(jobs: readonly JobView[], options: { now: Date; systemZone: string }): ExportResult {
  return exportPerJob(jobs, "launchd", (job, slug, jobNotes, general) => {
    if (job.overlap !== "skip") notesFor(job, "overlap", jobNotes, general).add(`overlap ${job.overlap}: launchd does not start a job that is still running (as overlap skip)`);
    if (job.catchUp !== "once") notesFor(job, "catchUp", jobNotes, general).add(`catch-up ${job.catchUp}: launchd runs a calendar job missed while asleep once on wake`);
    if (job.timeoutSeconds !== undefined) jobNotes.add(`the ${job.timeoutSeconds} s timeout is not exported: launchd has no run time limit`);
    const schedule: Schedule = { intervals: [], watchPaths: [] };
    for (const trigger of job.triggers) addTrigger(schedule, trigger, jobNotes, options.systemZone);
    const label = `sundial.${slug}`;
    const agent: Record<string, plist.PlistValue> = {
      Label: label,
      ProgramArguments: [job.shell ?? DEFAULT_SHELL, "-c", job.command],
    };
    if (job.cwd !== undefined) agent.WorkingDirectory = job.cwd;
    if (Object.keys(job.env).length > 0) agent.EnvironmentVariables = { ...job.env };
    if (schedule.intervals.length > 0) agent.StartCalendarInterval = schedule.intervals as unknown as plist.PlistValue;
    if (schedule.startInterval !== undefined) agent.StartInterval = schedule.startInterval;
    if (schedule.runAtLoad) agent.RunAtLoad = true;
    if (schedule.watchPaths.length > 0) agent.WatchPaths = schedule.watchPaths;
    if (job.paused) {
      agent.Disabled = true;
      jobNotes.add("paused: written with Disabled");
    }
    if (schedule.intervals.length === 0 && schedule.startInterval === undefined && !schedule.runAtLoad && schedule.watchPaths.length === 0) {
      jobNotes.add(`it has no trigger launchd can start: run it with launchctl start ${label}`);
    }
    return [{ name: `${label}.plist`, content: withComments(plist.build(agent), [`Sundial job "${job.name}", exported ${options.now.toISOString()}.`, ...jobNotes.inFile().map((line) => `not exported: ${line}`)]) }];
  });
}

function addTrigger(schedule: Schedule, trigger: TriggerSpec, notes: JobNotes, systemZone: string): void {
  switch (trigger.type) {
    case "cron": {
      const intervals = launchdIntervalsOf(trigger);
      if ("untranslatable" in intervals) return notes.add(`its schedule ${trigger.expression} is not exported: ${intervals.untranslatable}`);
      if (trigger.timezone !== undefined && trigger.timezone !== systemZone) notes.add(`its schedule ${trigger.expression} is in ${trigger.timezone}; launchd runs it in the Mac's own zone`);
      schedule.intervals.push(...intervals.ok);
      return;
    }
    case "interval":
      if (schedule.startInterval !== undefined) return notes.add(`a second interval (every ${trigger.everySeconds} s) is not exported: launchd takes one StartInterval`);
      schedule.startInterval = trigger.everySeconds;
      notes.add("the interval counts from when launchd loads the job, not from its anchor");
      if (trigger.start !== undefined || trigger.end !== undefined) notes.add("the interval's start and end are not exported");
      if (trigger.jitterSeconds) notes.add(`the interval's jitter (${trigger.jitterSeconds} s) is not exported`);
      return;
    case "date":
      return notes.add(`its one-off date (${trigger.at}) is not exported: a launchd calendar repeats every year`);
    case "startup":
      schedule.runAtLoad = true;
      if (trigger.delaySeconds) notes.add(`the startup delay (${trigger.delaySeconds} s) is not exported`);
      return;
    case "watch":
      schedule.watchPaths.push(trigger.path);
      if (trigger.recursive) notes.add("WatchPaths does not look inside sub-folders (the watch was recursive)");
      return;
    case "wake":
    case "after":
      return notes.add(eventTriggerNote(trigger)!);
    default: {
      const unhandled: never = trigger;
      throw new Error(`unhandled trigger ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The notes as XML comments after the plist's DOCTYPE (`--` may not appear inside one). */
function withComments(xml: string, lines: string[]): string {
  const comments = lines.map((line) => `<!-- ${line.replaceAll("--", "- -")} -->`).join("\n");
  const at = xml.indexOf("<plist");
  return `${xml.slice(0, at)}${comments}\n${xml.slice(at)}\n`;
}
