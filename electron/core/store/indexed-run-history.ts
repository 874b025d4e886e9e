/**
 * What every RunHistory answers from memory: the queries over a RunIndex, and how an opened
 * history turns runs a dead process left `running` into `interrupted`. JsonlRunHistory adds
 * the file; MemoryRunHistory is the stand-in for tests. One home for both.
 */
import type { Run } from "../../shared/schemas.js";
import type { HistoryQuery, RunSummary } from "./run-history.js";
import { asInterrupted, type RecordPlace, RunIndex } from "./run-index.js";

export abstract class IndexedRunHistory {
  protected readonly index = new RunIndex((runId, place) => this.readStored(runId, place));

  /** Reads back a run the index does not hold whole; only a file-backed history lets go of runs. */
  protected readStored(runId: string, _place: RecordPlace): Run {
    throw new Error(`run ${runId} is not in memory`);
  }

  /**
   * Ends a load: the stored records were given to `index.loadRecord` (after `startLoad`),
   * oldest first. Returns the runs now recorded as interrupted.
   */
  protected load(slots: Iterable<[string, number]>): Run[] {
    const running = this.index.finishLoad(slots);
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

  summaries(jobId: string): RunSummary[] {
    return this.index.summaries(jobId);
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
