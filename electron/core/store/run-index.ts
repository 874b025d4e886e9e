/**
 * The in-memory side of run history, shared by JsonlRunHistory and MemoryRunHistory:
 * runs by id, each job's runs in time order, every run in time order, and the last
 * handled slot per job. Lists are kept oldest → newest so the usual case (a new run is the
 * newest) is an O(1) push, and "the last 50" is a walk from the end.
 *
 * The index is columnar (issue 12: 100,000 runs took 218 MB as objects, 135 MB as one
 * summary object each): a run is a row number, and what ordering, retention and the scheduler
 * need of it is one cell in each of a few paged typed arrays (times, file place, status; an
 * end, slot or duration as a 32-bit difference); ids are characters in a RunIdTable, job ids
 * are interned; the time-ordered lists are growable Int32Arrays of rows. A run that is not
 * held whole is no heap object at all: ~96 bytes a run in all (docs/PERFORMANCE.md §9.2).
 * The whole run is held in memory only while it is `running`, not yet durable in the file,
 * or the newest of its job (`lastRun`, asked for every job by each job list); any other is
 * read back from the file.
 */
import type { Run, RunReason } from "../../shared/schemas.js";
import { RUN_STATUSES } from "../../shared/run-statuses.js";
import type { HistoryQuery, RetentionPolicy, RunSummary } from "./run-history.js";
import { waitEndedWords } from "../../shared/wording.js";
import { COLUMN_PAGE_ROWS, DifferenceColumn, PagedColumn } from "./paged-column.js";
import { RunIdTable } from "./run-id-table.js";

/** Reasons whose `scheduledAt` is a slot of the job's trigger (a manual run has none). */
const SLOT_REASONS: ReadonlySet<RunReason> = new Set(["schedule", "catch-up", "retry"]);
const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 50;

/** Recorded on runs that were `running` when the process died. */
export const INTERRUPTED_ERROR = "Sundial stopped while this run was in progress";

/**
 * A run left `running` by a process that died. `endedAt` stays null: when exactly the
 * process stopped is unknown, and a made-up time would give a made-up duration.
 */
export function asInterrupted(run: Run): Run {
  // A run that was still waiting for its job's conditions (issue 15) never started: skipped, not a failure.
  if (run.status === "waiting") return { ...run, status: "skipped", error: waitEndedWords("Sundial stopped", run) };
  return { ...run, status: "interrupted", endedAt: null, durationMs: null, error: INTERRUPTED_ERROR };
}

/** A run whose record is not final yet: running, or waiting for its job's conditions. */
function isOpen(run: Run): boolean {
  return run.status === "running" || run.status === "waiting";
}

/** Where a run's newest record is in the history file: `length` bytes from `offset`, its newline included. */
export interface RecordPlace {
  offset: number;
  length: number;
}

/** Reads back a run the index does not hold whole, from its place; only called for runs in the file. */
export type RunReader = (runId: string, place: RecordPlace) => Run;

/** A row's record as a compaction copies it: from its place in the file, or `run` when not written yet. */
export interface RowRecord {
  row: number;
  rev: number;
  offset: number;
  length: number;
  run: Run | null;
}

/** The trigger slot a run was for (epoch ms), or NaN (a manual run). */
function slotOf(run: Run): number {
  return run.scheduledAt === null || !SLOT_REASONS.has(run.reason) ? NaN : Date.parse(run.scheduledAt);
}

/** Sort time: startedAt, else scheduledAt, else endedAt (epoch ms). */
function sortTime(run: Run): number {
  const time = Date.parse(run.startedAt ?? run.scheduledAt ?? run.endedAt ?? "");
  return Number.isNaN(time) ? 0 : time;
}

function grown(array: Int32Array, size: number): Int32Array {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}

const f64 = (rows: number) => new Float64Array(rows);
const u32 = (rows: number) => new Uint32Array(rows);
const i32 = (rows: number) => new Int32Array(rows);
const u8 = (rows: number) => new Uint8Array(rows);

/** A growable list of row numbers. */
class RowList {
  rows: Int32Array;
  length = 0;

  /** `capacity`: rows it will hold, when known (a load's list is made whole, with no copies). */
  constructor(capacity = 8) {
    this.rows = new Int32Array(Math.max(8, capacity));
  }

  get last(): number {
    return this.length === 0 ? -1 : (this.rows[this.length - 1] as number);
  }

  at(index: number): number {
    return this.rows[index] as number;
  }

  push(row: number): void {
    if (this.length === this.rows.length) this.rows = grown(this.rows, this.rows.length * 2);
    this.rows[this.length++] = row;
  }

  insertAt(index: number, row: number): void {
    this.push(row);
    this.rows.copyWithin(index + 1, index, this.length - 1);
    this.rows[index] = row;
  }

  removeAt(index: number): void {
    this.rows.copyWithin(index, index + 1, this.length);
    this.length -= 1;
  }

  indexOf(row: number): number {
    return this.rows.subarray(0, this.length).indexOf(row);
  }

  /** Keeps the rows `keep` accepts, in order. */
  retain(keep: (row: number) => boolean): void {
    let kept = 0;
    for (let index = 0; index < this.length; index += 1) {
      const row = this.rows[index] as number;
      if (keep(row)) this.rows[kept++] = row;
    }
    this.length = kept;
  }
}

export class RunIndex {
  // One cell per row. A freed row (pruned run) is reused; its `rev` keeps counting.
  #capacity = 0;
  #time = new PagedColumn(f64);
  /** When it finished (epoch ms; its sort time when it has no end): retention by age. From `#time`. */
  #ended = new DifferenceColumn();
  /** The trigger slot it ran for, or NaN: each job's last slot. From `#time`. */
  #slot = new DifferenceColumn();
  /** Byte offset of its newest line in the file; -1: not in the file (yet, or at all). */
  #offset = new PagedColumn(f64);
  #length = new PagedColumn(u32);
  /** Order of first appearance: breaks ties between runs with the same time (wraps after 2^32 new runs in one process life: ties only). */
  #seq = new PagedColumn(u32);
  /** Bumped by every new record of the row: a place found for an older record is not its place. */
  #rev = new PagedColumn(u32);
  #running = new PagedColumn(u8);
  /** Its status, as an index into RUN_STATUSES: a job's stats read no run back (issue 17). */
  #status = new PagedColumn(u8);
  /** How long it ran (ms), NaN when it has no duration: the stats' medians. From 0. */
  #duration = new DifferenceColumn();
  /** Interned job number. */
  #job = new PagedColumn(i32);
  /** Each row's run id (none: a free row), and the row of an id. */
  #ids = new RunIdTable();
  #rows = 0;
  #free: number[] = [];

  /** Whole runs held in memory (see the file comment), by row. */
  #held = new Map<number, Run>();
  #jobNames: string[] = [];
  #jobNumbers = new Map<string, number>();
  /** Each job's rows in time order, by job number. */
  #byJob = new Map<number, RowList>();
  #all = new RowList();
  #lastSlot = new Map<string, number>();
  #nextSeq = 0;

  /** `read` brings back runs that are not held in memory (never called when every run is). */
  constructor(private readonly read: RunReader = (runId) => {
    throw new Error(`run ${runId} is not in memory`);
  }) {}

  get size(): number {
    return this.#ids.size;
  }

  /** Jobs with a known last slot (each is one slot line after compaction). */
  get slotCount(): number {
    return this.#lastSlot.size;
  }

  // ---------------------------------------------------------------- loading

  /** Empties the index before a replay (`loadRecord` each record, then `finishLoad`). */
  startLoad(): void {
    for (const column of this.#columns()) column.clear();
    this.#ids.clear();
    this.#capacity = 0;
    this.#held.clear();
    this.#byJob.clear();
    this.#all = new RowList();
    this.#lastSlot.clear();
    this.#rows = 0;
    this.#free = [];
    this.#nextSeq = 0;
  }

  /**
   * One stored record, oldest first (a run's newer record replaces its older one and keeps
   * its first-appearance order). `place` is null when there is no file: the run is held whole.
   */
  loadRecord(run: Run, place: RecordPlace | null): void {
    let row = this.#ids.rowOf(run.id);
    if (row < 0) {
      row = this.#allocate(run.id);
      this.#seq.set(row, this.#nextSeq++);
    }
    this.#setSummary(row, run);
    this.#offset.set(row, place?.offset ?? -1);
    this.#length.set(row, place?.length ?? 0);
    if (place === null || isOpen(run)) this.#held.set(row, run);
    else this.#held.delete(row);
  }

  /**
   * Sorts what was loaded (one sort instead of 100,000 inserts) and returns the runs left
   * `running`, in order of first appearance.
   */
  finishLoad(slots: Iterable<[string, number]>): Run[] {
    this.#lastSlot = new Map(slots);
    const all = new RowList(this.size);
    const running: Run[] = [];
    const perJob = new Int32Array(this.#jobNames.length);
    for (let row = 0; row < this.#rows; row += 1) {
      if (!this.#hasId(row)) continue;
      all.push(row);
      perJob[this.#job.get(row)]! += 1;
      this.#noteSlot(row);
      const run = this.#running.get(row) === 1 ? this.#held.get(row) : undefined;
      if (run) running.push(run);
    }
    const time = this.#time;
    const seq = this.#seq;
    all.rows.subarray(0, all.length).sort((a, b) => time.get(a) - time.get(b) || seq.get(a) - seq.get(b));
    // Each job's list made at its size: no doubling copies left behind.
    perJob.forEach((count, job) => count > 0 && this.#byJob.set(job, new RowList(count)));
    for (let index = 0; index < all.length; index += 1) {
      const row = all.at(index);
      this.#listOf(this.#job.get(row)).push(row);
    }
    this.#all = all;
    return running;
  }

  // ---------------------------------------------------------------- changes

  /** Adds a run or replaces the record with the same id; returns its row (held whole until `place`d). */
  upsert(run: Run): number {
    const existing = this.#ids.rowOf(run.id);
    const time = sortTime(run);
    let row: number;
    if (existing >= 0 && this.#jobNames[this.#job.get(existing)] === run.jobId && this.#time.get(existing) === time) {
      row = existing;
      this.#setSummary(row, run);
    } else {
      if (existing >= 0) this.#detach(existing);
      row = existing >= 0 ? existing : this.#allocate(run.id);
      if (existing < 0) this.#seq.set(row, this.#nextSeq++);
      this.#setSummary(row, run);
      const list = this.#listOf(this.#job.get(row));
      this.#insertSorted(this.#all, row);
      this.#insertSorted(list, row);
      // The job's previous newest no longer needs to be at hand.
      if (list.last === row && list.length > 1) this.#release(list.at(list.length - 2));
    }
    this.#rev.set(row, this.#rev.get(row) + 1);
    this.#offset.set(row, -1);
    this.#length.set(row, 0);
    this.#held.set(row, run);
    this.#noteSlot(row);
    return row;
  }

  /** The row's revision now: pass it back to `place` with where that record was written. */
  revision(row: number): number {
    return this.#rev.get(row);
  }

  /**
   * Notes where the record of `row` written at revision `rev` now is in the file; ignored
   * when the run has changed (or gone) since: its newer record has its own place coming.
   */
  place(row: number, rev: number, place: RecordPlace): void {
    if (this.#rev.get(row) !== rev || !this.#hasId(row)) return;
    this.#offset.set(row, place.offset);
    this.#length.set(row, place.length);
    if (this.#byJob.get(this.#job.get(row))?.last !== row) this.#release(row);
  }

  has(runId: string): boolean {
    return this.#ids.rowOf(runId) >= 0;
  }

  get(runId: string): Run | null {
    const row = this.#ids.rowOf(runId);
    return row < 0 ? null : this.#runOf(row);
  }

  /** Newest first; walks from the end, so cost is O(limit) whatever the history size. */
  list(query: HistoryQuery = {}): Run[] {
    const source = query.jobId === undefined ? this.#all : this.#jobList(query.jobId);
    const limit = Math.max(0, query.limit ?? DEFAULT_LIMIT);
    const runs: Run[] = [];
    if (!source) return runs;
    for (let index = source.length - 1; index >= 0 && runs.length < limit; index -= 1) {
      runs.push(this.#runOf(source.at(index)));
    }
    return runs;
  }

  /** The job's newest run, kept at hand once asked for: every job list asks it of every job. */
  lastRun(jobId: string): Run | null {
    const row = this.#jobList(jobId)?.last ?? -1;
    if (row < 0) return null;
    let run = this.#held.get(row);
    if (!run) this.#held.set(row, (run = this.#readBack(row)));
    return run;
  }

  /** Every kept run of the job, oldest first, from the columns alone (a job's stats). */
  summaries(jobId: string): RunSummary[] {
    const list = this.#jobList(jobId);
    const summaries: RunSummary[] = [];
    if (!list) return summaries;
    for (let index = 0; index < list.length; index += 1) {
      const row = list.at(index);
      const duration = this.#duration.get(row, 0);
      summaries.push({
        runId: this.#idOf(row),
        status: RUN_STATUSES[this.#status.get(row)]!,
        at: this.#time.get(row),
        durationMs: Number.isNaN(duration) ? null : duration,
      });
    }
    return summaries;
  }

  lastScheduledAt(jobId: string): Date | null {
    const slot = this.#lastSlot.get(jobId);
    return slot === undefined ? null : new Date(slot);
  }

  /** Moves the job's last slot forward to `slotMs`; returns false when it was already there or later. */
  markScheduled(jobId: string, slotMs: number): boolean {
    const current = this.#lastSlot.get(jobId);
    if (current !== undefined && current >= slotMs) return false;
    this.#lastSlot.set(jobId, slotMs);
    return true;
  }

  /**
   * Removes what retention allows and returns the ids: beyond the newest `maxRunsPerJob`
   * of a job, or finished more than `maxAgeDays` ago. A `running` run always stays and
   * takes one of the job's places first. Last slots are kept: catch-up needs them.
   */
  prune(policy: RetentionPolicy, now: Date): string[] {
    const cutoff = now.getTime() - policy.maxAgeDays * DAY_MS;
    const removed: number[] = [];
    for (const list of this.#byJob.values()) {
      // Running runs cannot go, so they take their places first: the total stays within the cap.
      let kept = 0;
      for (let index = 0; index < list.length; index += 1) kept += this.#running.get(list.at(index));
      for (let index = list.length - 1; index >= 0; index -= 1) {
        const row = list.at(index);
        if (this.#running.get(row) === 1) continue;
        if (kept >= policy.maxRunsPerJob || this.#ended.get(row, this.#time.get(row)) < cutoff) removed.push(row);
        else kept += 1;
      }
    }
    return this.#removeRows(removed);
  }

  /** Removes a job's runs and its last slot; returns the run ids. */
  removeJob(jobId: string): string[] {
    const list = this.#jobList(jobId);
    const ids = list ? this.#removeRows(Array.from(list.rows.subarray(0, list.length))) : [];
    const number = this.#jobNumbers.get(jobId);
    if (number !== undefined) this.#byJob.delete(number);
    this.#lastSlot.delete(jobId);
    return ids;
  }

  /** Forgets a job's last slot and keeps its runs; returns whether there was one. */
  forgetSlot(jobId: string): boolean {
    return this.#lastSlot.delete(jobId);
  }

  /** Every job id with runs. */
  jobIds(): string[] {
    const ids: string[] = [];
    for (const [number, list] of this.#byJob) if (list.length > 0) ids.push(this.#jobNames[number] as string);
    return ids;
  }

  /**
   * Every run's record in order of first appearance (a compacted file replays to the same
   * tie order): its place in the file, or the run itself when it is not written yet.
   */
  recordsInAppearanceOrder(): RowRecord[] {
    const rows: number[] = [];
    for (let row = 0; row < this.#rows; row += 1) if (this.#hasId(row)) rows.push(row);
    rows.sort((a, b) => this.#seq.get(a) - this.#seq.get(b));
    return rows.map((row) => {
      const offset = this.#offset.get(row);
      return { row, rev: this.#rev.get(row), offset, length: this.#length.get(row), run: offset < 0 ? (this.#held.get(row) ?? null) : null };
    });
  }

  slots(): [string, number][] {
    return [...this.#lastSlot];
  }

  // ---------------------------------------------------------------- rows

  #allocate(id: string): number {
    let row = this.#free.pop();
    if (row === undefined) {
      if (this.#rows === this.#capacity) this.#grow();
      row = this.#rows++;
    }
    this.#ids.add(row, id);
    return row;
  }

  /** One more page of rows in every column: nothing is copied. */
  #grow(): void {
    this.#capacity += COLUMN_PAGE_ROWS;
    for (const column of this.#columns()) column.reserve(this.#capacity);
    this.#ids.reserve(this.#capacity);
  }

  #columns(): (PagedColumn<Float64Array | Uint32Array | Int32Array | Uint8Array> | DifferenceColumn)[] {
    return [this.#time, this.#ended, this.#slot, this.#offset, this.#length, this.#seq, this.#rev, this.#running, this.#status, this.#duration, this.#job];
  }

  #hasId(row: number): boolean {
    return this.#ids.hasRow(row);
  }

  /** The id of a row in use. */
  #idOf(row: number): string {
    return this.#ids.idOf(row) as string;
  }

  #setSummary(row: number, run: Run): void {
    const time = sortTime(run);
    // `#ended` and `#slot` are kept as differences from the time: written with it, always.
    this.#time.set(row, time);
    this.#ended.set(row, run.endedAt === null ? time : Date.parse(run.endedAt) || time, time);
    this.#slot.set(row, slotOf(run), time);
    this.#running.set(row, isOpen(run) ? 1 : 0);
    this.#status.set(row, Math.max(0, RUN_STATUSES.indexOf(run.status)));
    this.#duration.set(row, run.durationMs ?? NaN, 0);
    this.#job.set(row, this.#intern(run.jobId));
  }

  /** One string and one number per job, not one per line. */
  #intern(jobId: string): number {
    let number = this.#jobNumbers.get(jobId);
    if (number === undefined) {
      number = this.#jobNames.push(jobId) - 1;
      this.#jobNumbers.set(jobId, number);
    }
    return number;
  }

  #listOf(job: number): RowList {
    let list = this.#byJob.get(job);
    if (!list) this.#byJob.set(job, (list = new RowList()));
    return list;
  }

  #jobList(jobId: string): RowList | undefined {
    const number = this.#jobNumbers.get(jobId);
    return number === undefined ? undefined : this.#byJob.get(number);
  }

  #before(a: number, b: number): boolean {
    const timeA = this.#time.get(a);
    const timeB = this.#time.get(b);
    return timeA < timeB || (timeA === timeB && this.#seq.get(a) < this.#seq.get(b));
  }

  /** Index of the first row of `list` that sorts after `row`. */
  #upperBound(list: RowList, row: number): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#before(row, list.at(middle))) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  #insertSorted(list: RowList, row: number): void {
    const last = list.last;
    if (last < 0 || this.#before(last, row)) list.push(row);
    else list.insertAt(this.#upperBound(list, row), row);
  }

  #removeSorted(list: RowList, row: number): void {
    const index = this.#upperBound(list, row) - 1;
    if (index >= 0 && list.at(index) === row) list.removeAt(index);
    else {
      const fallback = list.indexOf(row); // keys changed under us; never expected
      if (fallback >= 0) list.removeAt(fallback);
    }
  }

  /** Takes a row out of the lists before its time or job changes. */
  #detach(row: number): void {
    this.#removeSorted(this.#all, row);
    const list = this.#byJob.get(this.#job.get(row));
    if (list) this.#removeSorted(list, row);
  }

  /** Lets go of a run that can be read back: in the file and finished. */
  #release(row: number): void {
    if (this.#offset.get(row) >= 0 && this.#running.get(row) === 0) this.#held.delete(row);
  }

  #runOf(row: number): Run {
    return this.#held.get(row) ?? this.#readBack(row);
  }

  #readBack(row: number): Run {
    return this.read(this.#idOf(row), { offset: this.#offset.get(row), length: this.#length.get(row) });
  }

  #noteSlot(row: number): void {
    const slot = this.#slot.get(row, this.#time.get(row));
    if (!Number.isNaN(slot)) this.markScheduled(this.#jobNames[this.#job.get(row)] as string, slot);
  }

  /** Frees rows (reused by later runs) and returns their ids. */
  #removeRows(rows: readonly number[]): string[] {
    if (rows.length === 0) return [];
    const gone = new Uint8Array(this.#rows);
    const ids: string[] = [];
    for (const row of rows) {
      const id = this.#ids.idOf(row);
      if (id === undefined || gone[row] === 1) continue;
      gone[row] = 1;
      ids.push(id);
      this.#ids.remove(row);
      this.#held.delete(row);
      this.#rev.set(row, this.#rev.get(row) + 1); // a place still coming for it is ignored
      this.#free.push(row);
    }
    const keep = (row: number) => gone[row] !== 1;
    this.#all.retain(keep);
    for (const [job, list] of this.#byJob) {
      list.retain(keep);
      if (list.length === 0) this.#byJob.delete(job);
    }
    return ids;
  }
}
