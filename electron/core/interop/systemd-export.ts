/**
 * Jobs as systemd user units (systemd.service(5), systemd.timer(5)): `sundial-<name>.service`
 * runs the command once (`Type=oneshot`), `sundial-<name>.timer` starts it: `OnCalendar=` from
 * cron triggers (two for the day-of-month/day-of-week OR rule, see cron-calendar.ts),
 * `OnBootSec=` + `OnUnitActiveSec=` for intervals, `OnStartupSec=` for startup triggers,
 * `Persistent=true` for catch-up once/all, `RandomizedDelaySec=` from an interval's jitter.
 * Install: copy to ~/.config/systemd/user/, `systemctl --user daemon-reload`,
 * `systemctl --user enable --now sundial-<name>.timer`.
 */
import type { JobView, TriggerSpec } from "../../shared/schemas.js";
import { onCalendarOf } from "./cron-calendar.js";
import { eventTriggerNote, exportPerJob, JobNotes, notesFor, type ExportResult } from "./export-notes.js";

const DEFAULT_SHELL = "/bin/sh";
/** How long systemd waits after SIGTERM before SIGKILL when a run times out (Sundial's own grace). */
const STOP_GRACE_SECONDS = 5;

/**
 * A value inside double quotes in a unit file: C-style escapes, `%` specifiers doubled
 * (systemd.unit(5)), and in ExecStart `$` doubled so systemd does not expand variables itself.
 */
function quoted(text: string, options: { dollars: boolean }): string {
  let escaped = text.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n").replaceAll("\t", "\\t").replaceAll("%", "%%");
  if (options.dollars) escaped = escaped.replaceAll("$", "$$$$");
  return `"${escaped}"`;
}

/** A `.service` and a `.timer` per job (a job with no trigger systemd can start: the service only). */
export function exportSystemd(jobs: readonly JobView[], options: { now: Date }): ExportResult {
  return exportPerJob(jobs, "systemd", (job, slug, jobNotes, general) => {
    const unit = `sundial-${slug}`;
    if (job.overlap !== "skip") notesFor(job, "overlap", jobNotes, general).add(`overlap ${job.overlap}: systemd does not start a unit that is still running (as overlap skip)`);
    if (job.catchUp === "all") notesFor(job, "catchUp", jobNotes, general).add("catch-up all: Persistent=true runs a missed timer once, not once per missed time");
    if (job.paused) jobNotes.add("paused: the timer is written but not to be enabled until the job should run");
    const timer = timerLines(job, jobNotes);
    const header = (kind: string) => [
      `# Sundial job "${job.name}" as a systemd user ${kind}, exported ${options.now.toISOString()}.`,
      ...jobNotes.inFile().map((line) => `# not exported: ${line}`),
    ];
    const files = [{ name: `${unit}.service`, content: serviceFile(job, header("service")) }];
    if (timer.length > 0) files.push({ name: `${unit}.timer`, content: timerFile(job, unit, timer, header("timer")) });
    else jobNotes.add(`it has no trigger systemd can start: only ${unit}.service is written (systemctl --user start ${unit})`);
    return files;
  });
}

function serviceFile(job: JobView, header: string[]): string {
  const lines = [...header, "", "[Unit]", `Description=${job.name.replaceAll("%", "%%")} (Sundial job)`, "", "[Service]", "Type=oneshot"];
  const shell = job.shell ?? DEFAULT_SHELL;
  lines.push(`ExecStart=${/^[A-Za-z0-9_./+-]+$/.test(shell) ? shell : quoted(shell, { dollars: true })} -c ${quoted(job.command, { dollars: true })}`);
  // A path, taken verbatim (no quotes) but for `%` specifiers.
  if (job.cwd !== undefined) lines.push(`WorkingDirectory=${job.cwd.replaceAll("%", "%%")}`);
  for (const [key, value] of Object.entries(job.env)) lines.push(`Environment=${quoted(`${key}=${value}`, { dollars: false })}`);
  if (job.timeoutSeconds !== undefined) {
    // A oneshot's run is its start: TimeoutStartSec= ends it (TERM, then KILL after TimeoutStopSec=).
    lines.push(`TimeoutStartSec=${job.timeoutSeconds}s`, `TimeoutStopSec=${STOP_GRACE_SECONDS}s`);
  }
  lines.push("KillMode=control-group");
  return `${lines.join("\n")}\n`;
}

function timerFile(job: JobView, unit: string, timer: string[], header: string[]): string {
  const lines = [...header, "", "[Unit]", `Description=When to run ${job.name.replaceAll("%", "%%")} (Sundial job)`, "", "[Timer]", ...timer];
  if (job.catchUp !== "skip" && timer.some((line) => line.startsWith("OnCalendar="))) lines.push("Persistent=true");
  lines.push(`Unit=${unit}.service`, "", "[Install]", "WantedBy=timers.target");
  return `${lines.join("\n")}\n`;
}

function timerLines(job: JobView, notes: JobNotes): string[] {
  return job.triggers.flatMap((trigger) => triggerLines(trigger, notes));
}

function triggerLines(trigger: TriggerSpec, notes: JobNotes): string[] {
  switch (trigger.type) {
    case "cron": {
      const calendar = onCalendarOf(trigger);
      if ("untranslatable" in calendar) {
        notes.add(`its schedule ${trigger.expression} is not exported: ${calendar.untranslatable}`);
        return [];
      }
      return calendar.ok.map((value) => `OnCalendar=${value}`);
    }
    case "interval": {
      if (trigger.start !== undefined || trigger.end !== undefined) notes.add("the interval's start and end are not exported");
      notes.add("the interval counts from boot and from the last run, not from its anchor");
      const every = `${trigger.everySeconds}s`;
      return [`OnBootSec=${every}`, `OnUnitActiveSec=${every}`, ...(trigger.jitterSeconds ? [`RandomizedDelaySec=${trigger.jitterSeconds}s`] : [])];
    }
    case "date":
      // A full date with a year fires once; written in UTC, the one zone every systemd knows.
      return [`OnCalendar=${new Date(trigger.at).toISOString().slice(0, 19).replace("T", " ")} UTC`];
    case "startup":
      // At the user manager's start, i.e. at login, as the app starts at login.
      return [`OnStartupSec=${trigger.delaySeconds ?? 0}s`];
    case "wake":
    case "watch":
    case "after":
      notes.add(eventTriggerNote(trigger)!);
      return [];
    default: {
      const unhandled: never = trigger;
      throw new Error(`unhandled trigger ${JSON.stringify(unhandled)}`);
    }
  }
}
