/**
 * Reading errors that crossed the transport (rebuilt by api.ts with `name`, `message` and,
 * for a ValidationError, `issues`).
 */
import { ValidationError, type FieldIssue } from "../../../electron/shared/errors.js";

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The field issues of a ValidationError, else null. */
export function issuesOf(error: unknown): FieldIssue[] | null {
  return error instanceof ValidationError && error.issues.length > 0 ? error.issues : null;
}
