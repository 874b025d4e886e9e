/**
 * The in-memory side of run history, shared by JsonlRunHistory and MemoryRunHistory:
 * runs by id, each job's runs in time order, every run in time order, and the last
 * handled slot per job. Lists are kept oldest → newest so the usual case (a new run is the
 * newest) is an O(1) push, and "the last 50" is a walk from the end.
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

interface Entry {
  run: Run;
  /** Order of first appearance: breaks ties between runs with the same time. */
  seq: number;
  /** Sort time: startedAt, else scheduledAt, else endedAt (epoch ms). */
  time: number;
}

function sortTime(run: Run): number {
  const time = Date.parse(run.startedAt ?? run.scheduledAt ?? run.endedAt ?? "");
  return Number.isNaN(time) ? 0 : time;
}

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Index of the first entry that sorts after `entry`. */
function upperBound(list: Entry[], entry: Entry): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(entry, list[middle] as Entry)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function insertSorted(list: Entry[], entry: Entry): void {
  const last = list[list.length - 1];
  if (!last || before(last, entry)) list.push(entry);
  else list.splice(upperBound(list, entry), 0, entry);
}

function removeSorted(list: Entry[], entry: Entry): void {
  const index = upperBound(list, entry) - 1;
  if (list[index] === entry) list.splice(index, 1);
  else {
    const fallback = list.indexOf(entry); // keys changed under us; never expected
    if (fallback >= 0) list.splice(fallback, 1);
  }
}

export class RunIndex {
  #byId = new Map<string, Entry>();
  #byJob = new Map<string, Entry[]>();
  #all: Entry[] = [];
  #lastSlot = new Map<string, number>();
  #seq = 0;

  get size(): number {
    return this.#byId.size;
  }

  /** Jobs with a known last slot (each is one slot line after compaction). */
  get slotCount(): number {
    return this.#lastSlot.size;
  }

  /** Replaces everything at once (replay): one sort instead of 100,000 inserts. */
  reset(runsInOrder: Iterable<Run>, slots: Iterable<[string, number]>): void {
    this.#byId.clear();
    this.#byJob.clear();
    this.#lastSlot = new Map(slots);
    this.#seq = 0;
    const all: Entry[] = [];
    for (const run of runsInOrder) {
      const entry: Entry = { run, seq: this.#seq++, time: sortTime(run) };
      this.#byId.set(run.id, entry);
      all.push(entry);
      this.#noteSlot(run);
    }
    all.sort((a, b) => a.time - b.time || a.seq - b.seq);
    for (const entry of all) {
      let list = this.#byJob.get(entry.run.jobId);
      if (!list) this.#byJob.set(entry.run.jobId, (list = []));
      list.push(entry);
    }
    this.#all = all;
  }

  /** Adds a run or replaces the record with the same id. */
  upsert(run: Run): void {
    const existing = this.#byId.get(run.id);
    const time = sortTime(run);
    if (existing && existing.run.jobId === run.jobId && existing.time === time) {
      existing.run = run;
    } else {
      if (existing) this.#detach(existing);
      const entry: Entry = { run, seq: existing?.seq ?? this.#seq++, time };
      this.#byId.set(run.id, entry);
      insertSorted(this.#all, entry);
      let list = this.#byJob.get(run.jobId);
      if (!list) this.#byJob.set(run.jobId, (list = []));
      insertSorted(list, entry);
    }
    this.#noteSlot(run);
  }

  get(runId: string): Run | null {
    return this.#byId.get(runId)?.run ?? null;
  }

  /** Newest first; walks from the end, so cost is O(limit) whatever the history size. */
  list(query: HistoryQuery = {}): Run[] {
    const source = query.jobId === undefined ? this.#all : (this.#byJob.get(query.jobId) ?? []);
    const limit = Math.max(0, query.limit ?? DEFAULT_LIMIT);
    const runs: Run[] = [];
    for (let index = source.length - 1; index >= 0 && runs.length < limit; index -= 1) {
      runs.push((source[index] as Entry).run);
    }
    return runs;
  }

  lastRun(jobId: string): Run | null {
    const list = this.#byJob.get(jobId);
    return list?.[list.length - 1]?.run ?? null;
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
      let kept = list.filter((entry) => entry.run.status === "running").length;
      for (let index = list.length - 1; index >= 0; index -= 1) {
        const { run, time } = list[index] as Entry;
        if (run.status === "running") continue;
        const ended = run.endedAt === null ? time : Date.parse(run.endedAt) || time;
        if (kept >= policy.maxRunsPerJob || ended < cutoff) removed.push(run.id);
        else kept += 1;
      }
    }
    this.#removeIds(removed);
    return removed;
  }

  /** Removes a job's runs and its last slot; returns the run ids. */
  removeJob(jobId: string): string[] {
    const ids = (this.#byJob.get(jobId) ?? []).map((entry) => entry.run.id);
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

  /** Runs in order of first appearance: a compacted file replays to the same tie order. */
  runsInRecordOrder(): Run[] {
    return [...this.#byId.values()].sort((a, b) => a.seq - b.seq).map((entry) => entry.run);
  }

  slots(): [string, number][] {
    return [...this.#lastSlot];
  }

  #noteSlot(run: Run): void {
    if (run.scheduledAt === null || !SLOT_REASONS.has(run.reason)) return;
    const slot = Date.parse(run.scheduledAt);
    if (!Number.isNaN(slot)) this.markScheduled(run.jobId, slot);
  }

  #detach(entry: Entry): void {
    removeSorted(this.#all, entry);
    const list = this.#byJob.get(entry.run.jobId);
    if (list) removeSorted(list, entry);
  }

  #removeIds(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set<Entry>();
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
