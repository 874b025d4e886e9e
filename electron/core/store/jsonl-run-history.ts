/**
 * Run history in `history.jsonl`: append-only, one whole record per line, fsynced. A crash
 * can only tear the last line, which the next open trims. Compaction (retention, a removed
 * job, or a file mostly made of superseded lines) rewrites the file atomically from memory.
 *
 * Memory is the source of truth while the engine runs: `record` updates the indexes at
 * once and resolves when the line is durable. A failed append rejects but the run stays in
 * memory, so the next compaction writes it.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { StoreCorruptError, StoreWriteError } from "../../shared/errors.js";
import type { Run } from "../../shared/schemas.js";
import { describeFsError, ensurePrivateFolder, PRIVATE_FILE_MODE, readRegularFile, removeStaleTempFiles, syncFolder, writeFileDurably } from "./durable-file.js";
import { replayHistory, runLine, slotLine } from "./history-file-format.js";
import { IndexedRunHistory } from "./indexed-run-history.js";
import { tracePoint } from "../trace.js";
import type { RetentionPolicy, RunHistory } from "./run-history.js";

// Scheduler tests import the stand-in from here, beside the real history.
export { MemoryRunHistory } from "./memory-run-history.js";

export { INTERRUPTED_ERROR } from "./run-index.js";

/** Compact at open when the file holds more than this many lines per live record. */
const COMPACT_RATIO = 2;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
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
  #pendingText: string[] = [];
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

    const bytes = await readRegularFile(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return Buffer.alloc(0);
      // Damaged lines are survivable; a file we cannot read at all is not, and must not be replaced.
      throw new StoreCorruptError(this.file, `it cannot be read: ${describeFsError(error)}`);
    });
    const replay = replayHistory(bytes, path.basename(this.file));
    for (const warning of replay.warnings) this.#warn(warning);
    // Trim the torn tail now: the next append must start on a fresh line.
    if (replay.completeBytes < bytes.length) await fs.truncate(this.file, replay.completeBytes);

    const existed = bytes.length > 0 || (await fs.stat(this.file).then(() => true, () => false));
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
    const interrupted = this.load(replay.runs.values(), replay.slots);
    this.#state = "open";

    if (this.#mostlySuperseded()) {
      await this.#requestCompaction(); // includes the interrupted updates: they are in memory
    } else if (interrupted.length > 0) {
      await this.#append(interrupted.map(runLine));
    }
    return interrupted;
  }

  async record(run: Run): Promise<void> {
    this.#assertOpen();
    const copy = { ...run };
    this.index.upsert(copy);
    await this.#append([runLine(copy)]);
  }

  async markScheduled(jobId: string, slot: Date): Promise<void> {
    this.#assertOpen();
    if (!this.index.markScheduled(jobId, slot.getTime())) return;
    await this.#append([slotLine(jobId, slot.getTime())]);
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
  }

  // ---------------------------------------------------------------- writing

  #assertOpen(): void {
    if (this.#state !== "open") throw new Error(`JsonlRunHistory: ${this.#state === "new" ? "call open() first" : "already closed"}`);
  }

  #mostlySuperseded(): boolean {
    const live = this.index.size + this.index.slotCount;
    return this.#fileRecords + this.#pendingText.length > COMPACT_RATIO * live;
  }

  #warn(message: string): void {
    this.warnings.push(message);
    this.log(`warning: ${message}`);
  }

  #append(lines: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pendingText.push(...lines);
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
    const text = this.#pendingText.join("");
    const lines = this.#pendingText.length;
    const waiters = this.#pendingWaiters;
    this.#pendingText = [];
    this.#pendingWaiters = [];
    try {
      const handle = (this.#handle ??= await fs.open(this.file, "a", PRIVATE_FILE_MODE));
      await handle.appendFile(text);
      await handle.datasync();
      tracePoint("synced");
      this.#durableBytes += Buffer.byteLength(text);
      this.#fileRecords += lines;
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
    const absorbedText = this.#pendingText;
    const absorbedWaiters = this.#pendingWaiters;
    this.#compactWaiters = [];
    this.#pendingText = [];
    this.#pendingWaiters = [];
    // Snapshot taken synchronously: everything recorded so far (queued appends included).
    const lines = this.index.runsInRecordOrder().map(runLine);
    for (const [jobId, slot] of this.index.slots()) lines.push(slotLine(jobId, slot));
    const text = lines.join("");
    try {
      await writeFileDurably(this.file, text);
    } catch (error) {
      const failure = new StoreWriteError(this.file, describeFsError(error));
      // The old file is intact; the absorbed records still need appending to it.
      this.#pendingText = [...absorbedText, ...this.#pendingText];
      this.#pendingWaiters = [...absorbedWaiters, ...this.#pendingWaiters];
      for (const waiter of waiters) waiter.reject(failure);
      return;
    }
    // The rename left our append handle on the old inode; the next append reopens the file.
    const previous = this.#handle;
    this.#handle = null;
    await previous?.close().catch(() => {});
    this.#durableBytes = Buffer.byteLength(text);
    this.#fileRecords = lines.length;
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
