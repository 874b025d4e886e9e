/**
 * A RunHistory without a disk, for scheduler and service tests. Same indexes and retention
 * as JsonlRunHistory; `open` turns runs left `running` (seeded through the constructor, as
 * a crashed process would leave them) into `interrupted`.
 */
import type { Run } from "../../shared/schemas.js";
import type { HistoryQuery, RetentionPolicy, RunHistory } from "./run-history.js";
import { asInterrupted, RunIndex } from "./run-index.js";

export class MemoryRunHistory implements RunHistory {
  readonly warnings: string[] = [];
  readonly #index = new RunIndex();
  readonly #seed: Run[];
  readonly #seedSlots: [string, number][];

  /** `runs` and `slots` play the part of an existing history file. */
  constructor(runs: Run[] = [], slots: Record<string, Date> = {}) {
    this.#seed = runs.map((run) => ({ ...run }));
    this.#seedSlots = Object.entries(slots).map(([jobId, at]) => [jobId, at.getTime()]);
  }

  async open(_now: Date): Promise<Run[]> {
    this.#index.reset(this.#seed, this.#seedSlots);
    const interrupted: Run[] = [];
    for (const run of this.#seed) {
      if (run.status !== "running") continue;
      const updated = asInterrupted(run);
      this.#index.upsert(updated);
      interrupted.push(updated);
    }
    return interrupted;
  }

  async record(run: Run): Promise<void> {
    this.#index.upsert({ ...run });
  }

  get(runId: string): Run | null {
    return this.#index.get(runId);
  }

  list(query?: HistoryQuery): Run[] {
    return this.#index.list(query);
  }

  lastRun(jobId: string): Run | null {
    return this.#index.lastRun(jobId);
  }

  lastScheduledAt(jobId: string): Date | null {
    return this.#index.lastScheduledAt(jobId);
  }

  async markScheduled(jobId: string, slot: Date): Promise<void> {
    this.#index.markScheduled(jobId, slot.getTime());
  }

  async prune(policy: RetentionPolicy, now: Date): Promise<string[]> {
    return this.#index.prune(policy, now);
  }

  async forgetJob(jobId: string): Promise<string[]> {
    return this.#index.removeJob(jobId);
  }

  async close(): Promise<void> {}
}
