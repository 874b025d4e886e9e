/**
 * A JobStore without a disk, for scheduler and service tests. Same semantics as
 * JsonJobStore: changes apply at once, a throwing change leaves no trace, and a failing
 * write (simulated with `failWritesWith`) rejects with StoreWriteError and rolls back.
 */
import { StoreWriteError } from "../../shared/errors.js";
import type { JobsFile, JobStore } from "./job-store.js";
import { defaultJobsFile, serializeJobsFile } from "./jobs-file-format.js";

export class MemoryJobStore implements JobStore {
  #data: JobsFile;
  /** What a real store would have on disk: the rollback point. */
  #durableText: string;
  #loaded = false;
  #failure: string | null = null;
  #writeCount = 0;

  /** `initial` plays the part of an existing jobs.json (copied, so the caller's object stays as it is). */
  constructor(
    initial: Partial<JobsFile> = {},
    readonly file = "memory:jobs.json",
  ) {
    this.#durableText = serializeJobsFile({ ...defaultJobsFile(), ...initial });
    this.#data = JSON.parse(this.#durableText) as JobsFile;
  }

  get data(): JobsFile {
    if (!this.#loaded) throw new Error("MemoryJobStore: call load() before reading data");
    return this.#data;
  }

  get writeCount(): number {
    return this.#writeCount;
  }

  /** From now on every write fails with `problem` (e.g. "no space left on device"); null heals it. */
  failWritesWith(problem: string | null): void {
    this.#failure = problem;
  }

  async load(): Promise<JobsFile> {
    this.#data = JSON.parse(this.#durableText) as JobsFile;
    this.#loaded = true;
    return this.#data;
  }

  async update(change: (data: JobsFile) => void): Promise<void> {
    const data = this.data;
    try {
      change(data);
    } catch (error) {
      this.#data = JSON.parse(this.#durableText) as JobsFile;
      throw error;
    }
    // Resolve asynchronously, like a real write, so callers cannot depend on sync completion.
    await Promise.resolve();
    if (this.#failure !== null) {
      this.#data = JSON.parse(this.#durableText) as JobsFile;
      throw new StoreWriteError(this.file, this.#failure);
    }
    this.#durableText = serializeJobsFile(this.#data);
    this.#writeCount += 1;
  }

  async flush(): Promise<void> {}
}
