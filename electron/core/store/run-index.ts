/**
 * The in-memory side of run history, shared by JsonlRunHistory and MemoryRunHistory:
 * runs by id, each job's runs in time order, every run in time order, and the last
 * handled slot per job. Lists are kept oldest → newest so the usual case (a new run is the
 * newest) is an O(1) push, and "the last 50" is a walk from the end.
 *
 * The index is columnar (issue 12: 100,000 runs took 218 MB as objects, 135 MB as one
 * summary object each): a run is a row number, and what ordering, retention and the scheduler
 * need of it is one cell in each of a few typed arrays (times, file place, status), grown by
 * doubling; job ids are interned; the time-ordered lists are growable Int32Arrays of rows.
 * Per run, only its id string and its Map slot are objects. The whole run is held in memory
 * only while it is `running`, not yet durable in the file, or the newest of its job
 * (`lastRun`, asked for every job by each job list); any other is read back from the file.
 */
import type { Run, RunReason } from "../../shared/schemas.js";
import { RUN_STATUSES } from "../../shared/run-statuses.js";
import type { HistoryQuery, RetentionPolicy, RunSummary } from "./run-history.js";
import { waitEndedWords } from "../../shared/wording.js";

/** Reasons whose `scheduledAt` is a slot of the job's trigger (a manual run has none). */
const SLOT_REASONS: ReadonlySet<RunReason> = new Set(["schedule", "catch-up", "retry"]);
const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 50;
const INITIAL_ROWS = 1024;

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

function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(array: T, size: number, make: (size: number) => T): T {
  const bigger = make(size);
  bigger.set(array);
  return bigger;
}

/** A growable list of row numbers. */
class RowList {
  rows = new Int32Array(8);
  length = 0;

  get last(): number {
    return this.length === 0 ? -1 : (this.rows[this.length - 1] as number);
  }

  at(index: number): number {
    return this.rows[index] as number;
  }

  push(row: number): void {
    if (this.length === this.rows.length) this.rows = grown(this.rows, this.rows.length * 2, (size) => new Int32Array(size));
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
  #capacity = INITIAL_ROWS;
  #time = new Float64Array(INITIAL_ROWS);
  /** When it finished (epoch ms; its sort time when it has no end): retention by age. */
  #ended = new Float64Array(INITIAL_ROWS);
  /** The trigger slot it ran for, or NaN: each job's last slot. */
  #slot = new Float64Array(INITIAL_ROWS);
  /** Byte offset of its newest line in the file; -1: not in the file (yet, or at all). */
  #offset = new Float64Array(INITIAL_ROWS);
  #length = new Uint32Array(INITIAL_ROWS);
  /** Order of first appearance: breaks ties between runs with the same time. */
  #seq = new Float64Array(INITIAL_ROWS);
  /** Bumped by every new record of the row: a place found for an older record is not its place. */
  #rev = new Uint32Array(INITIAL_ROWS);
  #running = new Uint8Array(INITIAL_ROWS);
  /** Its status, as an index into RUN_STATUSES: a job's stats read no run back (issue 17). */
  #status = new Uint8Array(INITIAL_ROWS);
  /** How long it ran (ms), NaN when it has no duration: the stats' medians. */
  #duration = new Float64Array(INITIAL_ROWS);
  /** Interned job number. */
  #job = new Int32Array(INITIAL_ROWS);
  #ids: (string | undefined)[] = [];
  #rows = 0;
  #free: number[] = [];

  #byId = new Map<string, number>();
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
    return this.#byId.size;
  }

  /** Jobs with a known last slot (each is one slot line after compaction). */
  get slotCount(): number {
    return this.#lastSlot.size;
  }

  // ---------------------------------------------------------------- loading

  /** Empties the index before a replay (`loadRecord` each record, then `finishLoad`). */
  startLoad(): void {
    this.#byId.clear();
    this.#held.clear();
    this.#byJob.clear();
    this.#all = new RowList();
    this.#lastSlot.clear();
    this.#ids = [];
    this.#rows = 0;
    this.#free = [];
    this.#nextSeq = 0;
  }

  /**
   * One stored record, oldest first (a run's newer record replaces its older one and keeps
   * its first-appearance order). `place` is null when there is no file: the run is held whole.
   */
  loadRecord(run: Run, place: RecordPlace | null): void {
    let row = this.#byId.get(run.id);
    if (row === undefined) {
      row = this.#allocate(run.id);
      this.#seq[row] = this.#nextSeq++;
    }
    this.#setSummary(row, run);
    this.#offset[row] = place?.offset ?? -1;
    this.#length[row] = place?.length ?? 0;
    if (place === null || isOpen(run)) this.#held.set(row, run);
    else this.#held.delete(row);
  }

  /**
   * Sorts what was loaded (one sort instead of 100,000 inserts) and returns the runs left
   * `running`, in order of first appearance.
   */
  finishLoad(slots: Iterable<[string, number]>): Run[] {
    this.#lastSlot = new Map(slots);
    const all = new RowList();
    const running: Run[] = [];
    for (let row = 0; row < this.#rows; row += 1) {
      if (this.#ids[row] === undefined) continue;
      all.push(row);
      this.#noteSlot(row);
      const run = this.#running[row] === 1 ? this.#held.get(row) : undefined;
      if (run) running.push(run);
    }
    const time = this.#time;
    const seq = this.#seq;
    all.rows.subarray(0, all.length).sort((a, b) => (time[a] as number) - (time[b] as number) || (seq[a] as number) - (seq[b] as number));
    for (let index = 0; index < all.length; index += 1) {
      const row = all.at(index);
      this.#listOf(this.#job[row] as number).push(row);
    }
    this.#all = all;
    return running;
  }

  // ---------------------------------------------------------------- changes

  /** Adds a run or replaces the record with the same id; returns its row (held whole until `place`d). */
  upsert(run: Run): number {
    const existing = this.#byId.get(run.id);
    const time = sortTime(run);
    let row: number;
    if (existing !== undefined && this.#jobNames[this.#job[existing] as number] === run.jobId && this.#time[existing] === time) {
      row = existing;
      this.#setSummary(row, run);
    } else {
      if (existing !== undefined) this.#detach(existing);
      row = existing ?? this.#allocate(run.id);
      if (existing === undefined) this.#seq[row] = this.#nextSeq++;
      this.#setSummary(row, run);
      const list = this.#listOf(this.#job[row] as number);
      this.#insertSorted(this.#all, row);
      this.#insertSorted(list, row);
      // The job's previous newest no longer needs to be at hand.
      if (list.last === row && list.length > 1) this.#release(list.at(list.length - 2));
    }
    this.#rev[row] = (this.#rev[row] as number) + 1;
    this.#offset[row] = -1;
    this.#length[row] = 0;
    this.#held.set(row, run);
    this.#noteSlot(row);
    return row;
  }

  /** The row's revision now: pass it back to `place` with where that record was written. */
  revision(row: number): number {
    return this.#rev[row] as number;
  }

  /**
   * Notes where the record of `row` written at revision `rev` now is in the file; ignored
   * when the run has changed (or gone) since: its newer record has its own place coming.
   */
  place(row: number, rev: number, place: RecordPlace): void {
    if (this.#rev[row] !== rev || this.#ids[row] === undefined) return;
    this.#offset[row] = place.offset;
    this.#length[row] = place.length;
    if (this.#byJob.get(this.#job[row] as number)?.last !== row) this.#release(row);
  }

  has(runId: string): boolean {
    return this.#byId.has(runId);
  }

  get(runId: string): Run | null {
    const row = this.#byId.get(runId);
    return row === undefined ? null : this.#runOf(row);
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
      const duration = this.#duration[row] as number;
      summaries.push({
        runId: this.#ids[row] as string,
        status: RUN_STATUSES[this.#status[row] as number]!,
        at: this.#time[row] as number,
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
      for (let index = 0; index < list.length; index += 1) kept += this.#running[list.at(index)] as number;
      for (let index = list.length - 1; index >= 0; index -= 1) {
        const row = list.at(index);
        if (this.#running[row] === 1) continue;
        if (kept >= policy.maxRunsPerJob || (this.#ended[row] as number) < cutoff) removed.push(row);
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
    const rows = Array.from(this.#byId.values()).sort((a, b) => (this.#seq[a] as number) - (this.#seq[b] as number));
    return rows.map((row) => {
      const offset = this.#offset[row] as number;
      return { row, rev: this.#rev[row] as number, offset, length: this.#length[row] as number, run: offset < 0 ? (this.#held.get(row) ?? null) : null };
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
    this.#ids[row] = id;
    this.#byId.set(id, row);
    return row;
  }

  #grow(): void {
    const size = this.#capacity * 2;
    const f64 = (n: number) => new Float64Array(n);
    this.#time = grown(this.#time, size, f64);
    this.#ended = grown(this.#ended, size, f64);
    this.#slot = grown(this.#slot, size, f64);
    this.#offset = grown(this.#offset, size, f64);
    this.#seq = grown(this.#seq, size, f64);
    this.#length = grown(this.#length, size, (n) => new Uint32Array(n));
    this.#rev = grown(this.#rev, size, (n) => new Uint32Array(n));
    this.#running = grown(this.#running, size, (n) => new Uint8Array(n));
    this.#status = grown(this.#status, size, (n) => new Uint8Array(n));
    this.#duration = grown(this.#duration, size, f64);
    this.#job = grown(this.#job, size, (n) => new Int32Array(n));
    this.#capacity = size;
  }

  #setSummary(row: number, run: Run): void {
    const time = sortTime(run);
    this.#time[row] = time;
    this.#ended[row] = run.endedAt === null ? time : Date.parse(run.endedAt) || time;
    this.#slot[row] = slotOf(run);
    this.#running[row] = isOpen(run) ? 1 : 0;
    this.#status[row] = Math.max(0, RUN_STATUSES.indexOf(run.status));
    this.#duration[row] = run.durationMs ?? NaN;
    this.#job[row] = this.#intern(run.jobId);
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
    const timeA = this.#time[a] as number;
    const timeB = this.#time[b] as number;
    return timeA < timeB || (timeA === timeB && (this.#seq[a] as number) < (this.#seq[b] as number));
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
    const list = this.#byJob.get(this.#job[row] as number);
    if (list) this.#removeSorted(list, row);
  }

  /** Lets go of a run that can be read back: in the file and finished. */
  #release(row: number): void {
    if ((this.#offset[row] as number) >= 0 && this.#running[row] === 0) this.#held.delete(row);
  }

  #runOf(row: number): Run {
    return this.#held.get(row) ?? this.#readBack(row);
  }

  #readBack(row: number): Run {
    return this.read(this.#ids[row] as string, { offset: this.#offset[row] as number, length: this.#length[row] as number });
  }

  #noteSlot(row: number): void {
    const slot = this.#slot[row] as number;
    if (!Number.isNaN(slot)) this.markScheduled(this.#jobNames[this.#job[row] as number] as string, slot);
  }

  /** Frees rows (reused by later runs) and returns their ids. */
  #removeRows(rows: readonly number[]): string[] {
    if (rows.length === 0) return [];
    const gone = new Uint8Array(this.#rows);
    const ids: string[] = [];
    for (const row of rows) {
      const id = this.#ids[row];
      if (id === undefined || gone[row] === 1) continue;
      gone[row] = 1;
      ids.push(id);
      this.#byId.delete(id);
      this.#held.delete(row);
      this.#ids[row] = undefined;
      this.#rev[row] = (this.#rev[row] as number) + 1; // a place still coming for it is ignored
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
