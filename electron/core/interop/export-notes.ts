/**
 * What the exports share: the jobs they take, the file names they make, and the features of a
 * job that no crontab, systemd unit or launchd plist can hold, each said once so every format
 * writes it as a comment in its output and the CLI reports it on stderr.
 */
import type { IntervalTriggerSpec, JobView, TriggerSpec } from "../../shared/schemas.js";
import { conditionsInWords, durationInWords } from "../../shared/wording.js";
import { formatDuration } from "../../shared/duration.js";
import { DEFAULT_CATCH_UP_POLICY, DEFAULT_OVERLAP_POLICY } from "../../shared/policies.js";

/** How the notes said once for every job on Sundial's default policies begin. */
export const DEFAULTS_LABEL = "jobs on Sundial's default policies";

/**
 * Where a policy's note goes: said once for the whole export when the job keeps Sundial's
 * default (most jobs do), else on the job.
 */
export function notesFor(job: Pick<JobView, "overlap" | "catchUp">, policy: "overlap" | "catchUp", notes: JobNotes, general: Set<string>): { add(line: string): void } {
  const isDefault = policy === "overlap" ? job.overlap === DEFAULT_OVERLAP_POLICY : job.catchUp === DEFAULT_CATCH_UP_POLICY;
  if (!isDefault) return notes;
  return {
    add(line) {
      general.add(line);
      if (!notes.inFileOnly.includes(line)) notes.inFileOnly.push(line);
    },
  };
}

export const EXPORT_FORMATS = ["crontab", "systemd", "launchd"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One file an export writes, relative to its folder. */
export interface ExportedFile {
  name: string;
  content: string;
}

export interface ExportResult {
  files: ExportedFile[];
  /** `"backup": retries (2) are not exported: …`, one line per thing left out. */
  notes: string[];
}

/** A note about one job, as the output's comment and the stderr line both say it. */
export class JobNotes {
  readonly lines: string[] = [];
  /** Notes reported once for the whole export, but still written beside this job in a file of its own. */
  readonly inFileOnly: string[] = [];
  constructor(readonly job: Pick<JobView, "name">) {}
  add(line: string): void {
    if (!this.lines.includes(line)) this.lines.push(line);
  }
  /** For a file of this job's own (a unit, a plist): every note. */
  inFile(): string[] {
    return [...this.lines, ...this.inFileOnly];
  }
  /** For stderr: each line with the job's name. */
  reported(): string[] {
    return this.lines.map((line) => `"${this.job.name}": ${line}`);
  }
}

/** What every format leaves out of a job (its engine's own policies are each format's to say). */
export function commonNotes(job: JobView, notes: JobNotes, format: ExportFormat): void {
  if (job.retries.count > 0) notes.add(`retries (${job.retries.count}, ${durationInWords(job.retries.delaySeconds)} apart) are not exported: ${format} does not retry a failed run`);
  if (job.alerts !== undefined && Object.keys(job.alerts).length > 0) notes.add(`alert rules are not exported`);
  if (job.channels !== undefined && job.channels.length > 0) notes.add(`channels (${job.channels.join(", ")}) are not exported`);
  if (job.pingUrl !== undefined) notes.add(`the ping URL is not exported (add curl calls to the command)`);
  if (job.notify !== undefined && job.notify !== "never") notes.add(`desktop notifications (notify: ${job.notify}) are not exported`);
  if (job.catchUpGraceSeconds !== undefined) notes.add(`the catch-up grace (${formatDuration(job.catchUpGraceSeconds)}) is not exported`);
  const conditions = conditionsInWords(job.conditions, job.whenUnmet, job.waitUpToSeconds);
  if (conditions.length > 0) notes.add(`its conditions (${conditions.join(", ")}) are not exported: ${format} runs it whatever they say`);
}

/**
 * An export of files of each job's own (systemd units, launchd plists): a finished job is left
 * out and said; for the others `write` returns the files, with `notes` already holding what
 * every format leaves out (commonNotes) and `general` for what is said once for the jobs on a
 * default policy (notesFor).
 */
export function exportPerJob(
  jobs: readonly JobView[],
  format: ExportFormat,
  write: (job: JobView, slug: string, notes: JobNotes, general: Set<string>) => ExportedFile[],
): ExportResult {
  const slugs = uniqueSlugs(jobs);
  const files: ExportedFile[] = [];
  const notes: string[] = [];
  const general = new Set<string>();
  for (const job of jobs) {
    const jobNotes = new JobNotes(job);
    if (job.finished) {
      jobNotes.add("finished (its schedule has no runs left): left out");
    } else {
      commonNotes(job, jobNotes, format);
      files.push(...write(job, slugs.get(job.id)!, jobNotes, general));
    }
    notes.push(...jobNotes.reported());
  }
  return { files, notes: [...[...general].map((line) => `${DEFAULTS_LABEL}: ${line}`), ...notes] };
}

/** Why a trigger kind that no export format can start is left out. */
export function eventTriggerNote(spec: TriggerSpec): string | null {
  switch (spec.type) {
    case "wake":
      return "its wake trigger is not exported: runs after the computer wakes have no equivalent";
    case "after":
      return "its after trigger (a chain) is not exported: start it at the end of the parent's command instead";
    case "watch":
      return `its watch trigger (${spec.path}) is not exported`;
    default:
      return null;
  }
}

/** `backup photos` → `backup-photos`: letters, digits, `_`, `.` and `-` only (unit and label names). */
export function fileSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "")
    .toLowerCase();
  return slug === "" ? "job" : slug.slice(0, 100);
}

/** A slug per job, unique among them (`backup`, `backup-2`). */
export function uniqueSlugs(jobs: readonly JobView[]): Map<string, string> {
  const used = new Set<string>();
  const slugs = new Map<string, string>();
  for (const job of jobs) {
    const base = fileSlug(job.name);
    let slug = base;
    for (let suffix = 2; used.has(slug); suffix++) slug = `${base}-${suffix}`;
    used.add(slug);
    slugs.set(job.id, slug);
  }
  return slugs;
}

/**
 * An interval as a cron expression (in UTC, where the interval's grid lies), when cron can run
 * it on the same grid: a whole number of minutes dividing an hour, or of hours dividing a day,
 * with no start or end. `earlySeconds`: the anchor's seconds, which cron (whole minutes only)
 * runs early by. Otherwise null.
 */
export function intervalAsCron(spec: IntervalTriggerSpec): { expression: string; earlySeconds: number } | null {
  if (spec.start !== undefined || spec.end !== undefined || spec.anchor === undefined) return null;
  const anchor = new Date(spec.anchor);
  if (spec.everySeconds % 60 !== 0) return null;
  const earlySeconds = anchor.getUTCSeconds();
  const minutes = spec.everySeconds / 60;
  const grid = (start: number, step: number, size: number) => Array.from({ length: size / step }, (_, index) => start + index * step).join(",");
  if (minutes < 60) {
    if (60 % minutes !== 0) return null;
    const first = anchor.getUTCMinutes() % minutes;
    const expression = first === 0 ? (minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`) : `${grid(first, minutes, 60)} * * * *`;
    return { expression, earlySeconds };
  }
  if (minutes % 60 !== 0) return null;
  const hours = minutes / 60;
  if (hours > 24 || 24 % hours !== 0) return null;
  const first = anchor.getUTCHours() % hours;
  const hourField = hours === 24 ? String(anchor.getUTCHours()) : hours === 1 ? "*" : first === 0 ? `*/${hours}` : grid(first, hours, 24);
  return { expression: `${anchor.getUTCMinutes()} ${hourField} * * *`, earlySeconds };
}
