/**
 * How errors cross the HTTP API and IPC: thrown classes become `SerializedError` objects with
 * an HTTP status, and the receiving side rebuilds the same classes so callers can use
 * `instanceof`. Both sides read the one table of error classes (ERROR_KINDS in errors.ts), so
 * they cannot drift apart.
 */
import { METHOD_ARGUMENTS, type SchedulerMethod, type SerializedError } from "./contract.js";
import { ApiRequestError, errorKindOf, ERROR_KINDS, RemoteError, ValidationError, type ErrorDetails, type FieldIssue, type WireDetails } from "./errors.js";

/** The HTTP status a thrown error maps to; anything unexpected is a 500. */
export function statusForError(error: unknown): number {
  if (error instanceof ApiRequestError) return error.status;
  return errorKindOf(error)?.status ?? 500;
}

/**
 * Only name, message, the ids the error was built from (`details`) and a ValidationError's
 * issues leave the process: a stack trace tells a client nothing it can act on and leaks
 * paths. Errors we do not know keep their message (it is usually the useful part, e.g.
 * "EACCES: permission denied, open …") under the name `InternalError`.
 */
export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "InternalError", message: String(error) };
  const kind = errorKindOf(error);
  if (!kind) return { name: "InternalError", message: error.message };
  const serialized: SerializedError = { name: error.name, message: error.message };
  if (error instanceof ValidationError) serialized.issues = error.issues.map(({ field, message }) => ({ field, message }));
  const details = kind.details?.(error);
  if (details) serialized.details = details;
  return serialized;
}

/**
 * Rebuilds a thrown class from its serialized form, from the ids it carries. The server's
 * message is restored afterwards: it is the one the engine actually produced.
 */
export function deserializeError(serialized: SerializedError): Error {
  const { name, message } = serialized;
  const rebuild = Object.hasOwn(ERROR_KINDS, name) ? ERROR_KINDS[name]!.rebuild : undefined;
  const error = rebuild ? rebuild(wireDetails(serialized), message) : new RemoteError(name || "InternalError", message);
  error.message = message;
  return error;
}

function wireDetails(serialized: SerializedError): WireDetails {
  const details: ErrorDetails = serialized.details && typeof serialized.details === "object" ? serialized.details : {};
  return {
    text: (key) => (typeof details[key] === "string" ? details[key] : ""),
    number: (key) => (typeof details[key] === "number" ? details[key] : null),
    list: (key) => {
      const value = details[key];
      return Array.isArray(value) ? value.map(String) : [];
    },
    issues: () => normalizeIssues(serialized.issues),
  };
}

function normalizeIssues(issues: SerializedError["issues"]): FieldIssue[] {
  return Array.isArray(issues) ? issues.map((issue) => ({ field: String(issue.field), message: String(issue.message) })) : [];
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
