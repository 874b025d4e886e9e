/**
 * `starts.jsonl`: what lets a prepared run start on its second without an fsync there
 * (issue 12; docs/RELIABILITY.md "Starting on the second").
 *
 * A scheduled run whose process is prepared ahead of its slot gets its id then, and
 * `prepare` appends a `prepared` line (run id, job, slot, boot) and fsyncs it, about two
 * seconds before the slot. At the slot `released` appends one line with write(2) and no
 * fsync, and only then is the process told to go; the run's `running` record in
 * history.jsonl follows, fsynced off the due path, after which `settled` closes the entry
 * (a prepared process thrown away unreleased is settled too).
 *
 * What a restart concludes from an entry that was not settled (`recordCutStarts`):
 * - its run is in the history: nothing more (the history says what happened);
 * - it was released: it started → recorded `interrupted`;
 * - not released, same boot: it never started (a killed process's writes stay in the page
 *   cache, so the line would be there) → nothing; the job's catch-up policy decides;
 * - not released, another boot (power loss, OS crash: writes not fsynced may be gone): it may
 *   have started → recorded `interrupted`, never run again.
 * All writes are synchronous, on the engine's one thread, so lines never interleave and
 * their order is the order of events; only the fsyncs wait on the thread pool.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { StoreWriteError } from "../../shared/errors.js";
import type { Run } from "../../shared/schemas.js";
import { tracePoint } from "../trace.js";
import { describeFsError, PRIVATE_FILE_MODE, readRegularFile, removeStaleTempFiles, syncFolder, writeFileDurably } from "./durable-file.js";
import type { RunHistory } from "./run-history.js";
import { INTERRUPTED_ERROR } from "./run-index.js";

const fdatasync = promisify(fs.fdatasync);

/** Past this size, and with nothing released but unsettled, the file is rewritten with what is open. */
const COMPACT_BYTES = 64 * 1024;

/** Recorded on a run that may or may not have started when the machine itself went down. */
export const UNKNOWN_START_ERROR = "the machine stopped (power loss or a system crash) as this run was due to start; whether it started is unknown, so its slot is not run again";

/** A prepared run's entry, as the launcher sees it. */
export interface PreparedStart {
  readonly runId: string;
  /** The `prepared` line is on disk: the run may be released without an fsync. */
  readonly durable: boolean;
  /** Resolves with `durable` once the fsync for the line is over (false: it failed). */
  readonly whenDurable: Promise<boolean>;
}

/** An entry left open by the previous engine, as `open` found it. */
export interface CutStart {
  runId: string;
  jobId: string;
  jobName: string;
  slot: number;
  boot: string;
  released: boolean;
}

interface Entry extends CutStart {
  durable: boolean;
  whenDurable: Promise<boolean>;
}

/** This boot of the machine: a process crash keeps it, a power loss or a reboot changes it. */
export function currentBoot(): string {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // Elsewhere: the boot time to ten seconds. A clock change between two starts makes it
    // differ, which only makes a restart read unreleased entries the careful way.
    return `boot-${Math.round((Date.now() - os.uptime() * 1000) / 10_000)}`;
  }
}

export class RunStartLog {
  #fd: number | null = null;
  #bytes = 0;
  readonly #entries = new Map<string, Entry>();
  readonly #boot: string;
  #syncWaiters: ((ok: boolean) => void)[] = [];
  #syncing: Promise<void> | null = null;
  #folderDirty = false;
  /** Bytes `open` found: an empty file need not be rewritten. */
  #foundBytes = 0;

  constructor(
    readonly file: string,
    private readonly log: (line: string) => void = () => {},
    boot: string = currentBoot(),
  ) {
    this.#boot = boot;
  }

  /**
   * Reads what the previous engine left open (whole lines only: a torn last line was never
   * acted on). Call `recordCutStarts` with the result, then `reset`.
   */
  async open(): Promise<CutStart[]> {
    await removeStaleTempFiles(this.file);
    const bytes = await readRegularFile(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return Buffer.alloc(0);
      throw new StoreWriteError(this.file, describeFsError(error));
    });
    this.#foundBytes = bytes.length;
    const open = new Map<string, CutStart>();
    const complete = bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1).toString("utf8");
    for (const line of complete.split("\n")) {
      if (!line) continue;
      let record: { prepared?: CutStart; released?: string; settled?: string };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        this.log(`warning: ${path.basename(this.file)}: a damaged line was skipped`);
        continue;
      }
      if (record.prepared && typeof record.prepared.runId === "string") open.set(record.prepared.runId, { ...record.prepared, released: false });
      else if (typeof record.released === "string") {
        const entry = open.get(record.released);
        if (entry) entry.released = true;
      } else if (typeof record.settled === "string") open.delete(record.settled);
    }
    return [...open.values()];
  }

  /**
   * Starts an empty file (durably: the entries it held are settled by now; an empty or missing
   * file costs no fsync at start) and opens it for appending.
   */
  async reset(): Promise<void> {
    if (this.#foundBytes > 0) await writeFileDurably(this.file, "");
    this.#fd = fs.openSync(this.file, "a", PRIVATE_FILE_MODE);
    this.#bytes = 0;
  }

  /** Whether `runId` is taken by an open entry (run ids are made before their runs are recorded). */
  has(runId: string): boolean {
    return this.#entries.has(runId);
  }

  /**
   * Records that `runId` is prepared for `jobId`'s `slot` and starts its fsync; null when the
   * line cannot be written (the launch then records the run durably before releasing it).
   */
  prepare(runId: string, jobId: string, jobName: string, slot: number): PreparedStart | null {
    if (this.#fd === null) return null;
    const cut: CutStart = { runId, jobId, jobName, slot, boot: this.#boot, released: false };
    try {
      this.#write(`${JSON.stringify({ prepared: { runId, jobId, jobName, slot, boot: this.#boot } })}\n`);
    } catch (error) {
      this.log(`${(error as Error).message} (the run will be recorded before it is released)`);
      return null;
    }
    const entry = { ...cut, durable: false } as Entry;
    entry.whenDurable = this.#sync().then((ok) => (entry.durable = ok));
    this.#entries.set(runId, entry);
    return entry;
  }

  /**
   * Records that the prepared runs start now, their lines in one write (the runs of one slot,
   * issue 12); written (not fsynced) before this returns. Throws StoreWriteError when they
   * cannot be written: the runs must then not be released.
   */
  releasedAll(runIds: readonly string[]): void {
    const entries = runIds.map((runId) => {
      const entry = this.#entries.get(runId);
      if (!entry) throw new Error(`RunStartLog: no prepared entry for run ${runId}`);
      return entry;
    });
    this.#write(runIds.map((runId) => `${JSON.stringify({ released: runId })}\n`).join(""));
    for (const entry of entries) entry.released = true;
  }

  /** The run's record is durable in the history, or its prepared process was thrown away unreleased. */
  settled(runId: string): void {
    if (!this.#entries.delete(runId) || this.#fd === null) return;
    try {
      this.#write(`${JSON.stringify({ settled: runId })}\n`);
    } catch (error) {
      // Without the line a restart asks the history, which has the run, or finds it unreleased.
      this.log(`${(error as Error).message} (a restart will check the run against the history)`);
    }
    if (this.#bytes > COMPACT_BYTES) this.#compact();
  }

  /** Waits for the fsync in flight; an empty log is truncated, so a clean stop leaves nothing open. */
  async close(): Promise<void> {
    while (this.#syncing) await this.#syncing;
    const fd = this.#fd;
    if (fd === null) return;
    this.#fd = null;
    try {
      if (this.#entries.size === 0 && this.#bytes > 0) {
        fs.ftruncateSync(fd, 0);
        await fdatasync(fd);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  #write(text: string): void {
    const fd = this.#fd;
    if (fd === null) throw new StoreWriteError(this.file, "it is not open");
    const length = Buffer.byteLength(text);
    let written: number;
    try {
      written = fs.writeSync(fd, text);
    } catch (error) {
      this.#cutBack(fd);
      throw new StoreWriteError(this.file, describeFsError(error));
    }
    if (written !== length) {
      // A partial line (disk full) would glue onto the next one: cut it off.
      this.#cutBack(fd);
      throw new StoreWriteError(this.file, "the disk took only part of a line (is it full?)");
    }
    this.#bytes += length;
  }

  #cutBack(fd: number): void {
    try {
      fs.ftruncateSync(fd, this.#bytes);
    } catch {
      // The next open skips a torn line anyway.
    }
  }

  /** Resolves true once an fsync that started after this call is over. */
  #sync(): Promise<boolean> {
    return new Promise((resolve) => {
      this.#syncWaiters.push(resolve);
      this.#syncing ??= this.#runSyncs();
    });
  }

  async #runSyncs(): Promise<void> {
    // Settles after `#syncing` is set, and lets lines written in this tick share the fsync.
    await Promise.resolve();
    while (this.#syncWaiters.length > 0 && this.#fd !== null) {
      const waiters = this.#syncWaiters;
      this.#syncWaiters = [];
      let ok = true;
      try {
        await fdatasync(this.#fd);
        if (this.#folderDirty) {
          this.#folderDirty = false;
          await syncFolder(path.dirname(this.file));
        }
        tracePoint("synced");
      } catch (error) {
        ok = false;
        this.log(`could not fsync ${this.file}: ${describeFsError(error)} (runs will be recorded before they are released)`);
      }
      for (const resolve of waiters) resolve(ok);
    }
    for (const resolve of this.#syncWaiters.splice(0)) resolve(false);
    this.#syncing = null;
  }

  /**
   * Rewrites the file with the open entries only, synchronously (a few lines; no fsync on the
   * thread). Only while no fsync is in flight and nothing is released but unsettled: a released
   * entry must stay on disk. The entries in it are not durable again until the new file and
   * the rename are synced, and a slot due before then waits for that.
   */
  #compact(): void {
    const fd = this.#fd;
    if (fd === null || this.#syncing) return;
    for (const entry of this.#entries.values()) if (entry.released) return;
    const text = [...this.#entries.values()].map(({ runId, jobId, jobName, slot, boot }) => `${JSON.stringify({ prepared: { runId, jobId, jobName, slot, boot } })}\n`).join("");
    const temp = `${this.file}.tmp-${process.pid}-starts`;
    try {
      fs.writeFileSync(temp, text, { mode: PRIVATE_FILE_MODE });
      fs.renameSync(temp, this.file);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      this.log(`could not compact ${this.file}: ${describeFsError(error)}`);
      return;
    }
    fs.closeSync(fd);
    this.#fd = fs.openSync(this.file, "a", PRIVATE_FILE_MODE);
    this.#bytes = Buffer.byteLength(text);
    this.#folderDirty = true;
    for (const entry of this.#entries.values()) {
      entry.durable = false;
      entry.whenDurable = this.#sync().then((ok) => (entry.durable = ok));
    }
  }
}

/**
 * Settles what the previous engine left open (see the top of this file): a run that started,
 * or may have, and is not in the history is recorded there as `interrupted` (durably) and
 * returned, so its leftovers can be ended.
 */
export async function recordCutStarts(cut: readonly CutStart[], history: RunHistory, boot: string = currentBoot()): Promise<Run[]> {
  const recorded: Run[] = [];
  for (const start of cut) {
    if (history.get(start.runId) !== null) continue;
    if (!start.released && start.boot === boot) continue;
    const run: Run = {
      id: start.runId,
      jobId: start.jobId,
      jobName: start.jobName,
      status: "interrupted",
      reason: "schedule",
      attempt: 1,
      scheduledAt: new Date(start.slot).toISOString(),
      startedAt: null,
      endedAt: null,
      exitCode: null,
      signal: null,
      durationMs: null,
      error: start.released ? INTERRUPTED_ERROR : UNKNOWN_START_ERROR,
      outputBytes: 0,
    };
    await history.record(run);
    recorded.push(run);
  }
  return recorded;
}
