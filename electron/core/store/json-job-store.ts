/**
 * `jobs.json` through lowdb, with our own adapter: lowdb's JSONFile writer replaces the file
 * without fsync and resets its mode, and JSONFilePreset silently keeps data in memory under
 * NODE_ENV=test. The adapter validates on read and writes through `writeFileDurably`.
 *
 * A large store (jobs.json of `journalAboveBytes` or more) keeps changes that declare their
 * scope in `jobs.journal` instead (see jobs-journal.ts), and folds them into jobs.json later.
 */
import { constants as fsConstants, promises as fs } from "node:fs";
import path from "node:path";
import { Low, type Adapter } from "lowdb";
import { StoreCorruptError, StoreWriteError } from "../../shared/errors.js";
import { describeFsError, ensurePrivateFolder, PRIVATE_FILE_MODE, readRegularFile, removeStaleTempFiles, syncFolder, writeFileDurably } from "./durable-file.js";
import type { JobsFile, JobStore, UpdateScope } from "./job-store.js";
import { decodeJobsFile, defaultJobsFile, schemaFingerprint, serializeJobsFile } from "./jobs-file-format.js";
import { applyOps, batchLine, contentHash, foldedLine, journalHeader, journalPathFor, parseJournal, type JournalOp } from "./jobs-journal.js";

// Scheduler tests import the stand-in from here, beside the real store.
export { MemoryJobStore } from "./memory-job-store.js";

/**
 * lowdb adapter for jobs.json. `read` returns null when the file does not exist and throws
 * StoreCorruptError (touching nothing) when it cannot be used; `write` replaces it durably.
 * It remembers the text of the last durable write so the store can roll back to it.
 */
export class DurableJobsFileAdapter implements Adapter<JobsFile> {
  /** Serialised content that is on disk, or null before a read found a file or a write landed. */
  durableText: string | null = null;
  /** Serialised content of the write in progress. */
  inFlightText: string | null = null;
  /** Size and hash of the bytes on disk (what a journal names as its base). */
  durableBytes = 0;
  durableHash: string | null = null;

  constructor(
    readonly file: string,
    private readonly log: (line: string) => void,
  ) {}

  async read(): Promise<JobsFile | null> {
    const corrupt = (problem: string) => new StoreCorruptError(this.file, problem);
    let handle: fs.FileHandle;
    try {
      // O_NONBLOCK: opening a FIFO left at this path would otherwise wait for a writer for ever
      // (the engine would hang before it could report anything). Regular files ignore the flag.
      handle = await fs.open(this.file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw corrupt(`it cannot be read: ${describeFsError(error)}`);
      // A dangling symlink (say, into a sync folder that is not mounted) is not a fresh home:
      // starting empty would silently replace the link and drop every job.
      const target = await fs.readlink(this.file).catch(() => null);
      if (target !== null) throw corrupt(`it is a symbolic link to ${target}, which does not exist`);
      return null;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw corrupt(stat.isDirectory() ? "it is a folder, not a file" : "it is not a regular file");
      let bytes: Buffer;
      try {
        bytes = await handle.readFile();
      } catch (error) {
        throw corrupt(`it cannot be read: ${describeFsError(error)}`);
      }
      const hash = contentHash(bytes);
      const checked = await this.#stampVouchesFor(hash);
      const { data, text } = decodeJobsFile(bytes, this.file, { schemaChecked: checked });
      await this.#tightenMode(handle, stat.mode);
      // The parsed form (zod defaults filled in) is what memory holds, so it is the rollback
      // point; bytes that were vouched for are that form already.
      this.durableText = checked ? text : serializeJobsFile(data);
      this.durableBytes = bytes.length;
      this.durableHash = hash;
      // A file that is exactly what we would write (not hand-edited) need not be checked again.
      if (!checked && this.durableText === text) await this.#writeStamp(hash);
      return data;
    } finally {
      await handle.close();
    }
  }

  /** Serialises synchronously (the batch is fixed at the call), then writes durably. */
  async write(data: JobsFile): Promise<void> {
    await this.writePrepared(this.prepare(data, Infinity));
  }

  /**
   * The bytes a write of `data` puts on disk, and their hash when `hashFromBytes` is reached
   * (a journal names the jobs.json it starts from, a fold the one it writes; hashing 5.8 MB
   * takes ~6 ms, so small files, which never get a journal, skip it).
   */
  prepare(data: JobsFile, hashFromBytes = 0): PreparedWrite {
    const text = serializeJobsFile(data);
    const bytes = Buffer.from(text, "utf8");
    return { text, bytes, hash: bytes.length >= hashFromBytes ? contentHash(bytes) : null };
  }

  async writePrepared(prepared: PreparedWrite): Promise<void> {
    this.inFlightText = prepared.text;
    try {
      await writeFileDurably(this.file, prepared.bytes);
      this.durableText = prepared.text;
      this.durableBytes = prepared.bytes.length;
      this.durableHash = prepared.hash;
    } finally {
      this.inFlightText = null;
    }
    // Small files are not hashed for journals; their stamp costs next to nothing.
    await this.#writeStamp(prepared.hash ?? contentHash(prepared.bytes));
  }

  /**
   * `jobs.json.validated` says "the jobs.json with this hash passed the schema with this
   * fingerprint": the engine writes only data that passed it, so the next start may skip
   * checking 10,000 jobs again (about a fifth of a second). Anything else (a hand-edited
   * jobs.json, another schema, a missing or damaged stamp) means a full check. It needs no
   * fsync: losing it only costs that check.
   */
  async #stampVouchesFor(hash: string): Promise<boolean> {
    const schema = schemaFingerprint();
    if (schema === null) return false;
    try {
      const stamp = JSON.parse(await fs.readFile(this.stampFile, "utf8")) as { sha256?: unknown; schema?: unknown };
      return stamp.sha256 === hash && stamp.schema === schema;
    } catch {
      return false;
    }
  }

  async #writeStamp(hash: string): Promise<void> {
    const schema = schemaFingerprint();
    if (schema === null) return;
    await fs.writeFile(this.stampFile, `${JSON.stringify({ sha256: hash, schema })}\n`, { mode: PRIVATE_FILE_MODE }).catch(() => {
      // Only a cache: the next start checks the file in full.
    });
  }

  get stampFile(): string {
    return `${this.file}.validated`;
  }

  /** Group/other access to a file full of commands and env values is fixed, not just reported. */
  async #tightenMode(handle: fs.FileHandle, mode: number): Promise<void> {
    if (process.platform === "win32" || (mode & 0o077) === 0) return;
    const was = (mode & 0o777).toString(8).padStart(3, "0");
    try {
      await handle.chmod(PRIVATE_FILE_MODE);
      this.log(`warning: ${this.file} was readable by other users (mode ${was}); changed it to 600`);
    } catch (error) {
      this.log(`warning: ${this.file} is readable by other users (mode ${was}) and could not be changed: ${describeFsError(error)}`);
    }
  }
}

export interface PreparedWrite {
  text: string;
  bytes: Buffer;
  hash: string | null;
}

interface QueuedUpdate {
  change: (data: JobsFile) => void;
  scope: UpdateScope | undefined;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface JsonJobStoreOptions {
  /**
   * From this size of jobs.json on, scoped changes go to jobs.journal rather than rewriting
   * jobs.json. Below it a rewrite costs about as much as an append, and keeps jobs.json the
   * whole truth at every moment.
   */
  journalAboveBytes?: number;
}

/** 256 KB: about 400 typical jobs. */
const DEFAULT_JOURNAL_ABOVE_BYTES = 256 * 1024;
/** Fold once the journal holds this share of jobs.json's size (at least FOLD_MIN_BYTES). */
const FOLD_RATIO = 0.25;
const FOLD_MIN_BYTES = 64 * 1024;

/** The journal's state: what is durably in it, and the open append handle. */
interface JournalState {
  handle: fs.FileHandle | null;
  /** Bytes of whole lines in the file (a failed append is cut back to this). */
  bytes: number;
  /** Batch lines in the file, oldest first: with jobs.json they make the durable state. */
  lines: string[];
}

/**
 * The job store on disk. Changes apply in memory at once; writes are coalesced (one in
 * flight, everything changed meanwhile goes into the next), and each `update` resolves
 * when a write containing its change is durable.
 */
export class JsonJobStore implements JobStore {
  readonly #adapter: DurableJobsFileAdapter;
  readonly #low: Low<JobsFile>;
  readonly #journalFile: string;
  readonly #journalAboveBytes: number;
  #loaded = false;
  /** Applied in memory, waiting for the next write. */
  #queued: QueuedUpdate[] = [];
  #writeLoop: Promise<void> | null = null;
  #writeCount = 0;
  #journal: JournalState = { handle: null, bytes: 0, lines: [] };
  /** The journal line being appended, part of the baseline a throwing change rebuilds from. */
  #inFlightLine: string | null = null;
  /** Settings as last written (journal batches carry settings only when they changed). */
  #durableSettingsText = "";
  #foldRequested = false;
  /** A folded journal whose removal failed: the next journal replaces it. */
  #foldedJournalLeft = false;

  /** `log` receives warnings: a loose file mode fixed, stale temp files removed, a failed write. */
  constructor(
    readonly file: string,
    private readonly log: (line: string) => void = () => {},
    options: JsonJobStoreOptions = {},
  ) {
    this.#adapter = new DurableJobsFileAdapter(file, log);
    this.#low = new Low(this.#adapter, defaultJobsFile());
    this.#journalFile = journalPathFor(file);
    this.#journalAboveBytes = options.journalAboveBytes ?? DEFAULT_JOURNAL_ABOVE_BYTES;
  }

  get data(): JobsFile {
    if (!this.#loaded) throw new Error("JsonJobStore: call load() before reading data");
    return this.#low.data;
  }

  /** Durable writes so far, journal appends included (diagnostics; shows how well updates coalesce). */
  get writeCount(): number {
    return this.#writeCount;
  }

  /** The journal beside jobs.json (it exists only while it holds changes not yet folded). */
  get journalFile(): string {
    return this.#journalFile;
  }

  async load(): Promise<JobsFile> {
    await this.flush();
    await this.#closeJournal();
    this.#journal = { handle: null, bytes: 0, lines: [] };
    await ensurePrivateFolder(path.dirname(this.file));
    const stale = await removeStaleTempFiles(this.file);
    if (stale.length > 0) this.log(`removed ${stale.length} temp file(s) left by an interrupted write: ${stale.join(", ")}`);

    this.#adapter.durableText = null;
    await this.#low.read();
    const journalBytes = await this.#readJournal();
    if (this.#adapter.durableText === null) {
      if (journalBytes !== null) {
        throw new StoreCorruptError(this.#journalFile, `it holds changes to ${path.basename(this.file)}, which is missing`);
      }
      this.#low.data = defaultJobsFile();
      try {
        await this.#low.write();
      } catch (error) {
        throw new StoreWriteError(this.file, describeFsError(error));
      }
      this.#writeCount += 1;
    }
    this.#durableSettingsText = JSON.stringify(this.#low.data.settings);
    if (journalBytes !== null) await this.#replayJournal(journalBytes);
    this.#loaded = true;
    return this.#low.data;
  }

  /**
   * `scope` lists the jobs `change` adds, replaces or removes (settings are always compared):
   * a large store then appends just those to its journal. Without a scope the whole file is
   * written, so a change that edits jobs in place must leave it out.
   */
  update(change: (data: JobsFile) => void, scope?: UpdateScope): Promise<void> {
    const data = this.data;
    try {
      change(data);
    } catch (error) {
      this.#restoreAfterThrowingChange();
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.#queued.push({ change, scope, resolve, reject });
      this.#writeLoop ??= this.#runWriteLoop();
    });
  }

  /** Waits for pending writes, and folds a journal into jobs.json (a clean stop leaves none). */
  async flush(): Promise<void> {
    if (this.#loaded && this.#journal.lines.length > 0) {
      this.#foldRequested = true;
      this.#writeLoop ??= this.#runWriteLoop();
    }
    while (this.#writeLoop) await this.#writeLoop;
  }

  async #runWriteLoop(): Promise<void> {
    // Yield once so that updates made in the same tick share the first write.
    await Promise.resolve();
    while (this.#queued.length > 0 || this.#foldRequested) {
      const batch = this.#queued;
      this.#queued = [];
      const viaJournal = batch.length > 0 && !this.#foldRequested && batch.every((update) => update.scope) && this.#usesJournal();
      try {
        if (viaJournal) {
          await this.#appendBatch(batch);
        } else {
          this.#foldRequested = false;
          await this.#writeWholeFile();
        }
        this.#writeCount += 1;
        for (const update of batch) update.resolve();
      } catch (error) {
        if (batch.length > 0) this.#rollBack(batch, error, viaJournal ? this.#journalFile : this.file);
        // A fold on its own changed nothing in memory: the journal simply stays.
        else this.log(`could not fold ${this.#journalFile} into ${this.file}: ${describeFsError(error)}; the changes stay in the journal`);
      }
    }
    this.#writeLoop = null;
  }

  #usesJournal(): boolean {
    return this.#journal.lines.length > 0 || this.#adapter.durableBytes >= this.#journalAboveBytes;
  }

  // ---------------------------------------------------------------- journal

  /** Appends the jobs the batch touched (as they are now) and changed settings, as one line. */
  async #appendBatch(batch: QueuedUpdate[]): Promise<void> {
    const data = this.#low.data;
    const ops: JournalOp[] = [];
    const touched = new Set(batch.flatMap((update) => update.scope!.jobIds));
    if (touched.size > 0) {
      const byId = new Map<string, JobsFile["jobs"][number]>();
      for (const job of data.jobs) if (touched.has(job.id)) byId.set(job.id, job);
      for (const id of touched) {
        const job = byId.get(id);
        ops.push(job ? { upsert: job } : { remove: id });
      }
    }
    const settingsText = JSON.stringify(data.settings);
    if (settingsText !== this.#durableSettingsText) ops.push({ settings: data.settings });
    if (ops.length === 0) return;

    const line = batchLine(ops);
    this.#inFlightLine = line;
    try {
      await this.#appendToJournal(line);
    } finally {
      this.#inFlightLine = null;
    }
    this.#journal.lines.push(line);
    this.#durableSettingsText = settingsText;
    if (this.#journal.bytes > Math.max(FOLD_MIN_BYTES, this.#adapter.durableBytes * FOLD_RATIO)) this.#foldRequested = true;
  }

  /** Appends `text` and fsyncs; creates the journal (with its header) first when there is none. */
  async #appendToJournal(text: string): Promise<void> {
    let handle = this.#journal.handle;
    if (!handle) {
      // Not hashed when written (it was small then): hash what is on disk, which only we write.
      this.#adapter.durableHash ??= contentHash(await fs.readFile(this.file));
      if (this.#foldedJournalLeft) await fs.rm(this.#journalFile, { force: true });
      // "ax": appends always land at the end (also after a truncate), and a journal is only
      // started once the previous one was folded and removed: never reuse one by accident.
      handle = await fs.open(this.#journalFile, "ax", PRIVATE_FILE_MODE);
      this.#foldedJournalLeft = false;
      this.#journal = { handle, bytes: 0, lines: [] };
      try {
        const header = journalHeader(this.#adapter.durableHash);
        await handle.appendFile(header);
        await handle.datasync();
        await syncFolder(path.dirname(this.#journalFile));
        this.#journal.bytes = Buffer.byteLength(header);
      } catch (error) {
        await this.#closeJournal();
        await fs.rm(this.#journalFile, { force: true }).catch(() => {});
        throw error;
      }
    }
    try {
      await handle.appendFile(text);
      await handle.datasync();
      this.#journal.bytes += Buffer.byteLength(text);
    } catch (error) {
      // Cut a partial line off, or the next append would glue onto it.
      await handle.truncate(this.#journal.bytes).catch(() => {});
      throw error;
    }
  }

  /**
   * Writes the whole state to jobs.json. With a journal, the new file's hash goes into the
   * journal first, so that a crash between the rename and the journal's removal is
   * recognised at the next start (jobs.json then already holds every change).
   */
  async #writeWholeFile(): Promise<void> {
    const folding = this.#journal.handle !== null;
    const prepared = this.#adapter.prepare(this.#low.data, folding ? 0 : this.#journalAboveBytes);
    const settingsText = JSON.stringify(this.#low.data.settings);
    if (folding) {
      // The state being written is the baseline while the fold marker is appended, too.
      this.#adapter.inFlightText = prepared.text;
      try {
        await this.#appendToJournal(foldedLine(prepared.hash!));
      } finally {
        this.#adapter.inFlightText = null;
      }
    }
    await this.#adapter.writePrepared(prepared);
    this.#durableSettingsText = settingsText;
    if (folding) await this.#removeFoldedJournal();
  }

  /** After a fold: the journal's changes are all in jobs.json, and its last line says so. */
  async #removeFoldedJournal(): Promise<void> {
    await this.#closeJournal();
    this.#journal = { handle: null, bytes: 0, lines: [] };
    try {
      await fs.rm(this.#journalFile, { force: true });
      await syncFolder(path.dirname(this.#journalFile));
      this.#foldedJournalLeft = false;
    } catch (error) {
      // Harmless: the next start recognises it as folded. A new journal replaces it.
      this.#foldedJournalLeft = true;
      this.log(`could not remove ${this.#journalFile} after folding it: ${describeFsError(error)}`);
    }
  }

  async #closeJournal(): Promise<void> {
    const handle = this.#journal.handle;
    this.#journal.handle = null;
    await handle?.close().catch(() => {});
  }

  /** The journal's bytes, or null when there is none; refuses anything but a regular file. */
  async #readJournal(): Promise<Buffer | null> {
    try {
      return await readRegularFile(this.#journalFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new StoreCorruptError(this.#journalFile, `it cannot be read: ${describeFsError(error)}`);
    }
  }

  /**
   * Applies a journal found at load and folds it. It must belong to the jobs.json on disk (its
   * base); a journal that was already folded (its fold line names this jobs.json) is dropped;
   * any other is refused, files untouched: it holds changes to a jobs.json that is not there.
   */
  async #replayJournal(bytes: Buffer): Promise<void> {
    const journal = parseJournal(bytes, this.#journalFile);
    const onDisk = this.#adapter.durableHash;
    if (onDisk && journal.base !== onDisk && journal.folded.has(onDisk)) {
      // Folded already (the engine stopped between writing jobs.json and removing this).
      this.#foldedJournalLeft = true;
      this.#journal = { handle: null, bytes: 0, lines: [] };
      return;
    }
    if (journal.base !== onDisk) {
      throw new StoreCorruptError(
        this.#journalFile,
        `its changes belong to a different version of ${path.basename(this.file)} than the one there now (was it replaced or edited while Sundial was not running?)`,
      );
    }
    for (const ops of journal.batches) applyOps(this.#low.data, ops);
    this.#durableSettingsText = JSON.stringify(this.#low.data.settings);
    if (journal.tornBytes > 0) this.log(`${this.#journalFile}: dropped an incomplete last change (${journal.tornBytes} bytes) left by an interrupted write; it had not been confirmed`);
    this.log(`replayed ${journal.batches.length} change(s) from ${this.#journalFile}`);
    this.#journal = { handle: null, bytes: journal.completeBytes, lines: journal.batchLines };
    try {
      this.#journal.handle = await fs.open(this.#journalFile, "a");
      // The torn tail goes: the fold's marker and any later append must start on a fresh line.
      if (journal.tornBytes > 0) await this.#journal.handle.truncate(journal.completeBytes);
      await this.#writeWholeFile();
      this.#writeCount += 1;
    } catch (error) {
      // The engine can run on jobs.json plus the journal (appends go on); the next fold retries.
      this.log(`could not fold ${this.#journalFile} into ${this.file} at start: ${describeFsError(error)}; it stays in use`);
    }
  }

  // ---------------------------------------------------------------- rollback

  /** jobs.json as last written plus the journal's batches (and the one in flight, if asked). */
  #durableState(withInFlight: boolean): JobsFile {
    if (withInFlight && this.#adapter.inFlightText !== null) return JSON.parse(this.#adapter.inFlightText) as JobsFile;
    const data = JSON.parse(this.#adapter.durableText ?? serializeJobsFile(defaultJobsFile())) as JobsFile;
    const lines = withInFlight && this.#inFlightLine !== null ? [...this.#journal.lines, this.#inFlightLine] : this.#journal.lines;
    for (const line of lines) applyOps(data, (JSON.parse(line) as { ops: JournalOp[] }).ops);
    return data;
  }

  /**
   * Memory goes back to what is on disk. Changes queued behind the failed batch were made on
   * top of it (an edit of a job the batch added, say), so they are rejected too rather than
   * replayed onto a state their author never saw.
   */
  #rollBack(batch: QueuedUpdate[], cause: unknown, file: string): void {
    const failure = new StoreWriteError(file, describeFsError(cause));
    const abandoned = [...batch, ...this.#queued];
    this.#queued = [];
    this.#low.data = this.#durableState(false);
    this.log(`${failure.message} ${abandoned.length} change(s) were not saved.`);
    for (const update of abandoned) update.reject(failure);
  }

  /**
   * A change that throws may have half-modified the data. Rebuild memory from the last
   * serialised state (in flight or durable) and re-apply the changes still queued, which
   * are independent of the one that threw. Rare path; costs one JSON.parse.
   */
  #restoreAfterThrowingChange(): void {
    if (this.#adapter.inFlightText === null && this.#adapter.durableText === null) return;
    // A queued change that throws on replay is rejected and the rebuild starts over without it.
    for (;;) {
      this.#low.data = this.#durableState(true);
      const failing = this.#queued.findIndex((update) => {
        try {
          update.change(this.#low.data);
          return false;
        } catch (error) {
          update.reject(error as Error);
          return true;
        }
      });
      if (failing < 0) return;
      this.#queued.splice(failing, 1);
    }
  }
}
