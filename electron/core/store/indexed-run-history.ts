/**
 * What every RunHistory answers from memory: the queries over a RunIndex, and how an opened
 * history turns runs a dead process left `running` into `interrupted`. JsonlRunHistory adds
 * the file; MemoryRunHistory is the stand-in for tests. One home for both.
 */
import type { Run } from "../../shared/schemas.js";
import type { HistoryQuery } from "./run-history.js";
import { asInterrupted, RunIndex } from "./run-index.js";

export abstract class IndexedRunHistory {
  protected readonly index = new RunIndex();

  /** Fills the index from what was stored; returns the runs now recorded as interrupted. */
  protected load(runs: Iterable<Run>, slots: Iterable<[string, number]>): Run[] {
    const stored = [...runs];
    this.index.reset(stored, slots);
    const interrupted: Run[] = [];
    for (const run of stored) {
      if (run.status !== "running") continue;
      const updated = asInterrupted(run);
      this.index.upsert(updated);
      interrupted.push(updated);
    }
    return interrupted;
  }

  get(runId: string): Run | null {
    return this.index.get(runId);
  }

  list(query?: HistoryQuery): Run[] {
    return this.index.list(query);
  }

  lastRun(jobId: string): Run | null {
    return this.index.lastRun(jobId);
  }

  lastScheduledAt(jobId: string): Date | null {
    return this.index.lastScheduledAt(jobId);
  }

  jobIds(): string[] {
    return this.index.jobIds();
  }
}
