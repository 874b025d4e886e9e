/**
 * Jobs as crontab lines (crontab(5), cronie): one line per time trigger, under a comment with
 * the job's name (so `sundial import --from-crontab` reads the name back), after the
 * `SHELL=`, `CRON_TZ=` and variable lines it needs. What cron cannot hold is a comment above.
 */
import type { JobView, TriggerSpec } from "../../shared/schemas.js";
import { systemTimeZone } from "../../shared/civil-time.js";
import { crontabExpressionOf } from "./cron-calendar.js";
import { commonNotes, DEFAULTS_LABEL, eventTriggerNote, intervalAsCron, JobNotes, notesFor, type ExportResult } from "./export-notes.js";

const DEFAULT_SHELL = "/bin/sh";
const shellQuote = (text: string) => (/^[A-Za-z0-9_./:@%+=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);
/** cron ends the command at an unescaped `%` (crontab(5)): a literal one is `\%`. */
const escapePercent = (command: string) => command.replaceAll("%", "\\%");

interface CrontabState {
  shell: string;
  zone: string | undefined;
  env: Map<string, string>;
}

/** One `crontab` file for every job; `notes` lists what was left out, naming the job. */
export function exportCrontab(jobs: readonly JobView[], options: { now: Date; systemZone?: string }): ExportResult {
  const systemZone = options.systemZone ?? systemTimeZone();
  const out: string[] = [];
  const notes: string[] = [];
  const general = new Set<string>();
  const state: CrontabState = { shell: DEFAULT_SHELL, zone: undefined, env: new Map() };
  // Jobs without variables first: cron cannot unset a variable a line above set.
  const ordered = [...jobs].sort((a, b) => Object.keys(a.env).length - Object.keys(b.env).length);
  for (const job of ordered) {
    const jobNotes = new JobNotes(job);
    const block = jobBlock(job, jobNotes, general, state, systemZone);
    out.push(...jobNotes.lines.map((line) => `# not exported: ${line}`), ...block, "");
    notes.push(...jobNotes.reported());
  }
  const header = [
    `# Sundial jobs as crontab lines, exported ${options.now.toISOString()}.`,
    "# Install with: crontab FILE (this replaces the current crontab).",
    ...[...general].map((line) => `# not exported (${DEFAULTS_LABEL}): ${line}`),
    "",
  ];
  return { files: [{ name: "crontab", content: `${[...header, ...out].join("\n").trimEnd()}\n` }], notes: [...[...general].map((line) => `${DEFAULTS_LABEL}: ${line}`), ...notes] };
}

function jobBlock(job: JobView, notes: JobNotes, general: Set<string>, state: CrontabState, systemZone: string): string[] {
  if (job.finished) {
    notes.add("finished (its schedule has no runs left): left out");
    return [];
  }
  commonNotes(job, notes, "crontab");
  if (job.overlap !== "parallel") notesFor(job, "overlap", notes, general).add(`overlap ${job.overlap}: cron starts a run even while the previous one runs (wrap the command in flock -n to skip)`);
  if (job.catchUp !== "skip") notesFor(job, "catchUp", notes, general).add(`catch-up ${job.catchUp}: cron does not run missed times (anacron does)`);
  if (job.timeoutSeconds !== undefined) notes.add(`the ${job.timeoutSeconds} s timeout is not exported (wrap the command in timeout ${job.timeoutSeconds})`);
  if (job.command.includes("\n")) {
    notes.add("its command has several lines, which a crontab line cannot hold: left out");
    return [];
  }
  const lines: { trigger: TriggerSpec; schedule: string; zone: string | undefined }[] = [];
  for (const trigger of job.triggers) {
    const line = scheduleOf(trigger, notes);
    if (line !== null) lines.push({ trigger, ...line });
  }
  if (lines.length === 0) {
    notes.add("it has no schedule cron can run: left out");
    return [];
  }
  const block: string[] = [];
  const shell = job.shell ?? DEFAULT_SHELL;
  if (shell !== state.shell) block.push(`SHELL=${shell}`);
  state.shell = shell;
  for (const [key, value] of Object.entries(job.env)) {
    if (value.includes("\n")) {
      notes.add(`the variable ${key} holds a newline, which a crontab line cannot: left out`);
      continue;
    }
    if (state.env.get(key) !== value) block.push(`${key}="${value}"`);
    state.env.set(key, value);
  }
  for (const key of state.env.keys()) if (!Object.hasOwn(job.env, key)) notes.add(`the variable ${key} set above for another job holds for this one too (cron cannot unset it)`);
  const command = escapePercent(job.cwd !== undefined ? `cd ${shellQuote(job.cwd)} && ${job.command}` : job.command);
  const prefix = job.paused ? "# (paused) " : "";
  if (job.paused) notes.add("paused: its lines are commented out");
  for (const line of lines) {
    // A trigger in the system zone is written under CRON_TZ set to it when a line above set another.
    const zone = line.zone ?? (state.zone !== undefined ? systemZone : undefined);
    if (zone !== state.zone) block.push(`CRON_TZ=${zone}`);
    state.zone = zone;
    block.push(`# ${job.name}`, `${prefix}${line.schedule} ${command}`);
  }
  return block;
}

function scheduleOf(trigger: TriggerSpec, notes: JobNotes): { schedule: string; zone: string | undefined } | null {
  switch (trigger.type) {
    case "cron": {
      const expression = crontabExpressionOf(trigger);
      if ("untranslatable" in expression) {
        notes.add(`its schedule ${trigger.expression} is not exported: ${expression.untranslatable}`);
        return null;
      }
      return { schedule: expression.ok, zone: trigger.timezone };
    }
    case "interval": {
      const cron = intervalAsCron(trigger);
      if (cron === null) {
        notes.add(`its interval (every ${trigger.everySeconds} s${trigger.start || trigger.end ? ", with a start or end" : ""}) is not exported: cron cannot run it at the same times`);
        return null;
      }
      if (trigger.jitterSeconds) notes.add(`the interval's jitter (${trigger.jitterSeconds} s) is not exported`);
      if (cron.earlySeconds > 0) notes.add(`its interval runs ${cron.earlySeconds} s earlier than in Sundial (cron has whole minutes only)`);
      return { schedule: cron.expression, zone: "UTC" };
    }
    case "date":
      notes.add(`its one-off date (${trigger.at}) is not exported: a crontab line repeats every year`);
      return null;
    case "startup":
      if (trigger.delaySeconds) notes.add(`the startup delay (${trigger.delaySeconds} s) is not exported (add sleep ${trigger.delaySeconds}; to the command)`);
      return { schedule: "@reboot", zone: undefined };
    case "wake":
    case "watch":
    case "after":
      notes.add(eventTriggerNote(trigger)!);
      return null;
    default: {
      const unhandled: never = trigger;
      throw new Error(`unhandled trigger ${JSON.stringify(unhandled)}`);
    }
  }
}
