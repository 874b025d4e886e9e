/**
 * Coming from cron and moving to a server (issue 17): `import --from-crontab [FILE]` (the
 * engine plans and imports; this reads the file or `crontab -l` and shows the plan) and
 * `export --to crontab|systemd|launchd [DIR]` (the engine's jobs through the pure exporters in
 * `electron/core/interop/`, written to a folder all at once).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CliInputError, ValidationError } from "../../shared/errors.js";
import { crontabPlanIsImportable, type CrontabImportRequest, type CrontabPlan } from "../../shared/crontab.js";
import { systemTimeZone } from "../../shared/civil-time.js";
import { exportCrontab } from "../../core/interop/crontab-export.js";
import { exportLaunchd } from "../../core/interop/launchd-export.js";
import { exportSystemd } from "../../core/interop/systemd-export.js";
import { EXPORT_FORMATS, type ExportFormat, type ExportResult } from "../../core/interop/export-notes.js";
import type { JobView } from "../../shared/schemas.js";
import { printJson, println, type CliContext } from "./context.js";
import { renderTable } from "./format.js";
import { describeJobSchedule } from "./schedule.js";

export interface ImportCrontabOptions {
  dryRun?: boolean;
  /** commander's `--no-rename`: false when given. */
  rename?: boolean;
  skipUnsupported?: boolean;
  json?: boolean;
}

/** `sundial import --from-crontab [FILE]`: the plan, then (unless `--dry-run`) the import. Exit 2 when it would be refused. */
export async function importCrontabCommand(context: CliContext, file: string | undefined, options: ImportCrontabOptions): Promise<number> {
  const { text, source } = readCrontab(file);
  const request: CrontabImportRequest = { text, rename: options.rename !== false, skipUnsupported: options.skipUnsupported === true };
  const client = context.client();
  const plan = await client.planCrontabImport(request);
  const importable = crontabPlanIsImportable(plan, request.skipUnsupported!);
  if (options.dryRun) {
    if (options.json) printJson(context.stdout, plan);
    else printPlan(context, plan, source);
    if (!importable) for (const line of refusalWords(plan, request.skipUnsupported!)) println(context.stderr, line);
    return importable ? 0 : 2;
  }
  if (!importable) throw new CliInputError([...refusalLines(plan, request.skipUnsupported!), "Nothing was imported."]);
  let added: JobView[];
  try {
    added = await client.importCrontab(request);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new CliInputError([...error.issues.map((issue) => `${source}: ${issue.field}: ${issue.message}`), "Nothing was imported."]);
  }
  if (options.json) printJson(context.stdout, added);
  else {
    printPlan(context, plan, source);
    println(context.stdout, `Imported ${added.length} job${added.length === 1 ? "" : "s"} from ${source}`);
  }
  return 0;
}

/** The crontab's text: FILE, `-` (stdin), or the user's `crontab -l`. Must be UTF-8. */
function readCrontab(file: string | undefined): { text: string; source: string } {
  let bytes: Buffer;
  let source: string;
  if (file === undefined) {
    source = "crontab -l";
    try {
      bytes = execFileSync("crontab", ["-l"], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 4 * 1024 * 1024 });
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
      const why = failure.code === "ENOENT" ? "the crontab command is not installed" : (failure.stderr?.toString("utf8").trim() || failure.message).split("\n")[0];
      throw new CliInputError([`FILE: cannot read your crontab with crontab -l (${why}); give a file instead: sundial import --from-crontab FILE`]);
    }
  } else {
    source = file === "-" ? "stdin" : file;
    try {
      bytes = fs.readFileSync(file === "-" ? 0 : file);
    } catch (error) {
      throw new CliInputError([`FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
    }
  }
  return { text: utf8Text(bytes, source), source };
}

/** The bytes as text, or a CliInputError naming the first line that is not UTF-8. */
function utf8Text(bytes: Buffer, source: string): string {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
      try {
        decoder.decode(slice);
      } catch {
        throw new CliInputError([`FILE: ${source} is not UTF-8 text (line ${line}); convert it first, e.g. iconv -f latin1 -t utf-8`]);
      }
      if (end < 0) throw new CliInputError([`FILE: ${source} is not UTF-8 text`]);
      start = end + 1;
    }
  }
}

function refusalLines(plan: CrontabPlan, skipUnsupported: boolean): string[] {
  const lines = plan.clashes.map((clash) => `${clash} (--no-rename was given)`);
  if (!skipUnsupported) {
    lines.push(...plan.unsupported.map((line) => `line ${line.line}: ${line.reason}: ${line.text}`));
    if (plan.unsupported.length > 0) lines.push("(--skip-unsupported imports the other lines and leaves these out)");
  }
  if (plan.jobs.length === 0 && lines.length === 0) lines.push("FILE: the crontab has no job lines");
  return lines;
}

function refusalWords(plan: CrontabPlan, skipUnsupported: boolean): string[] {
  return ["The import would be refused:", ...refusalLines(plan, skipUnsupported).map((line) => `  ${line}`)];
}

/** The plan as a table (LINE, NAME, SCHEDULE, COMMAND, NOTES), then what is left out and why. */
function printPlan(context: CliContext, plan: CrontabPlan, source: string): void {
  println(context.stdout, `Plan for ${source}: ${plan.jobs.length} job${plan.jobs.length === 1 ? "" : "s"}`);
  const rows = plan.jobs.map((entry) => [
    entry.lines.join(","),
    entry.renamedFrom !== undefined ? `${entry.name} (was ${entry.renamedFrom})` : entry.name,
    describeJobSchedule(entry.triggers),
    entry.command,
    entry.notes.join("; "),
  ]);
  println(context.stdout, renderTable(["LINE", "NAME", "SCHEDULE", "COMMAND", "NOTES"], rows), "lines");
  for (const line of plan.unsupported) println(context.stdout, `not taken: line ${line.line}: ${line.reason}: ${line.text}`);
  for (const note of plan.notes) println(context.stdout, `note: ${note}`);
}

export interface ExportToOptions {
  force?: boolean;
}

/** `sundial export --to FORMAT [DIR]`; what does not translate is reported on stderr. */
export async function exportToCommand(context: CliContext, format: string, dir: string | undefined, options: ExportToOptions): Promise<void> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliInputError([`--to: must be one of ${EXPORT_FORMATS.join(", ")}, got "${format}"`]);
  if (dir === undefined && format !== "crontab") throw new CliInputError([`DIR: --to ${format} writes one file per job: give a folder to write them to`]);
  if (dir !== undefined) checkTarget(dir, options.force === true);
  const jobs = await context.client().listJobs();
  const result = exportJobs(format as ExportFormat, jobs, context.now());
  for (const note of result.notes) println(context.stderr, `not exported: ${note}`);
  if (dir === undefined) {
    context.stdout.write(result.files[0]!.content);
    return;
  }
  writeFolder(dir, result, options.force === true);
  println(context.stderr, `Wrote ${result.files.length} file${result.files.length === 1 ? "" : "s"} for ${jobs.length} job${jobs.length === 1 ? "" : "s"} to ${dir}`);
}

function exportJobs(format: ExportFormat, jobs: readonly JobView[], now: Date): ExportResult {
  switch (format) {
    case "crontab":
      return exportCrontab(jobs, { now });
    case "systemd":
      return exportSystemd(jobs, { now });
    case "launchd":
      return exportLaunchd(jobs, { now, systemZone: systemTimeZone() });
    default: {
      const unhandled: never = format;
      throw new Error(`unhandled export format ${String(unhandled)}`);
    }
  }
}

/** A folder that exists must be empty, unless `--force`; a file in its place is refused. */
function checkTarget(dir: string, force: boolean): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR") throw new CliInputError([`DIR: ${dir} is a file, not a folder`]);
    throw new CliInputError([`DIR: cannot read ${dir} (${code ?? (error as Error).message})`]);
  }
  if (entries.length > 0 && !force) throw new CliInputError([`DIR: ${dir} exists and is not empty (${entries.length} entr${entries.length === 1 ? "y" : "ies"}); give a new folder, or --force to write into it`]);
}

/**
 * Every file is written into a temporary folder beside DIR first; then the folder is renamed
 * to DIR (a new or empty DIR), or, with `--force` into a folder that has files, each file is
 * renamed into it (replacing files of the same name, keeping the others).
 */
function writeFolder(dir: string, result: ExportResult, force: boolean): void {
  const target = path.resolve(dir);
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.sundial-export-`));
  try {
    // Job environments may hold secrets: the files are private, as the store is.
    for (const file of result.files) fs.writeFileSync(path.join(staging, file.name), file.content, { mode: 0o600 });
    const existing = fs.existsSync(target) ? fs.readdirSync(target) : null;
    if (existing === null || existing.length === 0) {
      if (existing !== null) fs.rmdirSync(target);
      fs.renameSync(staging, target);
      return;
    }
    if (!force) throw new CliInputError([`DIR: ${dir} exists and is not empty`]);
    for (const file of result.files) fs.renameSync(path.join(staging, file.name), path.join(target, file.name));
    fs.rmdirSync(staging);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
