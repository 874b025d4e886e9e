/**
 * `export` / `import`: job definitions and their state (paused, finished) as a JSON file, for
 * backups and moving machines. Import is all or nothing: the engine validates every job
 * before adding any, then stores them all in one durable write. A job whose schedule has
 * nothing left to run imports finished (exports older than `finished` import too).
 */
import fs from "node:fs";
import type { ImportedJob, JobInput, JobView } from "../../shared/schemas.js";
import { CliInputError, ValidationError } from "../../shared/errors.js";
import { MAX_IMPORT_BODY_BYTES } from "../api-server.js";
import { printJson, println, type CliContext } from "./context.js";
import { describeJobSchedule, jobNamesById } from "./schedule.js";
import type { ChannelInput, ChannelView } from "../../shared/channels.js";
import { withMaskedSecrets } from "../../shared/secrets.js";

/** The file `sundial export` writes. */
export interface ExportFile {
  /** 2 since jobs hold `triggers` (a list); version 1 files (one `trigger` per job) still import. */
  sundialExport: typeof EXPORT_FORMAT_VERSION;
  exportedAt: string;
  jobs: ImportedJob[];
  /** The channels added (not the desktop); their URLs and commands masked unless `--include-secrets`. */
  channels?: ChannelInput[];
}

/** The export format this Sundial writes; it reads this one and every earlier one. */
export const EXPORT_FORMAT_VERSION = 2;

const DEFINITION_FIELDS = [
  "name",
  "triggers",
  "command",
  "shell",
  "cwd",
  "env",
  "timeoutSeconds",
  "overlap",
  "catchUp",
  "catchUpGraceSeconds",
  "retries",
  "notify",
  "paused",
  "alerts",
  "channels",
  "pingUrl",
  "tags",
  "conditions",
  "whenUnmet",
  "waitUpToSeconds",
] as const satisfies readonly (keyof JobInput)[];

/**
 * A job's definition and its state (`paused`, `finished`), without what the engine derives
 * or assigns (id, next run, last run…).
 */
export function definitionOf(job: JobView, jobName: (id: string) => string | undefined = () => undefined): ImportedJob {
  const definition: Record<string, unknown> = {};
  for (const field of DEFINITION_FIELDS) if (job[field] !== undefined) definition[field] = job[field];
  // An `after` names its parent by name in the file: ids are this home's, names travel.
  definition.triggers = job.triggers.map((trigger) => (trigger.type === "after" ? { ...trigger, job: jobName(trigger.job) ?? trigger.job } : trigger));
  definition.finished = job.finished;
  return definition as unknown as ImportedJob;
}

/** A channel as `addChannel` takes it back (the view's target is masked unless secrets were asked for). */
export function channelInputOf(channel: ChannelView): ChannelInput | null {
  const common = { name: channel.name, events: channel.events, ...(channel.timeoutSeconds !== null ? { timeoutSeconds: channel.timeoutSeconds } : {}) };
  if (channel.type === "webhook") return { ...common, type: "webhook", url: channel.target!, preset: channel.preset ?? "generic" };
  if (channel.type === "command") return { ...common, type: "command", command: channel.target! };
  return null;
}

/** Ping URLs, webhook URLs and channel commands may hold tokens: masked unless `includeSecrets`. */
export async function exportCommand(context: CliContext, file: string | undefined, options: { includeSecrets?: boolean } = {}): Promise<void> {
  const includeSecrets = options.includeSecrets === true;
  const client = context.client();
  const [jobs, channels] = await Promise.all([client.listJobs(), client.listChannels({ includeSecrets })]);
  const names = jobNamesById(jobs);
  const document: ExportFile = {
    sundialExport: EXPORT_FORMAT_VERSION,
    exportedAt: context.now().toISOString(),
    jobs: jobs.map((job) => definitionOf(job, names)).map((definition) => (includeSecrets ? definition : withMaskedSecrets(definition))),
    channels: channels.map(channelInputOf).filter((channel) => channel !== null),
  };
  if (file === undefined || file === "-") return printJson(context.stdout, document);
  // Job environments may hold secrets: the file is private like the store itself.
  fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  println(context.stderr, `Exported ${jobs.length} job${jobs.length === 1 ? "" : "s"} to ${file}`);
}

export async function importCommand(context: CliContext, file: string, options: { json?: boolean }): Promise<void> {
  const { jobs: entries, channels } = readExportFile(file);
  const client = context.client();
  // The file's channels that this home lacks come first (its jobs may name them); taken away
  // again if the jobs are refused, so a refused import changes nothing.
  const addedChannels = await addMissingChannels(context, file, channels);
  let added: JobView[];
  try {
    // One call: the engine validates every job first and stores all of them in one write.
    added = await client.importJobs(entries as ImportedJob[]);
  } catch (error) {
    for (const name of addedChannels) await client.removeChannel(name).catch(() => undefined);
    if (!(error instanceof ValidationError)) throw error;
    const problems = error.issues.map((issue) => {
      const match = /^jobs\[(\d+)\](?:\.(.*))?$/.exec(issue.field);
      if (!match) return `${file}: ${issue.field}: ${issue.message}`;
      const index = Number(match[1]);
      const name = (entries[index] as { name?: unknown } | null | undefined)?.name;
      return `${file}: job ${index + 1}${typeof name === "string" ? ` "${name}"` : ""}: ${match[2] !== undefined ? `${match[2]}: ` : ""}${issue.message}`;
    });
    throw new CliInputError([...problems, "Nothing was imported."]);
  }
  // Finished here though the file did not say so: an older export, or its time passed since.
  const names = jobNamesById(added);
  added.forEach((job, index) => {
    if (job.finished && (entries[index] as { finished?: unknown }).finished !== true) {
      println(context.stderr, `note: job ${index + 1} "${job.name}" (${describeJobSchedule(job.triggers, names)}) has no runs left; imported as finished (edit its schedule to run it again)`);
    }
  });
  if (options.json) return printJson(context.stdout, added);
  const channelNote = addedChannels.length > 0 ? ` and ${addedChannels.length} channel${addedChannels.length === 1 ? "" : "s"}` : "";
  println(context.stdout, `Imported ${added.length} job${added.length === 1 ? "" : "s"}${channelNote} from ${file}`);
}

/** Adds the file's channels this home does not have (one with the same name is kept as it is); their names. */
async function addMissingChannels(context: CliContext, file: string, channels: unknown[]): Promise<string[]> {
  if (channels.length === 0) return [];
  const client = context.client();
  const existing = new Set((await client.listChannels()).map((channel) => channel.name));
  const added: string[] = [];
  for (const [index, channel] of channels.entries()) {
    const name = (channel as { name?: unknown } | null)?.name;
    if (typeof name === "string" && existing.has(name)) continue;
    try {
      await client.addChannel(channel as ChannelInput);
      added.push(name as string);
    } catch (error) {
      for (const done of added) await client.removeChannel(done).catch(() => undefined);
      if (!(error instanceof ValidationError)) throw error;
      const label = `${file}: channel ${index + 1}${typeof name === "string" ? ` "${name}"` : ""}`;
      throw new CliInputError([...error.issues.map((issue) => `${label}: ${issue.field}: ${issue.message}`), "Nothing was imported."]);
    }
  }
  return added;
}

/** The jobs (and channels) in an export file, or a bare array of job definitions. */
function readExportFile(file: string): { jobs: unknown[]; channels: unknown[] } {
  let text: string;
  try {
    // One import is one request: a file the engine would refuse is refused here, before reading it.
    if (fs.statSync(file).size > MAX_IMPORT_BODY_BYTES) {
      throw new CliInputError([`FILE: ${file} is larger than ${MAX_IMPORT_BODY_BYTES / 1024 / 1024} MiB, the most one import takes; split its "jobs" into several files`]);
    }
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof CliInputError) throw error;
    throw new CliInputError([`FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CliInputError([`FILE: ${file} is not valid JSON (${(error as Error).message})`]);
  }
  const version = Array.isArray(document) ? undefined : (document as { sundialExport?: unknown } | null)?.sundialExport;
  if (typeof version === "number" && version > EXPORT_FORMAT_VERSION) {
    throw new CliInputError([`FILE: ${file} was written by a newer Sundial (export format ${version}; this Sundial reads formats 1 to ${EXPORT_FORMAT_VERSION})`]);
  }
  const jobs = Array.isArray(document) ? document : (document as { jobs?: unknown } | null)?.jobs;
  if (!Array.isArray(jobs)) throw new CliInputError([`FILE: ${file} has no "jobs" array (expected the output of sundial export)`]);
  const channels = Array.isArray(document) ? [] : (document as { channels?: unknown }).channels;
  if (channels !== undefined && !Array.isArray(channels)) throw new CliInputError([`FILE: ${file}: "channels" must be an array (as sundial export writes it)`]);
  return { jobs, channels: channels ?? [] };
}
