/**
 * What every RunHistory answers from memory: the queries over a RunIndex, and how an opened
 * history turns runs a dead process left `running` into `interrupted`. JsonlRunHistory adds
 * the file; MemoryRunHistory is the stand-in for tests. One home for both.
 */
import type { Run } from "../../shared/schemas.js";
import type { HistoryQuery } from "./run-history.js";
import { asInterrupted, type IndexedRun, RunIndex } from "./run-index.js";

export abstract class IndexedRunHistory {
  protected readonly index = new RunIndex((entry) => this.readStored(entry));

  /** Reads back a run the index does not hold whole; only a file-backed history lets go of runs. */
  protected readStored(entry: IndexedRun): Run {
    throw new Error(`run ${entry.id} is not in memory`);
  }

  /**
   * Fills the index from what was stored (entries in order of first appearance, each with its
   * newest record); returns the runs now recorded as interrupted.
   */
  protected load(entries: Iterable<IndexedRun>, slots: Iterable<[string, number]>): Run[] {
    const running: Run[] = [];
    const all = function* () {
      for (const entry of entries) {
        if (entry.running && entry.run) running.push(entry.run);
        yield entry;
      }
    };
    this.index.reset(all(), slots);
    return running.map((run) => {
      const updated = asInterrupted(run);
      this.index.upsert(updated);
      return updated;
    });
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
