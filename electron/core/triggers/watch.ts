/**
 * The watch trigger's checks at save time. Watching itself is an event source (the engine's
 * `event-sources/watch-source.ts`), not trigger math.
 *
 * A path that does not exist yet is allowed (a folder made later, a disk mounted later: it is
 * waited for, and the job says "watched path missing: …" until then), as long as it could
 * come to exist: the nearest existing folder above it is a folder that may be read.
 */
import fs from "node:fs";
import path from "node:path";
import type { FieldIssue } from "../../shared/errors.js";
import type { WatchTriggerSpec } from "../../shared/schemas.js";

export function validateWatchSpec(spec: WatchTriggerSpec): FieldIssue[] {
  const problem = watchablePathProblem(spec.path);
  return problem === null ? [] : [{ field: "trigger.path", message: problem }];
}

/** The problem with watching `target`, or null when it can be watched (now, or once it exists). */
export function watchablePathProblem(target: string): string | null {
  if (target.trim() === "") return "must not be empty";
  if (target.includes("\0")) return "must not contain a NUL character";
  // The engine's working folder is nobody's business: the CLI resolves against the user's.
  if (!path.isAbsolute(target)) return `must be an absolute path (got "${target}")`;
  const resolved = path.resolve(target);
  let candidate = resolved;
  for (;;) {
    let stats: fs.Stats;
    try {
      stats = fs.statSync(candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a part of it is a file; going up finds which, and says so below.
      if (code === "ENOENT" || code === "ENOTDIR") {
        const parent = path.dirname(candidate);
        if (parent === candidate) return null;
        candidate = parent;
        continue;
      }
      if (code === "EACCES") return `cannot be watched: permission denied on ${candidate}`;
      return `cannot be watched: ${(error as Error).message}`;
    }
    if (candidate !== resolved && !stats.isDirectory()) return `cannot exist: ${candidate} is a file, not a folder`;
    const needed = stats.isDirectory() ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK;
    try {
      fs.accessSync(candidate, needed);
    } catch {
      return `cannot be watched: ${candidate} is not readable`;
    }
    return null;
  }
}
