/**
 * Error classes shared by every side, and the one table (ERROR_KINDS) that says how each is
 * treated: its HTTP status, the ids it carries over the wire, how a client rebuilds it, and
 * the CLI's exit code. Each class has a `name` (so it survives a trip over IPC/HTTP) and a
 * message built from the ids it concerns, which it keeps as fields: no face parses an id back
 * out of a message. No Node or DOM imports: the renderer bundles this file.
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

/**
 * A name another job holds, worded once for the service, the scheduler and import (issue 13,
 * item 11): the message names the job, not its internal id, on every face (the CLI prints
 * `NAME: a job named "backup" already exists`, the editor 'A job named "backup" already exists').
 */
export function nameTakenIssue(field: string, name: string): FieldIssue {
  return { field, message: `a job named "${name}" already exists` };
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

/**
 * The home folder, or a file in it, could be changed by someone else: another user owns it, or
 * group or others can write it. Refused at start, as ssh refuses a loose `~/.ssh` (another
 * local user could plant a job or a listener on the control socket). `path` is the culprit.
 */
export class HomeNotPrivateError extends Error {
  override name = "HomeNotPrivateError";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

/** A file the engine needs could not be written (disk full, permissions); names the file. */
export class FileWriteError extends Error {
  override name = "FileWriteError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`Could not write ${file}: ${problem}`);
  }
}

/** Another engine already owns this home folder. */
export class EngineLockedError extends Error {
  override name = "EngineLockedError";
  constructor(readonly home: string, readonly pid: number | null) {
    super(`Sundial is already running on ${home}${pid ? ` (pid ${pid})` : ""}`);
  }
}

/** A run that is not going on (it ended, or never started); `status` is its status when known. */
export class RunNotActiveError extends Error {
  override name = "RunNotActiveError";
  constructor(
    readonly runId: string,
    readonly status?: string,
  ) {
    super(`Run "${runId}" is not running${status ? ` (its status: ${status.replace("_", " ")})` : ""}`);
  }
}

/** A manual run was refused because the job is already running and its overlap policy forbids another. */
export class JobBusyError extends Error {
  override name = "JobBusyError";
  constructor(readonly jobName: string) {
    super(`"${jobName}" is already running (its overlap policy does not allow another run now)`);
  }
}

/**
 * Pause was asked of a job whose schedule has no runs left (a one-off job that ran, an
 * interval past its end): there is nothing to pause; a new time in its schedule re-arms it.
 */
export class JobFinishedError extends Error {
  override name = "JobFinishedError";
  constructor(readonly jobName: string) {
    super(`"${jobName}" has finished: its schedule has no runs left, so there is nothing to pause (edit its schedule to run it again)`);
  }
}

/** Bad command-line input: each problem is one line naming the option. Nothing was changed. */
export class CliInputError extends Error {
  override name = "CliInputError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** A request the transport itself refuses (malformed, too large, wrong route); `status` is its HTTP status. */
export class ApiRequestError extends Error {
  override name = "ApiRequestError";
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The host is up but its engine is still opening its stores, or already stopping. */
export class EngineUnavailableError extends Error {
  override name = "EngineUnavailableError";
  constructor(message = "Sundial is starting or stopping; try again in a moment") {
    super(message);
  }
}

/** No engine listens on the home: says, in one line, how to start one. */
export class EngineNotRunningError extends Error {
  override name = "EngineNotRunningError";
  constructor(
    readonly home: string,
    readonly homeGiven: boolean,
  ) {
    super(`Sundial is not running on ${home}. Start the desktop app or run: sundial daemon${homeGiven ? ` --home ${shellWord(home)}` : ""}`);
  }
}

/**
 * The engine that answered is older than this client: it speaks a job format from before a
 * change of it (e.g. one `trigger` where jobs now have a list of `triggers`), as after an
 * upgrade while the daemon kept running. Says how to get out of it.
 */
export class EngineOutdatedError extends Error {
  override name = "EngineOutdatedError";
  constructor(readonly pid: number | null) {
    super(`The running Sundial engine${pid === null ? "" : ` (pid ${pid})`} is older than this sundial command: restart it (quit the desktop app and open it again, or stop sundial daemon and start it again)`);
  }
}

/**
 * The control socket is not one only this user could have made: something else sits at its
 * path, or another user owns it. Nothing was sent to it (a request may carry env values).
 */
export class UntrustedSocketError extends Error {
  override name = "UntrustedSocketError";
  constructor(
    readonly socketPath: string,
    readonly problem: string,
  ) {
    super(`${socketPath} ${problem}; nothing was sent to it.`);
  }
}

/** The engine went away in the middle of a request or stream. */
export class ConnectionLostError extends Error {
  override name = "ConnectionLostError";
  constructor(readonly home: string) {
    super(`Lost the connection to Sundial on ${home} (it stopped or crashed)`);
  }
}

/** Any other error, as a client sees it: a name and a message, nothing more. */
export class RemoteError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Quotes a path for the "run: sundial daemon --home …" hint when it needs it. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

// ---------------------------------------------------------------- the table

/** An id an error carries on the wire, beside its name and message. */
export type ErrorDetail = string | number | boolean | null | readonly string[];
export type ErrorDetails = Readonly<Record<string, ErrorDetail>>;

/**
 * How the CLI ends on an error (DESIGN.md: 1 failed, 2 bad input and nothing changed):
 * `badInput` is for what the user typed or set up (a field, a home another user could change).
 */
export type ErrorExit = "failed" | "badInput";

/** How every face treats one error class. */
export interface ErrorKind<E extends Error = Error> {
  readonly type: abstract new (...args: never[]) => E;
  /** The HTTP status of an API answer carrying it. Absent: only a client raises it, it never crosses the API. */
  readonly status?: number;
  readonly exit: ErrorExit;
  /** The ids it is built from, as they travel (absent: it has none). */
  readonly details?: (error: E) => ErrorDetails;
  /** Builds it again on the receiving side from those ids and the sender's message (absent: it never crosses the API). */
  readonly rebuild?: (details: WireDetails, message: string) => E;
}

/** Received details, read defensively: a missing or mistyped id reads as empty. */
export interface WireDetails {
  text(key: string): string;
  number(key: string): number | null;
  list(key: string): string[];
  issues(): FieldIssue[];
}

function kind<E extends Error>(entry: ErrorKind<E>): ErrorKind {
  return entry as unknown as ErrorKind;
}

/** An error built from one id (`new JobNotFoundError(ref)`): that id travels under its field's name. */
function idKind<K extends string, E extends Error & Record<K, string>>(type: new (id: string) => E, status: number, key: K): ErrorKind {
  return kind({
    type,
    status,
    exit: "failed",
    details: (error) => ({ [key]: error[key] }),
    rebuild: (details) => new type(details.text(key)),
  });
}

/** A store or file that could not be read or written: the file and the problem travel, status 500. */
function fileKind<E extends Error & { file: string; problem: string }>(type: new (file: string, problem: string) => E): ErrorKind {
  return kind({
    type,
    status: 500,
    exit: "failed",
    details: (error) => ({ file: error.file, problem: error.problem }),
    rebuild: (details) => new type(details.text("file"), details.text("problem")),
  });
}

/**
 * Every error class Sundial raises on purpose, by `name`. The API's status codes, what goes
 * on the wire, how a client rebuilds it and the CLI's exit code and wording all come from
 * here; an error not listed is unexpected: HTTP 500, `InternalError` on the wire, exit 1 with
 * an "error:" label in the CLI.
 */
export const ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  ValidationError: kind({
    type: ValidationError,
    status: 400,
    exit: "badInput",
    rebuild: (details) => new ValidationError(details.issues()),
  }),
  CliInputError: kind({ type: CliInputError, exit: "badInput" }),
  ApiRequestError: kind({
    type: ApiRequestError,
    status: 400,
    exit: "failed",
    details: (error) => ({ status: error.status }),
    rebuild: (details, message) => new ApiRequestError(message, details.number("status") ?? 400),
  }),
  JobNotFoundError: idKind(JobNotFoundError, 404, "ref"),
  RunNotFoundError: idKind(RunNotFoundError, 404, "runId"),
  AmbiguousJobError: kind({
    type: AmbiguousJobError,
    status: 409,
    exit: "failed",
    details: (error) => ({ ref: error.ref, ids: error.ids }),
    rebuild: (details) => new AmbiguousJobError(details.text("ref"), details.list("ids")),
  }),
  RunNotActiveError: kind({
    type: RunNotActiveError,
    status: 409,
    exit: "failed",
    details: (error) => ({ runId: error.runId, ...(error.status !== undefined ? { status: error.status } : {}) }),
    rebuild: (details) => new RunNotActiveError(details.text("runId"), details.text("status") || undefined),
  }),
  JobBusyError: idKind(JobBusyError, 409, "jobName"),
  JobFinishedError: idKind(JobFinishedError, 409, "jobName"),
  EngineLockedError: kind({
    type: EngineLockedError,
    status: 409,
    exit: "failed",
    details: (error) => ({ home: error.home, pid: error.pid }),
    rebuild: (details) => new EngineLockedError(details.text("home"), details.number("pid")),
  }),
  EngineUnavailableError: kind({
    type: EngineUnavailableError,
    status: 503,
    exit: "failed",
    rebuild: (_details, message) => new EngineUnavailableError(message),
  }),
  StoreCorruptError: fileKind(StoreCorruptError),
  StoreWriteError: fileKind(StoreWriteError),
  FileWriteError: fileKind(FileWriteError),
  // A home another user could change is the user's to fix (like a bad option): nothing was done.
  HomeNotPrivateError: kind({
    type: HomeNotPrivateError,
    status: 500,
    exit: "badInput",
    details: (error) => ({ path: error.path, problem: error.problem }),
    rebuild: (details) => new HomeNotPrivateError(details.text("path"), details.text("problem")),
  }),
  EngineNotRunningError: kind({ type: EngineNotRunningError, exit: "failed" }),
  EngineOutdatedError: kind({ type: EngineOutdatedError, exit: "failed" }),
  UntrustedSocketError: kind({ type: UntrustedSocketError, exit: "failed" }),
  ConnectionLostError: kind({ type: ConnectionLostError, exit: "failed" }),
};

/** The table's entry for a thrown value, or null for an unexpected error. */
export function errorKindOf(error: unknown): ErrorKind | null {
  if (!(error instanceof Error) || !Object.hasOwn(ERROR_KINDS, error.name)) return null;
  const entry = ERROR_KINDS[error.name]!;
  return error instanceof entry.type ? entry : null;
}
