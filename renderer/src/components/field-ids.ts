/**
 * Ids that tie an input to its error message (aria-describedby), derived from the
 * service's field name so every editor part agrees on them.
 */

/** The id of a field's input within the editor whose ids start with `prefix`. */
export function inputId(prefix: string, field: string): string {
  return `${prefix}-${field.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** The id of a field's error message. */
export function errorId(prefix: string, field: string): string {
  return `${inputId(prefix, field)}-error`;
}

/** aria-invalid / aria-describedby for an input, given its current error and hint. */
export function describe(prefix: string, field: string, error: string | undefined, hintId?: string): { "aria-invalid": "true" | undefined; "aria-describedby": string | undefined } {
  const ids = [error ? errorId(prefix, field) : null, hintId ?? null].filter(Boolean);
  return { "aria-invalid": error ? "true" : undefined, "aria-describedby": ids.length > 0 ? ids.join(" ") : undefined };
}
