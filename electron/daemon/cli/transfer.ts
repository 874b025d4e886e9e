/**
 * `export` / `import`: job definitions as a JSON file, for backups and moving machines.
 * Import is all or nothing: every job is validated before the first one is added, and if an
 * add still fails midway the ones already added are removed again.
 */
import fs from "node:fs";
import { validateTrigger } from "../../core/triggers/index.js";
import { JobInputSchema, toFieldIssues, type JobInput, type JobView } from "../../shared/schemas.js";
import { ValidationError } from "../../shared/errors.js";
import { printJson, println, type CliContext } from "./context.js";
import { CliInputError } from "./errors.js";

/** The file `sundial export` writes. */
export interface ExportFile {
  sundialExport: 1;
  exportedAt: string;
  jobs: JobInput[];
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
] as const satisfies readonly (keyof JobInput)[];

/** A job's definition without what the engine derives (id, next run, last run…). */
export function definitionOf(job: JobView): JobInput {
  const definition: Record<string, unknown> = {};
  for (const field of DEFINITION_FIELDS) if (job[field] !== undefined) definition[field] = job[field];
  return definition as unknown as JobInput;
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
  const client = context.client();
  const existing = new Set((await client.listJobs()).map((job) => job.name));
  const now = context.now();

  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const label = `job ${index + 1}${typeof (entry as { name?: unknown })?.name === "string" ? ` "${(entry as { name: string }).name}"` : ""}`;
    const parsed = JobInputSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of toFieldIssues(parsed.error)) problems.push(`${file}: ${label}: ${issue.field}: ${issue.message}`);
      return;
    }
    for (const issue of validateTrigger(parsed.data.trigger, now)) {
      const field = issue.field.startsWith("trigger") ? issue.field : `trigger.${issue.field}`;
      problems.push(`${file}: ${label}: ${field}: ${issue.message}`);
    }
    const name = parsed.data.name;
    if (existing.has(name)) problems.push(`${file}: ${label}: name: a job named "${name}" already exists`);
    else if (seen.has(name)) problems.push(`${file}: ${label}: name: "${name}" appears more than once in the file`);
    seen.add(name);
  });
  if (problems.length) throw new CliInputError([...problems, `Nothing was imported.`]);

  const added: JobView[] = [];
  for (const [index, entry] of entries.entries()) {
    try {
      added.push(await client.addJob(entry as JobInput));
    } catch (error) {
      // All or nothing: take back what this import already added.
      for (const job of added) await client.removeJob(job.id).catch(() => undefined);
      const label = `job ${index + 1} "${(entry as JobInput).name}"`;
      if (error instanceof ValidationError) {
        throw new CliInputError([...error.issues.map((issue) => `${file}: ${label}: ${issue.field}: ${issue.message}`), "Nothing was imported."]);
      }
      throw new Error(`${file}: ${label}: ${(error as Error).message}. Nothing was imported.`, { cause: error });
    }
  }
  if (options.json) return printJson(context.stdout, added);
  println(context.stdout, `Imported ${added.length} job${added.length === 1 ? "" : "s"} from ${file}`);
}

/** The jobs in an export file (or a bare array of job definitions). */
function readExportFile(file: string): unknown[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
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
