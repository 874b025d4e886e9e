/**
 * The watch trigger's checks at save time. Watching itself is an event source (the engine's
 * `event-sources/`), not trigger math.
 */
import path from "node:path";
import type { FieldIssue } from "../../shared/errors.js";
import type { WatchTriggerSpec } from "../../shared/schemas.js";

/** A watched path must be absolute: the engine's working folder is nobody's business. */
export function validateWatchSpec(spec: WatchTriggerSpec): FieldIssue[] {
  if (!path.isAbsolute(spec.path)) return [{ field: "trigger.path", message: `must be an absolute path (got "${spec.path}")` }];
  return [];
}
