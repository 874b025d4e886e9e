/**
 * The in-memory side of run history, shared by JsonlRunHistory and MemoryRunHistory:
 * runs by id, each job's runs in time order, every run in time order, and the last
 * handled slot per job. Lists are kept oldest → newest so the usual case (a new run is the
 * newest) is an O(1) push, and "the last 50" is a walk from the end.
 *
 * An entry is a compact summary of a run (what ordering, retention and the scheduler need)
 * and, for a file-backed history, where the run's newest record is in the file. The whole run
 * is held in memory only while it is `running`, not yet durable in the file, or the newest
 * of its job (`lastRun`, asked for every job by each job list); any other is read back from
 * the file when asked for (issue 12: 100,000 runs took 218 MB as objects).
 */
import type { Run, RunReason } from "../../shared/schemas.js";
import type { HistoryQuery, RetentionPolicy } from "./run-history.js";

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
  return { ...run, status: "interrupted", endedAt: null, durationMs: null, error: INTERRUPTED_ERROR };
}

/** Where a run's newest record is in the history file: `length` bytes from `offset`, its newline included. */
export interface RecordPlace {
  offset: number;
  length: number;
}

/** One run as the index keeps it. */
export interface IndexedRun {
  readonly id: string;
  jobId: string;
  /** Order of first appearance: breaks ties between runs with the same time. */
  seq: number;
  /** Bumped by every new record of the run: a place found for an older record is not its place. */
  rev: number;
  /** Sort time: startedAt, else scheduledAt, else endedAt (epoch ms). */
  time: number;
  /** When it finished (epoch ms; its sort time when it has no end): retention by age. */
  ended: number;
  running: boolean;
  /** The trigger slot it ran for (epoch ms), or NaN (a manual run): each job's last slot. */
  slot: number;
  /** The whole run, when held in memory (see the file comment); else read from `offset`. */
  run: Run | null;
  /** -1: not in the file (yet, or at all for MemoryRunHistory). */
  offset: number;
  length: number;
}

/** Reads a run back from its place; only called for entries without `run`. */
export type RunReader = (entry: IndexedRun) => Run;

/** The slot of the job's trigger a run was for, or NaN. */
function slotOf(run: Run): number {
  return run.scheduledAt === null || !SLOT_REASONS.has(run.reason) ? NaN : Date.parse(run.scheduledAt);
}

function sortTime(run: Run): number {
  const time = Date.parse(run.startedAt ?? run.scheduledAt ?? run.endedAt ?? "");
  return Number.isNaN(time) ? 0 : time;
}

/**
 * The index entry of a run's record. Without a place (not durable yet, or no file) the run
 * is kept whole; with one, only while it is running.
 */
export function indexedRun(run: Run, place: RecordPlace | null): IndexedRun {
  const time = sortTime(run);
  const running = run.status === "running";
  return {
    id: run.id,
    jobId: run.jobId,
    seq: 0,
    rev: 0,
    time,
    ended: run.endedAt === null ? time : Date.parse(run.endedAt) || time,
    running,
    slot: slotOf(run),
    run: place === null || running ? run : null,
    offset: place?.offset ?? -1,
    length: place?.length ?? 0,
  };
}

function before(a: IndexedRun, b: IndexedRun): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Index of the first entry that sorts after `entry`. */
function upperBound(list: IndexedRun[], entry: IndexedRun): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(entry, list[middle] as IndexedRun)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function insertSorted(list: IndexedRun[], entry: IndexedRun): void {
  const last = list[list.length - 1];
  if (!last || before(last, entry)) list.push(entry);
  else list.splice(upperBound(list, entry), 0, entry);
}

function removeSorted(list: IndexedRun[], entry: IndexedRun): void {
  const index = upperBound(list, entry) - 1;
  if (list[index] === entry) list.splice(index, 1);
  else {
    const fallback = list.indexOf(entry); // keys changed under us; never expected
    if (fallback >= 0) list.splice(fallback, 1);
  }
}

/** Lets go of a run that can be read back: in the file, finished, and not its job's newest. */
function release(entry: IndexedRun | undefined): void {
  if (entry && entry.offset >= 0 && !entry.running) entry.run = null;
}

export class RunIndex {
  #byId = new Map<string, IndexedRun>();
  #byJob = new Map<string, IndexedRun[]>();
  #all: IndexedRun[] = [];
  #lastSlot = new Map<string, number>();
  #seq = 0;

  /** `read` brings back runs that are not held in memory (never called when every run is). */
  constructor(private readonly read: RunReader = (entry) => {
    throw new Error(`run ${entry.id} is not in memory`);
  }) {}

  get size(): number {
    return this.#byId.size;
  }

  /** Jobs with a known last slot (each is one slot line after compaction). */
  get slotCount(): number {
    return this.#lastSlot.size;
  }

  /**
   * Replaces everything at once (replay): one sort instead of 100,000 inserts. `entries`
   * come in order of first appearance, each with its newest record.
   */
  reset(entries: Iterable<IndexedRun>, slots: Iterable<[string, number]>): void {
    this.#byId.clear();
    this.#byJob.clear();
    this.#lastSlot = new Map(slots);
    this.#seq = 0;
    const all: IndexedRun[] = [];
    for (const entry of entries) {
      entry.seq = this.#seq++;
      this.#byId.set(entry.id, entry);
      all.push(entry);
      this.#noteSlot(entry);
    }
    all.sort((a, b) => a.time - b.time || a.seq - b.seq);
    for (const entry of all) {
      let list = this.#byJob.get(entry.jobId);
      if (!list) this.#byJob.set(entry.jobId, (list = []));
      else entry.jobId = (list[0] as IndexedRun).jobId; // one string per job, not one per line
      list.push(entry);
    }
    this.#all = all;
  }

  /** Adds a run or replaces the record with the same id; returns its entry (held whole until `place`d). */
  upsert(run: Run): IndexedRun {
    const existing = this.#byId.get(run.id);
    const fresh = indexedRun(run, null);
    let entry: IndexedRun;
    if (existing && existing.jobId === run.jobId && existing.time === fresh.time) {
      entry = Object.assign(existing, { ended: fresh.ended, running: fresh.running, slot: fresh.slot, run, offset: -1, length: 0, rev: existing.rev + 1 });
    } else {
      if (existing) this.#detach(existing);
      entry = Object.assign(fresh, { seq: existing?.seq ?? this.#seq++, rev: (existing?.rev ?? 0) + 1 });
      this.#byId.set(run.id, entry);
      insertSorted(this.#all, entry);
      let list = this.#byJob.get(run.jobId);
      if (!list) this.#byJob.set(run.jobId, (list = []));
      insertSorted(list, entry);
      // The job's previous newest no longer needs to be at hand.
      if (list[list.length - 1] === entry) release(list[list.length - 2]);
    }
    this.#noteSlot(entry);
    return entry;
  }

  /**
   * Notes where the record of `entry` written at revision `rev` now is in the file; ignored
   * when the run has changed since (its newer record has its own place coming).
   */
  place(entry: IndexedRun, rev: number, place: RecordPlace): void {
    if (entry.rev !== rev) return;
    entry.offset = place.offset;
    entry.length = place.length;
    const list = this.#byJob.get(entry.jobId);
    if (list?.[list.length - 1] !== entry) release(entry);
  }

  has(runId: string): boolean {
    return this.#byId.has(runId);
  }

  get(runId: string): Run | null {
    const entry = this.#byId.get(runId);
    return entry ? this.#runOf(entry) : null;
  }

  /** Newest first; walks from the end, so cost is O(limit) whatever the history size. */
  list(query: HistoryQuery = {}): Run[] {
    const source = query.jobId === undefined ? this.#all : (this.#byJob.get(query.jobId) ?? []);
    const limit = Math.max(0, query.limit ?? DEFAULT_LIMIT);
    const runs: Run[] = [];
    for (let index = source.length - 1; index >= 0 && runs.length < limit; index -= 1) {
      runs.push(this.#runOf(source[index] as IndexedRun));
    }
    return runs;
  }

  /** The job's newest run, kept at hand once asked for: every job list asks it of every job. */
  lastRun(jobId: string): Run | null {
    const list = this.#byJob.get(jobId);
    const entry = list?.[list.length - 1];
    if (!entry) return null;
    return (entry.run ??= this.read(entry));
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
    const removed: string[] = [];
    for (const list of this.#byJob.values()) {
      // Running runs cannot go, so they take their places first: the total stays within the cap.
      let kept = list.filter((entry) => entry.running).length;
      for (let index = list.length - 1; index >= 0; index -= 1) {
        const entry = list[index] as IndexedRun;
        if (entry.running) continue;
        if (kept >= policy.maxRunsPerJob || entry.ended < cutoff) removed.push(entry.id);
        else kept += 1;
      }
    }
    this.#removeIds(removed);
    return removed;
  }

  /** Removes a job's runs and its last slot; returns the run ids. */
  removeJob(jobId: string): string[] {
    const ids = (this.#byJob.get(jobId) ?? []).map((entry) => entry.id);
    this.#removeIds(ids);
    this.#byJob.delete(jobId);
    this.#lastSlot.delete(jobId);
    return ids;
  }

  /** Forgets a job's last slot and keeps its runs; returns whether there was one. */
  forgetSlot(jobId: string): boolean {
    return this.#lastSlot.delete(jobId);
  }

  /** Every job id with runs. */
  jobIds(): string[] {
    return [...this.#byJob.keys()];
  }

  /** Entries in order of first appearance: a compacted file replays to the same tie order. */
  entriesInRecordOrder(): IndexedRun[] {
    return [...this.#byId.values()].sort((a, b) => a.seq - b.seq);
  }

  slots(): [string, number][] {
    return [...this.#lastSlot];
  }

  #runOf(entry: IndexedRun): Run {
    return entry.run ?? this.read(entry);
  }

  #noteSlot(entry: IndexedRun): void {
    if (!Number.isNaN(entry.slot)) this.markScheduled(entry.jobId, entry.slot);
  }

  #detach(entry: IndexedRun): void {
    removeSorted(this.#all, entry);
    const list = this.#byJob.get(entry.jobId);
    if (list) removeSorted(list, entry);
  }

  #removeIds(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set<IndexedRun>();
    for (const id of ids) {
      const entry = this.#byId.get(id);
      if (!entry) continue;
      gone.add(entry);
      this.#byId.delete(id);
    }
    this.#all = this.#all.filter((entry) => !gone.has(entry));
    for (const [jobId, list] of this.#byJob) {
      const kept = list.filter((entry) => !gone.has(entry));
      if (kept.length > 0) this.#byJob.set(jobId, kept);
      else this.#byJob.delete(jobId);
    }
  }
}
