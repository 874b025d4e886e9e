/**
 * The job store on disk: `jobs.json` through lowdb, with our own adapter (jobs-file-adapter.ts:
 * lowdb's JSONFile writer replaces the file without fsync and resets its mode).
 *
 * A large store (jobs.json of `journalAboveBytes` or more) keeps changes that declare their
 * scope in `jobs.journal` instead (see jobs-journal.ts), and folds them into jobs.json later.
 *
 * A jobs.json that is a symbolic link is written through to its target (writeFileDurably).
 * `jobs.journal` and `jobs.json.validated` stay beside the link, in the home: they are this
 * engine's own bookkeeping (the journal names the hash of the jobs.json it builds on, the
 * stamp is a cache), the home is the folder checked to be private, and a sync folder then
 * only ever receives whole, folded jobs.json files.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { Low } from "lowdb";
import { StoreCorruptError, StoreWriteError } from "../../shared/errors.js";
import { describeFsError, ensurePrivateFolder, removeStaleTempFiles, writeFileDurably } from "./durable-file.js";
import { DurableJobsFileAdapter } from "./jobs-file-adapter.js";
import type { JobsFile, JobStore, UpdateScope } from "./job-store.js";
import { defaultJobsFile, JOBS_FILE_VERSION, serializeJobsFile } from "./jobs-file-format.js";
import { applyOps, batchLine, contentHash, JobsJournal, parseJournal, type JournalOp } from "./jobs-journal.js";

// Scheduler tests import the stand-in from here, beside the real store.
export { MemoryJobStore } from "./memory-job-store.js";

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

/**
 * The job store on disk. Changes apply in memory at once; writes are coalesced (one in
 * flight, everything changed meanwhile goes into the next), and each `update` resolves
 * when a write containing its change is durable.
 */
export class JsonJobStore implements JobStore {
  readonly #adapter: DurableJobsFileAdapter;
  readonly #low: Low<JobsFile>;
  readonly #journal: JobsJournal;
  readonly #journalAboveBytes: number;
  #loaded = false;
  /** Applied in memory, waiting for the next write. */
  #queued: QueuedUpdate[] = [];
  #writeLoop: Promise<void> | null = null;
  #writeCount = 0;
  /** Settings as last written (journal batches carry settings only when they changed). */
  #durableSettingsText = "";
  #foldRequested = false;

  /** `log` receives warnings: a loose file mode fixed, stale temp files removed, a failed write. */
  constructor(
    readonly file: string,
    private readonly log: (line: string) => void = () => {},
    options: JsonJobStoreOptions = {},
  ) {
    this.#adapter = new DurableJobsFileAdapter(file, log);
    this.#low = new Low(this.#adapter, defaultJobsFile());
    // Not hashed when written (it was small then): hash what is on disk, which only we write.
    this.#journal = new JobsJournal(file, async () => (this.#adapter.durableHash ??= contentHash(await fs.readFile(this.file))), log);
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
    return this.#journal.file;
  }

  async load(): Promise<JobsFile> {
    await this.flush();
    await this.#journal.reset();
    await ensurePrivateFolder(path.dirname(this.file));
    const stale = await removeStaleTempFiles(this.file);
    if (stale.length > 0) this.log(`removed ${stale.length} temp file(s) left by an interrupted write: ${stale.join(", ")}`);

    this.#adapter.durableText = null;
    await this.#low.read();
    const journalBytes = await this.#journal.read();
    if (this.#adapter.durableText === null) {
      if (journalBytes !== null) {
        throw new StoreCorruptError(this.#journal.file, `it holds changes to ${path.basename(this.file)}, which is missing`);
      }
      this.#low.data = defaultJobsFile();
      try {
        await this.#low.write();
      } catch (error) {
        throw new StoreWriteError(this.file, describeFsError(error));
      }
      this.#writeCount += 1;
    }
    const migratedFrom = this.#adapter.migratedFrom;
    // Before anything writes jobs.json: the file as the older version wrote it is kept, durably.
    if (migratedFrom !== null) await this.#keepOlderVersion(migratedFrom, this.#adapter.migratedBytes!);
    this.#durableSettingsText = JSON.stringify(this.#low.data.settings);
    if (journalBytes !== null) await this.#replayJournal(journalBytes);
    if (migratedFrom !== null) {
      try {
        await this.#writeWholeFile();
      } catch (error) {
        throw new StoreWriteError(this.file, describeFsError(error));
      }
      this.#writeCount += 1;
      this.log(`${this.file}: migrated from schema version ${migratedFrom} to ${JOBS_FILE_VERSION}; the original is kept as ${this.backupFileFor(migratedFrom)}`);
    }
    this.#loaded = true;
    return this.#low.data;
  }

  /** Where a jobs.json of schema `version` is kept when it is migrated: `jobs.json.v1.bak`. */
  backupFileFor(version: number): string {
    return `${this.file}.v${version}.bak`;
  }

  async #keepOlderVersion(version: number, bytes: Buffer): Promise<void> {
    const backup = this.backupFileFor(version);
    try {
      await writeFileDurably(backup, bytes);
    } catch (error) {
      throw new StoreWriteError(backup, describeFsError(error));
    }
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

  /**
   * Waits for pending writes, then lets go of the journal's file handle without folding it:
   * what stays on disk is what a crash would leave, and the next load() replays it. Call it
   * after `flush()` when the store is done with (a fold that failed keeps the journal open,
   * and a handle left to the garbage collector is closed with a warning). Loaded again with
   * load().
   */
  async close(): Promise<void> {
    while (this.#writeLoop) await this.#writeLoop;
    this.#loaded = false;
    await this.#journal.close();
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
        if (batch.length > 0) this.#rollBack(batch, error, viaJournal ? this.#journal.file : this.file);
        // A fold on its own changed nothing in memory: the journal simply stays.
        else this.log(`could not fold ${this.#journal.file} into ${this.file}: ${describeFsError(error)}; the changes stay in the journal`);
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

    await this.#journal.appendBatch(batchLine(ops));
    this.#durableSettingsText = settingsText;
    if (this.#journal.bytes > Math.max(FOLD_MIN_BYTES, this.#adapter.durableBytes * FOLD_RATIO)) this.#foldRequested = true;
  }

  /**
   * Writes the whole state to jobs.json. With a journal, the new file's hash goes into the
   * journal first, so that a crash between the rename and the journal's removal is
   * recognised at the next start (jobs.json then already holds every change).
   */
  async #writeWholeFile(): Promise<void> {
    const folding = this.#journal.isOpen;
    const prepared = this.#adapter.prepare(this.#low.data, folding ? 0 : this.#journalAboveBytes);
    const settingsText = JSON.stringify(this.#low.data.settings);
    if (folding) {
      // The state being written is the baseline while the fold marker is appended, too.
      this.#adapter.inFlightText = prepared.text;
      try {
        await this.#journal.appendFolded(prepared.hash!);
      } finally {
        this.#adapter.inFlightText = null;
      }
    }
    await this.#adapter.writePrepared(prepared);
    this.#durableSettingsText = settingsText;
    if (folding) await this.#journal.removeFolded();
  }

  /**
   * Applies a journal found at load and folds it. It must belong to the jobs.json on disk (its
   * base); a journal that was already folded (its fold line names this jobs.json) is dropped;
   * any other is refused, files untouched: it holds changes to a jobs.json that is not there.
   */
  async #replayJournal(bytes: Buffer): Promise<void> {
    const journal = parseJournal(bytes, this.#journal.file);
    if (journal.unstarted) {
      this.log(`${this.#journal.file}: removed a journal whose start was cut short (${bytes.length} bytes, no complete header) by an interrupted write; it held no confirmed change`);
      try {
        await this.#journal.removeUnstarted();
      } catch (error) {
        throw new StoreWriteError(this.#journal.file, describeFsError(error));
      }
      return;
    }
    const onDisk = this.#adapter.durableHash;
    if (onDisk && journal.base !== onDisk && journal.folded.has(onDisk)) {
      // Folded already (the engine stopped between writing jobs.json and removing this).
      this.#journal.adoptFolded();
      return;
    }
    if (journal.base !== onDisk) {
      throw new StoreCorruptError(
        this.#journal.file,
        `its changes belong to a different version of ${path.basename(this.file)} than the one there now (was it replaced or edited while Sundial was not running?)`,
      );
    }
    for (const ops of journal.batches) applyOps(this.#low.data, ops);
    this.#durableSettingsText = JSON.stringify(this.#low.data.settings);
    if (journal.tornBytes > 0) this.log(`${this.#journal.file}: dropped an incomplete last change (${journal.tornBytes} bytes) left by an interrupted write; it had not been confirmed`);
    this.log(`replayed ${journal.batches.length} change(s) from ${this.#journal.file}`);
    try {
      // The torn tail goes: the fold's marker and any later append must start on a fresh line.
      await this.#journal.resume(journal);
      await this.#writeWholeFile();
      this.#writeCount += 1;
    } catch (error) {
      // The engine can run on jobs.json plus the journal (appends go on); the next fold retries.
      this.log(`could not fold ${this.#journal.file} into ${this.file} at start: ${describeFsError(error)}; it stays in use`);
    }
  }

  // ---------------------------------------------------------------- rollback

  /** jobs.json as last written plus the journal's batches (and the one in flight, if asked). */
  #durableState(withInFlight: boolean): JobsFile {
    if (withInFlight && this.#adapter.inFlightText !== null) return JSON.parse(this.#adapter.inFlightText) as JobsFile;
    const data = JSON.parse(this.#adapter.durableText ?? serializeJobsFile(defaultJobsFile())) as JobsFile;
    const inFlightLine = this.#journal.inFlightLine;
    const lines = withInFlight && inFlightLine !== null ? [...this.#journal.lines, inFlightLine] : this.#journal.lines;
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
