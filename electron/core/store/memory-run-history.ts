/**
 * A RunHistory without a disk, for scheduler and service tests. Same indexes and retention
 * as JsonlRunHistory; `open` turns runs left `running` (seeded through the constructor, as
 * a crashed process would leave them) into `interrupted`.
 */
import type { Run } from "../../shared/schemas.js";
import { IndexedRunHistory } from "./indexed-run-history.js";
import type { RetentionPolicy, RunHistory } from "./run-history.js";

export class MemoryRunHistory extends IndexedRunHistory implements RunHistory {
  readonly warnings: string[] = [];
  readonly #seed: Run[];
  readonly #seedSlots: [string, number][];

  /** `runs` and `slots` play the part of an existing history file. */
  constructor(runs: Run[] = [], slots: Record<string, Date> = {}) {
    super();
    this.#seed = runs.map((run) => ({ ...run }));
    this.#seedSlots = Object.entries(slots).map(([jobId, at]) => [jobId, at.getTime()]);
  }

  async open(_now: Date): Promise<Run[]> {
    this.index.startLoad();
    for (const run of this.#seed) this.index.loadRecord(run, null);
    return this.load(this.#seedSlots);
  }

  async record(run: Run): Promise<void> {
    this.index.upsert({ ...run });
  }

  async markScheduled(jobId: string, slot: Date): Promise<void> {
    this.index.markScheduled(jobId, slot.getTime());
  }

  async prune(policy: RetentionPolicy, now: Date): Promise<string[]> {
    return this.index.prune(policy, now);
  }

  async forgetJob(jobId: string, options: { keepRuns?: boolean } = {}): Promise<string[]> {
    if (options.keepRuns) {
      this.index.forgetSlot(jobId);
      return [];
    }
    return this.index.removeJob(jobId);
  }

  async close(): Promise<void> {}
}
