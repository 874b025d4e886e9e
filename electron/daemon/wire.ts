/**
 * How errors cross the HTTP API: thrown classes become `SerializedError` objects with an
 * HTTP status, and the client rebuilds the same classes so callers can use `instanceof`.
 * Server and client both import this file, so the two sides cannot drift apart.
 */
import { METHOD_ARGUMENTS, type SchedulerMethod, type SerializedError } from "../shared/contract.js";
import {
  AmbiguousJobError,
  EngineLockedError,
  JobBusyError,
  JobNotFoundError,
  RunNotActiveError,
  RunNotFoundError,
  StoreCorruptError,
  StoreWriteError,
  ValidationError,
  type FieldIssue,
} from "../shared/errors.js";

/** Errors that are not part of the engine but of the transport itself. */
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

/** Any other error, as the client sees it: a name and a message, nothing more. */
export class RemoteError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const STATUS_BY_NAME: Record<string, number> = {
  ValidationError: 400,
  ApiRequestError: 400,
  JobNotFoundError: 404,
  RunNotFoundError: 404,
  AmbiguousJobError: 409,
  RunNotActiveError: 409,
  JobBusyError: 409,
  EngineLockedError: 409,
  EngineUnavailableError: 503,
};

/** The HTTP status a thrown error maps to; anything unexpected is a 500. */
export function statusForError(error: unknown): number {
  if (error instanceof ApiRequestError) return error.status;
  const name = error instanceof Error ? error.name : "";
  return STATUS_BY_NAME[name] ?? 500;
}

/**
 * Only name, message and issues leave the process: a stack trace tells a client nothing it
 * can act on and leaks paths. Errors we do not know keep their message (it is usually the
 * useful part, e.g. "EACCES: permission denied, open …") under the name `InternalError`.
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof ValidationError) {
    return { name: error.name, message: error.message, issues: error.issues.map(({ field, message }) => ({ field, message })) };
  }
  if (error instanceof Error) {
    const known = error.name in STATUS_BY_NAME || error.name === "StoreWriteError" || error.name === "StoreCorruptError";
    return { name: known ? error.name : "InternalError", message: error.message };
  }
  return { name: "InternalError", message: String(error) };
}

/**
 * Rebuilds a thrown class from its serialized form. The classes' constructors build their
 * messages from ids, so the server's message is restored afterwards: it is the one the
 * engine actually produced.
 */
export function deserializeError(serialized: SerializedError): Error {
  const { name, message } = serialized;
  let error: Error;
  switch (name) {
    case "ValidationError":
      error = new ValidationError(normalizeIssues(serialized.issues));
      break;
    case "JobNotFoundError":
      error = new JobNotFoundError(quotedRef(message));
      break;
    case "AmbiguousJobError":
      error = new AmbiguousJobError(quotedRef(message), []);
      break;
    case "RunNotFoundError":
      error = new RunNotFoundError(quotedRef(message));
      break;
    case "JobBusyError":
      error = new JobBusyError(quotedRef(message));
      break;
    case "RunNotActiveError":
      error = new RunNotActiveError(quotedRef(message));
      break;
    case "StoreWriteError":
      error = new StoreWriteError("", message);
      break;
    case "StoreCorruptError":
      error = new StoreCorruptError("", message);
      break;
    case "EngineLockedError":
      error = new EngineLockedError("", null);
      break;
    case "EngineUnavailableError":
      error = new EngineUnavailableError(message);
      break;
    case "ApiRequestError":
      error = new ApiRequestError(message);
      break;
    default:
      error = new RemoteError(name || "InternalError", message);
  }
  error.message = message;
  return error;
}

function normalizeIssues(issues: SerializedError["issues"]): FieldIssue[] {
  return Array.isArray(issues) ? issues.map((issue) => ({ field: String(issue.field), message: String(issue.message) })) : [];
}

/** The first quoted id in a message, e.g. `No job with id or name "backup"` → `backup`. */
function quotedRef(message: string): string {
  return /"([^"]*)"/.exec(message)?.[1] ?? "";
}

/**
 * Checks a call's argument shapes against the contract (METHOD_ARGUMENTS) before it reaches
 * the service, for every transport (HTTP, IPC): a malformed request is refused as such.
 * Trailing undefined arguments are absent ones (`history()` vs `history(undefined)`).
 */
export function checkArguments(method: SchedulerMethod, args: unknown[]): void {
  while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1);
  const kinds = METHOD_ARGUMENTS[method];
  if (args.length > kinds.length) throw new ApiRequestError(`${method} takes at most ${kinds.length} argument(s), got ${args.length}`);
  kinds.forEach((kind, index) => {
    const value = args[index];
    if (value === undefined || value === null) {
      if (!kind.endsWith("?")) throw new ApiRequestError(`${method}: argument ${index + 1} is required`);
      return;
    }
    const wanted = kind.replace("?", "");
    const actual = Array.isArray(value) ? "array" : typeof value;
    if (actual !== wanted) throw new ApiRequestError(`${method}: argument ${index + 1} must be a ${wanted}, got ${actual}`);
  });
}
