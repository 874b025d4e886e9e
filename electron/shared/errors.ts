/**
 * Error classes shared by every side. Each has a `name` (so it survives a trip over
 * IPC/HTTP as `{ name, message }`) and a message built from the id it concerns.
 */

/** One problem with one field of an input, e.g. `{ field: "trigger.expression", message: "…" }`. */
export interface FieldIssue {
  field: string;
  message: string;
}

export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join("\n"));
  }
}

export class JobNotFoundError extends Error {
  override name = "JobNotFoundError";
  constructor(readonly ref: string) {
    super(`No job with id or name "${ref}"`);
  }
}

export class AmbiguousJobError extends Error {
  override name = "AmbiguousJobError";
  constructor(readonly ref: string, readonly ids: string[]) {
    super(`"${ref}" names ${ids.length} jobs (${ids.join(", ")}); use the job id`);
  }
}

export class RunNotFoundError extends Error {
  override name = "RunNotFoundError";
  constructor(readonly runId: string) {
    super(`No run with id "${runId}"`);
  }
}

/** The job store could not be read; the file is kept untouched. */
export class StoreCorruptError extends Error {
  override name = "StoreCorruptError";
  constructor(readonly file: string, readonly problem: string) {
    super(`Cannot use ${file}: ${problem}. The file was left untouched; fix or move it away, then start again.`);
  }
}

/** A write to the store failed (disk full, permissions); the previous file is intact. */
export class StoreWriteError extends Error {
  override name = "StoreWriteError";
  constructor(readonly file: string, readonly problem: string) {
    super(`Could not save ${file}: ${problem}. The previous version is intact.`);
  }
}

/** Another engine already owns this home folder. */
export class EngineLockedError extends Error {
  override name = "EngineLockedError";
  constructor(readonly home: string, readonly pid: number | null) {
    super(`Sundial is already running on ${home}${pid ? ` (pid ${pid})` : ""}`);
  }
}

export class RunNotActiveError extends Error {
  override name = "RunNotActiveError";
  constructor(readonly runId: string) {
    super(`Run "${runId}" is not running`);
  }
}

/** A manual run was refused because the job is already running and its overlap policy forbids another. */
export class JobBusyError extends Error {
  override name = "JobBusyError";
  constructor(readonly jobName: string) {
    super(`"${jobName}" is already running (its overlap policy does not allow another run now)`);
  }
}
