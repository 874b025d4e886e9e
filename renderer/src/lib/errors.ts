/**
 * Reading errors that crossed the transport (rebuilt by api.ts with `name`, `message` and,
 * for a ValidationError, `issues`).
 */
import type { FieldIssue } from "../../../electron/shared/errors.js";

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The field issues of a ValidationError, else null. */
export function issuesOf(error: unknown): FieldIssue[] | null {
  if (!(error instanceof Error) || error.name !== "ValidationError") return null;
  const issues = (error as Error & { issues?: unknown }).issues;
  return Array.isArray(issues) && issues.length > 0 ? (issues as FieldIssue[]) : null;
}
