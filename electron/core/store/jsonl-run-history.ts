/**
 * Run history in `history.jsonl`: append-only, one whole record per line, fsynced. A crash
 * can only tear the last line, which the next open trims. Compaction (retention, a removed
 * job, or a file mostly made of superseded lines) rewrites the file atomically.
 *
 * The index in memory is the source of truth while the engine runs: `record` updates it at
 * once and resolves when the line is durable. Finished runs are not kept whole in memory: the
 * index knows where each one's newest line is and reads it back when asked (a few hundred
 * bytes, from the page cache). A failed append rejects but the run stays whole in memory, so
 * the next compaction writes it.
 */
import { closeSync, fstatSync, openSync, promises as fs, read, readSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { StoreCorruptError, StoreWriteError } from "../../shared/errors.js";
import type { Run } from "../../shared/schemas.js";
import { describeFsError, ensurePrivateFolder, openRegularFile, PRIVATE_FILE_MODE, removeStaleTempFiles, syncFolder, writeFileDurably } from "./durable-file.js";
import { parseRunLine, replayHistoryFile, type ReplayResult, runLine, slotLine } from "./history-file-format.js";
import { IndexedRunHistory } from "./indexed-run-history.js";
import { tracePoint } from "../trace.js";
import type { RetentionPolicy, RunHistory } from "./run-history.js";
import type { RecordPlace } from "./run-index.js";

// Scheduler tests import the stand-in from here, beside the real history.
export { MemoryRunHistory } from "./memory-run-history.js";

export { INTERRUPTED_ERROR } from "./run-index.js";

/** Compact at open when the file holds more than this many lines per live record. */
const COMPACT_RATIO = 2;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A line waiting to be appended; a run's line tells the index where the run is once written. */
interface PendingLine {
  text: string;
  row?: number;
  rev?: number;
}

export class JsonlRunHistory extends IndexedRunHistory implements RunHistory {
  /** Problems found by `open` (damaged lines skipped, a torn tail trimmed). */
  readonly warnings: string[] = [];
  #handle: fs.FileHandle | null = null;
  #state: "new" | "open" | "closed" = "new";
  /** Bytes of whole records in the file: a failed append is cut back to this. */
  #durableBytes = 0;
  /** Lines in the file (superseded ones too). */
  #fileRecords = 0;
  #pending: PendingLine[] = [];
  /** Read side of the file, for runs not held in memory; opened on first use, closed when the file is replaced. */
  #readFd: number | null = null;
  #pendingWaiters: Waiter[] = [];
  #compactWaiters: Waiter[] = [];
  #pump: Promise<void> | null = null;

  /** `log` receives the warnings too, as they are found. */
  constructor(
    readonly file: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    super();
  }

  async open(_now: Date): Promise<Run[]> {
    if (this.#state !== "new") throw new Error("JsonlRunHistory: open() may be called once");
    await ensurePrivateFolder(path.dirname(this.file));
    await removeStaleTempFiles(this.file);

    const replay = await this.#replay();
    for (const warning of replay.warnings) this.#warn(warning);
    const existed = replay.fileBytes !== null;
    // Trim the torn tail now: the next append must start on a fresh line.
    if (replay.fileBytes !== null && replay.completeBytes < replay.fileBytes) await fs.truncate(this.file, replay.completeBytes);

    this.#handle = await fs.open(this.file, "a", PRIVATE_FILE_MODE);
    try {
      if (!existed) await syncFolder(path.dirname(this.file));
      await this.#tightenMode();
    } catch (error) {
      // Never opened: close() would not close it, and a handle left to the garbage collector warns.
      await this.#handle.close().catch(() => {});
      this.#handle = null;
      throw error;
    }
    this.#durableBytes = replay.completeBytes;
    this.#fileRecords = replay.records;
    const interrupted = this.load(replay.slots);
    this.#state = "open";

    if (this.#mostlySuperseded()) {
      await this.#requestCompaction(); // includes the interrupted updates: they are in memory
    } else if (interrupted.length > 0) {
      await this.#append(interrupted.map((run) => this.#runToWrite(run)));
    }
    return interrupted;
  }

  /** Replays the file into the index (`load` finishes it); `fileBytes` is null when there is no file yet. */
  async #replay(): Promise<ReplayResult & { fileBytes: number | null }> {
    const handle = await openRegularFile(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      // Damaged lines are survivable; a file we cannot read at all is not, and must not be replaced.
      throw new StoreCorruptError(this.file, `it cannot be read: ${describeFsError(error)}`);
    });
    this.index.startLoad();
    if (!handle) return { slots: new Map(), records: 0, completeBytes: 0, skippedLines: 0, warnings: [], fileBytes: null };
    try {
      const replay = await replayHistoryFile(handle, path.basename(this.file), (run, place) => this.index.loadRecord(run, place));
      return { ...replay, fileBytes: (await handle.stat()).size };
    } catch (error) {
      if (error instanceof StoreCorruptError) throw error;
      throw new StoreCorruptError(this.file, `it cannot be read: ${describeFsError(error)}`);
    } finally {
      await handle.close();
    }
  }

  /** Reads a finished run back from its line (the index holds where it is). */
  protected override readStored(runId: string, place: RecordPlace): Run {
    let text: string;
    try {
      const fd = (this.#readFd ??= openSync(this.file, "r"));
      const bytes = Buffer.allocUnsafe(place.length);
      try {
        text = bytes.toString("utf8", 0, readSync(fd, bytes, 0, place.length, place.offset));
      } finally {
        if (this.#state === "closed") this.#closeReader(); // a query answered while stopping keeps no descriptor
      }
    } catch (error) {
      throw new StoreCorruptError(this.file, `run ${runId} could not be read back: ${describeFsError(error)}`);
    }
    const run = parseRunLine(text);
    if (run?.id !== runId) throw new StoreCorruptError(this.file, `run ${runId} is no longer where it was written (was the file changed by another program?)`);
    return run;
  }

  async record(run: Run): Promise<void> {
    this.#assertOpen();
    await this.#append([this.#runToWrite({ ...run })]);
  }

  async markScheduled(jobId: string, slot: Date): Promise<void> {
    this.#assertOpen();
    if (!this.index.markScheduled(jobId, slot.getTime())) return;
    await this.#append([{ text: slotLine(jobId, slot.getTime()) }]);
  }

  async prune(policy: RetentionPolicy, now: Date): Promise<string[]> {
    this.#assertOpen();
    const removed = this.index.prune(policy, now);
    if (removed.length > 0 || this.#mostlySuperseded()) await this.#requestCompaction();
    return removed;
  }

  async forgetJob(jobId: string, options: { keepRuns?: boolean } = {}): Promise<string[]> {
    this.#assertOpen();
    if (options.keepRuns) {
      // Not worth rewriting the file for: nothing asks a removed job's slot, and its kept runs
      // would bring the slot back at the next load anyway.
      this.index.forgetSlot(jobId);
      return [];
    }
    const hadSlot = this.index.lastScheduledAt(jobId) !== null;
    const removed = this.index.removeJob(jobId);
    if (removed.length > 0 || hadSlot) await this.#requestCompaction();
    return removed;
  }

  async close(): Promise<void> {
    if (this.#state !== "open") return;
    this.#state = "closed";
    while (this.#pump) await this.#pump;
    await this.#handle?.close();
    this.#handle = null;
    this.#closeReader();
  }

  // ---------------------------------------------------------------- writing

  #assertOpen(): void {
    if (this.#state !== "open") throw new Error(`JsonlRunHistory: ${this.#state === "new" ? "call open() first" : "already closed"}`);
  }

  #mostlySuperseded(): boolean {
    const live = this.index.size + this.index.slotCount;
    return this.#fileRecords + this.#pending.length > COMPACT_RATIO * live;
  }

  /** Indexes `run` (held whole until its line is written) and gives the line to write. */
  #runToWrite(run: Run): PendingLine {
    const row = this.index.upsert(run);
    return { text: runLine(run), row, rev: this.index.revision(row) };
  }

  #closeReader(): void {
    if (this.#readFd !== null) closeSync(this.#readFd);
    this.#readFd = null;
  }

  #warn(message: string): void {
    this.warnings.push(message);
    this.log(`warning: ${message}`);
  }

  #append(lines: PendingLine[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push(...lines);
      this.#pendingWaiters.push({ resolve, reject });
      this.#pump ??= this.#runPump();
    });
  }

  #requestCompaction(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#compactWaiters.push({ resolve, reject });
      this.#pump ??= this.#runPump();
    });
  }

  /** One write at a time: appends batch up, a compaction absorbs the appends queued before it. */
  async #runPump(): Promise<void> {
    // Yield once so that records made in the same tick share one write and one fsync.
    await Promise.resolve();
    while (this.#compactWaiters.length > 0 || this.#pendingWaiters.length > 0) {
      // Both steps settle their own waiters; nothing may escape and stall the pump.
      if (this.#compactWaiters.length > 0) await this.#compactOnce().catch((error: Error) => this.log(`history compaction: ${error.message}`));
      else await this.#appendOnce().catch((error: Error) => this.log(`history append: ${error.message}`));
    }
    this.#pump = null;
  }

  async #appendOnce(): Promise<void> {
    const lines = this.#pending;
    const text = lines.map((line) => line.text).join("");
    const waiters = this.#pendingWaiters;
    this.#pending = [];
    this.#pendingWaiters = [];
    try {
      const handle = (this.#handle ??= await fs.open(this.file, "a", PRIVATE_FILE_MODE));
      await handle.appendFile(text);
      await handle.datasync();
      tracePoint("synced");
      let offset = this.#durableBytes;
      for (const line of lines) {
        const length = Buffer.byteLength(line.text);
        if (line.row !== undefined && line.rev !== undefined) this.index.place(line.row, line.rev, { offset, length });
        offset += length;
      }
      this.#durableBytes = offset;
      this.#fileRecords += lines.length;
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      // Cut a partial line off, or the next append would glue onto it and both be lost.
      await this.#handle?.truncate(this.#durableBytes).catch(() => {});
      const failure = new StoreWriteError(this.file, describeFsError(error));
      this.log(`${failure.message} (the runs stay in memory and are written at the next compaction)`);
      for (const waiter of waiters) waiter.reject(failure);
    }
  }

  async #compactOnce(): Promise<void> {
    const waiters = this.#compactWaiters;
    const absorbedLines = this.#pending;
    const absorbedWaiters = this.#pendingWaiters;
    this.#compactWaiters = [];
    this.#pending = [];
    this.#pendingWaiters = [];
    // Snapshot taken synchronously: everything recorded so far (queued appends included). A
    // run in the file is copied from its line; one not written yet is written from memory.
    const snapshot = this.index.recordsInAppearanceOrder();
    const slots = this.index.slots();
    const places: { offset: number; length: number }[] = [];
    let size = 0;
    try {
      // Reads until the swap below must see the old file, also while the rename is being synced.
      const readFd = (this.#readFd ??= openSync(this.file, "r"));
      const old = snapshot.some((item) => item.run === null) ? await readWhole(readFd) : Buffer.alloc(0);
      const parts: Buffer[] = [];
      for (const item of snapshot) {
        const part = item.run ? Buffer.from(runLine(item.run)) : old.subarray(item.offset, item.offset + item.length);
        parts.push(part);
        places.push({ offset: size, length: part.length });
        size += part.length;
      }
      for (const [jobId, slot] of slots) parts.push(Buffer.from(slotLine(jobId, slot)));
      const contents = Buffer.concat(parts);
      await writeFileDurably(this.file, contents);
      size = contents.length;
    } catch (error) {
      const failure = new StoreWriteError(this.file, describeFsError(error));
      // The old file is intact; the absorbed records still need appending to it.
      this.#pending = [...absorbedLines, ...this.#pending];
      this.#pendingWaiters = [...absorbedWaiters, ...this.#pendingWaiters];
      for (const waiter of waiters) waiter.reject(failure);
      return;
    }
    // From here every place is in the new file: read it through a fresh descriptor.
    this.#closeReader();
    snapshot.forEach((item, index) => this.index.place(item.row, item.rev, places[index] as { offset: number; length: number }));
    // The rename left our append handle on the old inode; the next append reopens the file.
    const previous = this.#handle;
    this.#handle = null;
    await previous?.close().catch(() => {});
    this.#durableBytes = size;
    this.#fileRecords = snapshot.length + slots.length;
    for (const waiter of [...waiters, ...absorbedWaiters]) waiter.resolve();
  }

  /** The history holds commands' outcomes and errors: owner only, like jobs.json. */
  async #tightenMode(): Promise<void> {
    if (process.platform === "win32" || !this.#handle) return;
    const { mode } = await this.#handle.stat();
    if ((mode & 0o077) === 0) return;
    await this.#handle.chmod(PRIVATE_FILE_MODE).catch(() => {});
    this.#warn(`${path.basename(this.file)} was readable by other users (mode ${(mode & 0o777).toString(8)}); changed it to 600`);
  }
}

const readAt = promisify(read);

/** The whole file behind `fd`, for a compaction to copy lines from (released right after). */
async function readWhole(fd: number): Promise<Buffer> {
  const { size } = fstatSync(fd);
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await readAt(fd, buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
