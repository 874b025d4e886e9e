/**
 * Reading `jobs.json`: bytes → validated JobsFile, or a StoreCorruptError that says exactly
 * what is wrong and where, so a user who hand-edited the file can fix it.
 */
import { readFileSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import crypto from "node:crypto";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { StoreCorruptError } from "../../shared/errors.js";
import { JobSchema, SettingsSchema, toFieldIssues } from "../../shared/schemas.js";
import type { JobsFile } from "./job-store.js";

/**
 * The newest `version` of jobs.json this build reads and writes. Version 2 (issue 15): a job
 * holds `triggers`, a list, where version 1 held one `trigger`. A version 1 file is migrated
 * when read (`migrateJobsFile`), and the store keeps the original as `jobs.json.v1.bak`.
 */
export const JOBS_FILE_VERSION = 2;

/** How many schema problems a StoreCorruptError lists before "and N more". */
const MAX_REPORTED_ISSUES = 3;

const JobsFileSchema = z.object({
  version: z.literal(JOBS_FILE_VERSION),
  settings: SettingsSchema,
  jobs: z.array(JobSchema),
});

/** A fresh store: default settings, no jobs. */
export function defaultJobsFile(): JobsFile {
  return { version: JOBS_FILE_VERSION, settings: SettingsSchema.parse({}), jobs: [] };
}

/**
 * Compact on purpose: 10,000 jobs serialise in a few milliseconds less and the file is
 * about a third smaller than indented (figures in the store's tests and report).
 */
export function serializeJobsFile(data: JobsFile): string {
  return JSON.stringify(data);
}

export interface ParseOptions {
  /**
   * The bytes are known to have passed this very schema (see `schemaFingerprint`): skip the
   * per-job schema check, which is most of the cost of loading 10,000 jobs. Everything else
   * (UTF-8, JSON, top-level shape, version, unique ids) is still checked.
   */
  schemaChecked?: boolean;
}

/** Validates the bytes of jobs.json; throws StoreCorruptError naming `file` and the problem. */
export function parseJobsFile(bytes: Uint8Array, file: string, options: ParseOptions = {}): JobsFile {
  return decodeJobsFile(bytes, file, options).data;
}

/**
 * A job as schema version 1 stored it (one `trigger`) → version 2 (`triggers: [trigger]`).
 * Anything else is returned as it is, for the schema to judge. Also used for journal lines
 * written by a version 1 engine.
 */
export function migrateJobV1(job: unknown): unknown {
  if (typeof job !== "object" || job === null || Array.isArray(job) || !Object.hasOwn(job, "trigger") || Object.hasOwn(job, "triggers")) return job;
  const { trigger, ...rest } = job as Record<string, unknown>;
  return { ...rest, triggers: [trigger] };
}

/** parseJobsFile, also returning the decoded text (what the bytes say, before any defaults). */
export function decodeJobsFile(bytes: Uint8Array, file: string, options: ParseOptions = {}): { data: JobsFile; text: string; migratedFrom: number | null } {
  const corrupt = (problem: string) => new StoreCorruptError(file, problem);
  if (bytes.length === 0) throw corrupt("the file is empty");

  // Checked first: a file with broken bytes must not be "repaired" into U+FFFD and saved back.
  if (!isUtf8(bytes)) throw corrupt("not valid UTF-8 text");
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM left by a Windows editor
  if (text.trim().length === 0) throw corrupt("the file is empty (only white space)");

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(`not valid JSON (${describeJsonError(text, (error as Error).message)})`);
  }

  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw corrupt(`the top level is ${describeKind(value)}, not an object with version, settings and jobs`);
  }
  const version = (value as { version?: unknown }).version;
  if (typeof version === "number" && version > JOBS_FILE_VERSION) {
    throw corrupt(`it was written by a newer Sundial (file version ${version}; this Sundial reads version ${JOBS_FILE_VERSION})`);
  }

  let migratedFrom: number | null = null;
  if (version === 1) {
    const jobs = (value as { jobs?: unknown }).jobs;
    value = { ...value, version: JOBS_FILE_VERSION, ...(Array.isArray(jobs) ? { jobs: jobs.map(migrateJobV1) } : {}) };
    migratedFrom = 1;
  }

  let data: JobsFile;
  if (options.schemaChecked && version === JOBS_FILE_VERSION && Array.isArray((value as { jobs?: unknown }).jobs)) {
    data = value as JobsFile;
  } else {
    const result = JobsFileSchema.safeParse(value);
    if (!result.success) throw corrupt(describeIssues(result.error));
    data = result.data;
  }
  const duplicate = findDuplicateId(data.jobs);
  if (duplicate) throw corrupt(`it does not match the expected format: ${duplicate}`);
  return { data, text, migratedFrom };
}

let fingerprint: string | null | undefined;

/**
 * Identifies the schema jobs.json is checked against: a hash of the module that defines it
 * (electron/shared/schemas, compiled or not). A file stamped as checked under another
 * fingerprint, after any change to the schemas, is checked again. Null when the module
 * cannot be read: then nothing is ever taken as checked.
 */
export function schemaFingerprint(): string | null {
  if (fingerprint !== undefined) return fingerprint;
  fingerprint = null;
  // From electron/core/store/ (sources, or dist/electron/ as tsc wrote it), or from the
  // bundled `sundial` in dist/cli/, which hashes the same compiled module, so the daemon and
  // the Electron app agree on what was checked.
  for (const relative of ["../../shared/schemas.js", "../../shared/schemas.ts", "../electron/shared/schemas.js"]) {
    try {
      const source = readFileSync(fileURLToPath(new URL(relative, import.meta.url)));
      fingerprint = crypto.createHash("sha256").update(`${JOBS_FILE_VERSION}\n`).update(source).digest("hex");
      break;
    } catch {
      // Try the next form (sources under a test runner, compiled files in dist/ and the app).
    }
  }
  return fingerprint;
}

function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function describeIssues(error: z.ZodError): string {
  const messages = toFieldIssues(error).map((issue) => issue.message);
  const lines = error.issues.map((issue, index) => `${formatPath(issue.path)}: ${messages[index] ?? issue.message}`);
  const shown = lines.slice(0, MAX_REPORTED_ISSUES).join("; ");
  const more = lines.length > MAX_REPORTED_ISSUES ? ` (and ${lines.length - MAX_REPORTED_ISSUES} more)` : "";
  return `it does not match the expected format: ${shown}${more}`;
}

/** `["jobs", 3, "trigger", "expression"]` → `jobs[3].trigger.expression`. */
function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || "(top level)";
}

function findDuplicateId(jobs: readonly { id: string }[]): string | null {
  const seen = new Map<string, number>();
  for (const [index, job] of jobs.entries()) {
    const first = seen.get(job.id);
    if (first !== undefined) return `jobs[${index}].id: "${job.id}" is also the id of jobs[${first}]`;
    seen.set(job.id, index);
  }
  return null;
}

// ---------------------------------------------------------------- JSON error location

/**
 * V8's message with a position and line/column. V8 leaves out the position for an
 * unexpected token and quotes a snippet of the file instead (which may hold secrets from
 * `env`), so the snippet is dropped and the position found by our own scan.
 */
function describeJsonError(text: string, message: string): string {
  const base = message.replace(/, (?:\.\.\.)?".*is not valid JSON$/s, "").replace(/ in JSON at position \d+.*$/s, "");
  const stated = /at position (\d+)/.exec(message);
  const offset = stated ? Number(stated[1]) : /end of JSON input/.test(message) ? text.length : findJsonErrorOffset(text);
  if (offset === null) return base;
  const { line, column } = lineAndColumn(text, offset);
  return `${base} at position ${offset}, line ${line} column ${column}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonStop {
  constructor(readonly offset: number) {}
}

/** Offset of the first JSON syntax error in `text` (text.length when it ends too early). */
export function findJsonErrorOffset(text: string): number | null {
  let index = 0;
  const fail = (): never => {
    throw new JsonStop(index);
  };
  const skipSpace = () => {
    while (index < text.length && " \t\n\r".includes(text[index] as string)) index += 1;
  };
  const expectWord = (word: string) => {
    for (const char of word) {
      if (text[index] !== char) fail();
      index += 1;
    }
  };
  const readString = () => {
    index += 1; // opening quote
    for (;;) {
      if (index >= text.length) fail();
      const code = text.charCodeAt(index);
      if (code === 0x22) {
        index += 1;
        return;
      }
      if (code < 0x20) fail();
      if (code === 0x5c) {
        index += 1;
        const escape = text[index];
        if (escape === "u") {
          for (let digit = 0; digit < 4; digit += 1) {
            index += 1;
            if (!/[0-9a-fA-F]/.test(text[index] ?? "")) fail();
          }
        } else if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail();
      }
      index += 1;
    }
  };
  const readNumber = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (!match || match[0] === "-") fail();
    index += (match as RegExpExecArray)[0].length;
  };
  const readValue = (depth: number): void => {
    if (depth > 2000) throw new JsonStop(-1);
    skipSpace();
    const char = text[index];
    if (char === "{" || char === "[") {
      const close = char === "{" ? "}" : "]";
      index += 1;
      skipSpace();
      if (text[index] === close) {
        index += 1;
        return;
      }
      for (;;) {
        if (close === "}") {
          skipSpace();
          if (text[index] !== '"') fail();
          readString();
          skipSpace();
          if (text[index] !== ":") fail();
          index += 1;
        }
        readValue(depth + 1);
        skipSpace();
        if (text[index] === ",") {
          index += 1;
          continue;
        }
        if (text[index] === close) {
          index += 1;
          return;
        }
        fail();
      }
    }
    if (char === '"') return readString();
    if (char === "t") return expectWord("true");
    if (char === "f") return expectWord("false");
    if (char === "n") return expectWord("null");
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) return readNumber();
    fail();
  };
  try {
    readValue(0);
    skipSpace();
    if (index < text.length) fail();
    return null;
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.offset < 0 ? null : Math.min(stop.offset, text.length);
    throw stop;
  }
}
