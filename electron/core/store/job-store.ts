import type { Job, Settings } from "../../shared/schemas.js";

/** The persisted contents of `jobs.json`. */
export interface JobsFile {
  /** Schema version of this file; bumped with migrations. */
  version: 2;
  settings: Settings;
  jobs: Job[];
}

/**
 * Which jobs a change touches: the ids it adds, replaces or removes. With it a store may
 * persist just those (an append) instead of the whole file. A change that edits a job object
 * in place, or touches jobs it does not list, must not give one.
 */
export interface UpdateScope {
  readonly jobIds: readonly string[];
}

/**
 * Job definitions and settings. Loaded once at start; every change goes through `update`,
 * which applies it in memory at once and persists it durably (writes may be coalesced,
 * `flush` waits for them).
 *
 * Implementations: JsonJobStore (jobs.json via lowdb), MemoryJobStore (tests).
 */
export interface JobStore {
  /**
   * Reads the file (a missing file becomes the defaults and is created); throws
   * StoreCorruptError (file kept untouched) when it cannot be used.
   */
  load(): Promise<JobsFile>;
  /**
   * Current in-memory contents (after load). Read it afresh after an await: a rollback
   * replaces the object, so references kept from before may be stale.
   */
  readonly data: JobsFile;
  /**
   * Applies `change` to the in-memory data and resolves when it is durably on disk.
   * - `change` throws → the update rejects with that error and leaves no trace in memory
   *   (throw before mutating where you can: undoing a partial change reloads memory).
   * - the write fails → rejects with StoreWriteError; the previous file stays intact and
   *   memory rolls back to it. Updates queued behind the failed write reject too (they were
   *   made on top of it); later updates are written normally.
   * - `scope` (optional) names the jobs `change` adds, replaces or removes; settings are
   *   always compared. Leave it out when in doubt: the whole store is written.
   */
  update(change: (data: JobsFile) => void, scope?: UpdateScope): Promise<void>;
  /** Waits for pending writes (never rejects; failures are reported by `update` or logged). */
  flush(): Promise<void>;
}
