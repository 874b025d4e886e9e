/**
 * `jobs.json` through lowdb, with our own adapter: lowdb's JSONFile writer replaces the file
 * without fsync and resets its mode, and JSONFilePreset silently keeps data in memory under
 * NODE_ENV=test. The adapter validates on read and writes through `writeFileDurably`.
 */
import { constants as fsConstants, promises as fs } from "node:fs";
import path from "node:path";
import { Low, type Adapter } from "lowdb";
import { StoreCorruptError, StoreWriteError } from "../../shared/errors.js";
import { describeFsError, ensurePrivateFolder, PRIVATE_FILE_MODE, removeStaleTempFiles, writeFileDurably } from "./durable-file.js";
import type { JobsFile, JobStore } from "./job-store.js";
import { defaultJobsFile, parseJobsFile, serializeJobsFile } from "./jobs-file-format.js";

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
      const data = parseJobsFile(bytes, this.file);
      await this.#tightenMode(handle, stat.mode);
      // The parsed form (zod defaults filled in) is what memory holds, so it is the rollback point.
      this.durableText = serializeJobsFile(data);
      return data;
    } finally {
      await handle.close();
    }
  }

  /** Serialises synchronously (the batch is fixed at the call), then writes durably. */
  async write(data: JobsFile): Promise<void> {
    const text = serializeJobsFile(data);
    this.inFlightText = text;
    try {
      await writeFileDurably(this.file, text);
      this.durableText = text;
    } finally {
      this.inFlightText = null;
    }
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

interface QueuedUpdate {
  change: (data: JobsFile) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The job store on disk. Changes apply in memory at once; writes are coalesced (one in
 * flight, everything changed meanwhile goes into the next), and each `update` resolves
 * when a write containing its change is durable.
 */
export class JsonJobStore implements JobStore {
  readonly #adapter: DurableJobsFileAdapter;
  readonly #low: Low<JobsFile>;
  #loaded = false;
  /** Applied in memory, waiting for the next write. */
  #queued: QueuedUpdate[] = [];
  #writeLoop: Promise<void> | null = null;
  #writeCount = 0;

  /** `log` receives warnings: a loose file mode fixed, stale temp files removed, a failed write. */
  constructor(
    readonly file: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.#adapter = new DurableJobsFileAdapter(file, log);
    this.#low = new Low(this.#adapter, defaultJobsFile());
  }

  get data(): JobsFile {
    if (!this.#loaded) throw new Error("JsonJobStore: call load() before reading data");
    return this.#low.data;
  }

  /** Durable writes so far (diagnostics; shows how well updates coalesce). */
  get writeCount(): number {
    return this.#writeCount;
  }

  async load(): Promise<JobsFile> {
    await this.flush();
    await ensurePrivateFolder(path.dirname(this.file));
    const stale = await removeStaleTempFiles(this.file);
    if (stale.length > 0) this.log(`removed ${stale.length} temp file(s) left by an interrupted write: ${stale.join(", ")}`);

    this.#adapter.durableText = null;
    await this.#low.read();
    if (this.#adapter.durableText === null) {
      this.#low.data = defaultJobsFile();
      try {
        await this.#low.write();
      } catch (error) {
        throw new StoreWriteError(this.file, describeFsError(error));
      }
      this.#writeCount += 1;
    }
    this.#loaded = true;
    return this.#low.data;
  }

  update(change: (data: JobsFile) => void): Promise<void> {
    const data = this.data;
    try {
      change(data);
    } catch (error) {
      this.#restoreAfterThrowingChange();
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.#queued.push({ change, resolve, reject });
      this.#writeLoop ??= this.#runWriteLoop();
    });
  }

  async flush(): Promise<void> {
    while (this.#writeLoop) await this.#writeLoop;
  }

  async #runWriteLoop(): Promise<void> {
    // Yield once so that updates made in the same tick share the first write.
    await Promise.resolve();
    while (this.#queued.length > 0) {
      const batch = this.#queued;
      this.#queued = [];
      try {
        await this.#low.write();
        this.#writeCount += 1;
        for (const update of batch) update.resolve();
      } catch (error) {
        this.#rollBack(batch, error);
      }
    }
    this.#writeLoop = null;
  }

  /**
   * Memory goes back to what is on disk. Changes queued behind the failed batch were made on
   * top of it (an edit of a job the batch added, say), so they are rejected too rather than
   * replayed onto a state their author never saw.
   */
  #rollBack(batch: QueuedUpdate[], cause: unknown): void {
    const failure = new StoreWriteError(this.file, describeFsError(cause));
    const abandoned = [...batch, ...this.#queued];
    this.#queued = [];
    this.#low.data = JSON.parse(this.#adapter.durableText ?? serializeJobsFile(defaultJobsFile())) as JobsFile;
    this.log(`${failure.message} ${abandoned.length} change(s) were not saved.`);
    for (const update of abandoned) update.reject(failure);
  }

  /**
   * A change that throws may have half-modified the data. Rebuild memory from the last
   * serialised state (in flight or durable) and re-apply the changes still queued, which
   * are independent of the one that threw. Rare path; costs one JSON.parse.
   */
  #restoreAfterThrowingChange(): void {
    const baseline = this.#adapter.inFlightText ?? this.#adapter.durableText;
    if (baseline === null) return;
    // A queued change that throws on replay is rejected and the rebuild starts over without it.
    for (;;) {
      this.#low.data = JSON.parse(baseline) as JobsFile;
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
