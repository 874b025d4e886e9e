/**
 * `jobs.journal`: changes appended durably beside a large jobs.json, so that adding or
 * editing one job costs one small append and fsync instead of rewriting the whole file
 * (10,000 jobs: a 5.8 MB rewrite and fsync per change). JsonJobStore folds it back into
 * jobs.json (a full, atomic rewrite) when it grows, at a clean stop and at the next start.
 *
 * One JSON object per line:
 *   {"journal":1,"base":"<sha256 of the jobs.json bytes the changes apply to>"}   first line
 *   {"ops":[{"upsert":Job} | {"remove":"j_…"} | {"settings":Settings}, …]}       one batch
 *   {"folded":"<sha256 of a jobs.json holding every batch above>"}              a fold began
 * A batch is one line: a crash mid-append tears only the last line, a batch that was never
 * acknowledged. Anything else that is wrong is reported like a corrupt jobs.json, and both
 * files are left as they are.
 *
 * Here: the format (parseJournal, the line builders, applyOps) and the file (JobsJournal).
 */
import crypto from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { StoreCorruptError } from "../../shared/errors.js";
import { JobSchema, SettingsSchema, type Job, type Settings } from "../../shared/schemas.js";
import { describeFsError, PRIVATE_FILE_MODE, readRegularFile, syncFolder } from "./durable-file.js";
import type { JobsFile } from "./job-store.js";
import { migrateJobV1 } from "./jobs-file-format.js";

/** The newest journal format this build reads and writes. */
export const JOURNAL_VERSION = 1;

/** One change: a job inserted or replaced (by id), a job removed, the settings replaced. */
export type JournalOp = { upsert: Job } | { remove: string } | { settings: Settings };

export interface ParsedJournal {
  /** Hash of the jobs.json the batches apply to. */
  base: string;
  batches: JournalOp[][];
  /** The batch lines as they are in the file (the store keeps them to rebuild its state). */
  batchLines: string[];
  /** Hashes of jobs.json files that a fold wrote (or began to write) with every batch in. */
  folded: Set<string>;
  /** Bytes up to the end of the last complete line. */
  completeBytes: number;
  /** Bytes of a torn last line (a crash mid-append), dropped. */
  tornBytes: number;
  /**
   * No complete first line: a crash came between creating the file and its header being
   * durable. No change can be in it (one is confirmed only once appended after the header).
   */
  unstarted: boolean;
}

/** The identity of a jobs.json: what a journal's `base` and `folded` lines name. */
export function contentHash(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

export function journalHeader(base: string): string {
  return `${JSON.stringify({ journal: JOURNAL_VERSION, base })}\n`;
}

export function batchLine(ops: JournalOp[]): string {
  return `${JSON.stringify({ ops })}\n`;
}

export function foldedLine(hash: string): string {
  return `${JSON.stringify({ folded: hash })}\n`;
}

/** Reads a journal strictly; throws StoreCorruptError naming `file`, the line and the problem. */
export function parseJournal(bytes: Uint8Array, file: string): ParsedJournal {
  const corrupt = (problem: string) => new StoreCorruptError(file, problem);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw corrupt("not valid UTF-8 text");
  }
  const end = text.lastIndexOf("\n") + 1;
  const complete = text.slice(0, end);
  const parsed: ParsedJournal = {
    base: "",
    batches: [],
    batchLines: [],
    folded: new Set(),
    completeBytes: Buffer.byteLength(complete),
    tornBytes: bytes.length - Buffer.byteLength(complete),
    unstarted: false,
  };
  const lines = complete.split("\n").slice(0, -1);
  if (lines.length === 0) return { ...parsed, unstarted: true };
  for (const [index, line] of lines.entries()) {
    const where = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw corrupt(`${where} is not valid JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw corrupt(`${where} is not an object`);
    const record = value as Record<string, unknown>;
    if (index === 0) {
      if (typeof record.journal === "number" && record.journal > JOURNAL_VERSION) {
        throw corrupt(`it was written by a newer Sundial (journal version ${record.journal}; this Sundial reads version ${JOURNAL_VERSION})`);
      }
      if (record.journal !== JOURNAL_VERSION || typeof record.base !== "string" || !/^[0-9a-f]{64}$/.test(record.base)) {
        throw corrupt(`${where} is not a journal header ({"journal":1,"base":…})`);
      }
      parsed.base = record.base;
    } else if (typeof record.folded === "string") {
      parsed.folded.add(record.folded);
    } else if (Array.isArray(record.ops)) {
      parsed.batches.push(record.ops.map((op: unknown, opIndex: number) => parseOp(op, `${where}, change ${opIndex + 1}`, corrupt)));
      parsed.batchLines.push(`${line}\n`);
    } else {
      throw corrupt(`${where} is neither a batch of changes nor a fold marker`);
    }
  }
  return parsed;
}

function parseOp(op: unknown, where: string, corrupt: (problem: string) => StoreCorruptError): JournalOp {
  if (typeof op !== "object" || op === null) throw corrupt(`${where} is not an object`);
  const record = op as Record<string, unknown>;
  if ("upsert" in record) {
    // A line a version 1 engine wrote holds one `trigger`: read as version 2, like jobs.json.
    const job = JobSchema.safeParse(migrateJobV1(record.upsert));
    if (!job.success) throw corrupt(`${where}: the job does not match the expected format (${job.error.issues[0]?.path.join(".") || "job"}: ${job.error.issues[0]?.message})`);
    return { upsert: job.data };
  }
  if ("remove" in record) {
    if (typeof record.remove !== "string" || record.remove.length === 0) throw corrupt(`${where}: "remove" must name a job id`);
    return { remove: record.remove };
  }
  if ("settings" in record) {
    const settings = SettingsSchema.safeParse(record.settings);
    if (!settings.success) throw corrupt(`${where}: the settings do not match the expected format`);
    return { settings: settings.data };
  }
  throw corrupt(`${where} is not an upsert, a remove or a settings change`);
}

/**
 * Applies a batch to `data` in place: an upsert replaces the job with its id where it stands
 * or appends it (as adding a job does), a remove drops it, settings are replaced.
 */
export function applyOps(data: JobsFile, ops: readonly JournalOp[]): void {
  for (const op of ops) {
    if ("upsert" in op) {
      const index = data.jobs.findIndex((job) => job.id === op.upsert.id);
      if (index >= 0) data.jobs[index] = op.upsert;
      else data.jobs.push(op.upsert);
    } else if ("remove" in op) {
      data.jobs = data.jobs.filter((job) => job.id !== op.remove);
    } else {
      data.settings = op.settings;
    }
  }
}

/** `…/jobs.json` → `…/jobs.journal` (any other name gets `.journal` added). */
export function journalPathFor(jobsFile: string): string {
  return jobsFile.endsWith(".json") ? `${jobsFile.slice(0, -".json".length)}.journal` : `${jobsFile}.journal`;
}

/**
 * The journal file beside jobs.json: its append handle, and what is durably in it. Every
 * append is fsynced; a failed one is cut back, so the file only ever holds whole lines.
 */
export class JobsJournal {
  readonly file: string;
  #handle: fs.FileHandle | null = null;
  /** Bytes of whole lines in the file (a failed append is cut back to this). */
  #bytes = 0;
  /** Batch lines in the file, oldest first: with jobs.json they make the durable state. */
  #lines: string[] = [];
  /** The batch line being appended, part of the baseline a throwing change rebuilds from. */
  #inFlightLine: string | null = null;
  /** A folded journal whose removal failed: the next journal replaces it. */
  #foldedLeft = false;

  /**
   * `base` gives the hash of the jobs.json on disk, which a new journal's header names;
   * `log` receives what goes wrong without failing anything (a folded journal left behind).
   */
  constructor(
    jobsFile: string,
    private readonly base: () => Promise<string>,
    private readonly log: (line: string) => void,
  ) {
    this.file = journalPathFor(jobsFile);
  }

  /** Batch lines durably in the file (none when there is no journal, or it was folded). */
  get lines(): readonly string[] {
    return this.#lines;
  }

  get inFlightLine(): string | null {
    return this.#inFlightLine;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Open for appends: a fold then appends its marker before jobs.json is replaced. */
  get isOpen(): boolean {
    return this.#handle !== null;
  }

  /** Appends one batch line (see batchLine) and fsyncs; creates the journal first when there is none. */
  async appendBatch(line: string): Promise<void> {
    this.#inFlightLine = line;
    try {
      await this.#append(line);
    } finally {
      this.#inFlightLine = null;
    }
    this.#lines.push(line);
  }

  /** Says a fold began writing the jobs.json with this hash (every batch above is in it). */
  async appendFolded(hash: string): Promise<void> {
    await this.#append(foldedLine(hash));
  }

  /** Appends `text` and fsyncs; creates the journal (with its header) first when there is none. */
  async #append(text: string): Promise<void> {
    let handle = this.#handle;
    if (!handle) {
      const base = await this.base();
      if (this.#foldedLeft) await fs.rm(this.file, { force: true });
      // "ax": appends always land at the end (also after a truncate), and a journal is only
      // started once the previous one was folded and removed: never reuse one by accident.
      handle = await fs.open(this.file, "ax", PRIVATE_FILE_MODE);
      this.#foldedLeft = false;
      this.#handle = handle;
      this.#bytes = 0;
      this.#lines = [];
      try {
        const header = journalHeader(base);
        await handle.appendFile(header);
        await handle.datasync();
        await syncFolder(path.dirname(this.file));
        this.#bytes = Buffer.byteLength(header);
      } catch (error) {
        await this.close();
        await fs.rm(this.file, { force: true }).catch(() => {});
        throw error;
      }
    }
    try {
      await handle.appendFile(text);
      await handle.datasync();
      this.#bytes += Buffer.byteLength(text);
    } catch (error) {
      // Cut a partial line off, or the next append would glue onto it.
      await handle.truncate(this.#bytes).catch(() => {});
      throw error;
    }
  }

  /** A journal found at load whose start a crash cut short (`unstarted`): it goes, it holds nothing. */
  async removeUnstarted(): Promise<void> {
    await this.close();
    this.#forget();
    await fs.rm(this.file, { force: true });
    await syncFolder(path.dirname(this.file));
  }

  /** After a fold: the journal's changes are all in jobs.json, and its last line says so. */
  async removeFolded(): Promise<void> {
    await this.close();
    this.#forget();
    try {
      await fs.rm(this.file, { force: true });
      await syncFolder(path.dirname(this.file));
      this.#foldedLeft = false;
    } catch (error) {
      // Harmless: the next start recognises it as folded. A new journal replaces it.
      this.#foldedLeft = true;
      this.log(`could not remove ${this.file} after folding it: ${describeFsError(error)}`);
    }
  }

  /** Lets go of the append handle; what is in the file stays (the next load replays it). */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close().catch(() => {});
  }

  /** Closes the file and forgets what it held (before a load reads it again). */
  async reset(): Promise<void> {
    await this.close();
    this.#forget();
  }

  /** The journal's bytes, or null when there is none; refuses anything but a regular file. */
  async read(): Promise<Buffer | null> {
    try {
      return await readRegularFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new StoreCorruptError(this.file, `it cannot be read: ${describeFsError(error)}`);
    }
  }

  /** The journal found at load was folded already: it is replaced by the next one. */
  adoptFolded(): void {
    this.#foldedLeft = true;
    this.#forget();
  }

  /**
   * Takes on the journal found at load (`parsed` from its bytes) and opens it for appends;
   * a torn last line is cut off, so the next line starts fresh. Throws when it cannot be
   * opened; its batches still count then.
   */
  async resume(parsed: ParsedJournal): Promise<void> {
    this.#bytes = parsed.completeBytes;
    this.#lines = parsed.batchLines;
    this.#handle = await fs.open(this.file, "a");
    if (parsed.tornBytes > 0) await this.#handle.truncate(parsed.completeBytes);
  }

  #forget(): void {
    this.#handle = null;
    this.#bytes = 0;
    this.#lines = [];
  }
}
