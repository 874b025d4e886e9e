import type { Job, Settings } from "../../shared/schemas.js";

/** The persisted contents of `jobs.json`. */
export interface JobsFile {
  /** Schema version of this file; bumped with migrations. */
  version: 1;
  settings: Settings;
  jobs: Job[];
}

/**
 * Job definitions and settings. Loaded once at start; every change goes through `update`,
 * which applies it in memory at once and persists it durably (writes may be coalesced,
 * `flush` waits for them).
 */
export interface JobStore {
  /** Reads the file; throws StoreCorruptError (file kept untouched) when it cannot be used. */
  load(): Promise<JobsFile>;
  /** Current in-memory contents (after load). */
  readonly data: JobsFile;
  /**
   * Applies `change` to the in-memory data and resolves when it is durably on disk
   * (throws StoreWriteError when the write fails; the previous file stays intact and the
   * in-memory change is rolled back).
   */
  update(change: (data: JobsFile) => void): Promise<void>;
  /** Waits for pending writes. */
  flush(): Promise<void>;
}
