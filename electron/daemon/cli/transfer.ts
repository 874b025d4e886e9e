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
import { describeSchedule } from "./schedule.js";

/** The file `sundial export` writes. */
export interface ExportFile {
  sundialExport: 1;
  exportedAt: string;
  jobs: ImportedJob[];
}

const DEFINITION_FIELDS = [
  "name",
  "trigger",
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
] as const satisfies readonly (keyof JobInput)[];

/**
 * A job's definition and its state (`paused`, `finished`), without what the engine derives
 * or assigns (id, next run, last run…).
 */
export function definitionOf(job: JobView): ImportedJob {
  const definition: Record<string, unknown> = {};
  for (const field of DEFINITION_FIELDS) if (job[field] !== undefined) definition[field] = job[field];
  definition.finished = job.finished;
  return definition as unknown as ImportedJob;
}

export async function exportCommand(context: CliContext, file: string | undefined): Promise<void> {
  const jobs = await context.client().listJobs();
  const document: ExportFile = { sundialExport: 1, exportedAt: context.now().toISOString(), jobs: jobs.map(definitionOf) };
  if (file === undefined || file === "-") return printJson(context.stdout, document);
  // Job environments may hold secrets: the file is private like the store itself.
  fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  println(context.stderr, `Exported ${jobs.length} job${jobs.length === 1 ? "" : "s"} to ${file}`);
}

export async function importCommand(context: CliContext, file: string, options: { json?: boolean }): Promise<void> {
  const entries = readExportFile(file);
  let added: JobView[];
  try {
    // One call: the engine validates every job first and stores all of them in one write.
    added = await context.client().importJobs(entries as ImportedJob[]);
  } catch (error) {
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
  added.forEach((job, index) => {
    if (job.finished && (entries[index] as { finished?: unknown }).finished !== true) {
      println(context.stderr, `note: job ${index + 1} "${job.name}" (${describeSchedule(job.trigger)}) has no runs left; imported as finished (edit its schedule to run it again)`);
    }
  });
  if (options.json) return printJson(context.stdout, added);
  println(context.stdout, `Imported ${added.length} job${added.length === 1 ? "" : "s"} from ${file}`);
}

/** The jobs in an export file (or a bare array of job definitions). */
function readExportFile(file: string): unknown[] {
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
  const jobs = Array.isArray(document) ? document : (document as { jobs?: unknown } | null)?.jobs;
  if (!Array.isArray(jobs)) throw new CliInputError([`FILE: ${file} has no "jobs" array (expected the output of sundial export)`]);
  return jobs;
}
