/**
 * Whether a path can be watched, checked when a job is saved (`--watch: …`, exit 2). A path
 * that does not exist yet is allowed (a folder made later, a disk mounted later: it is waited
 * for, and the job says "watched path missing: …" until then), as long as it could come to
 * exist: the nearest existing folder above it is a folder we may read.
 */
import fs from "node:fs";
import nodePath from "node:path";

/** The problem with watching `path`, or null when it can be watched (now, or once it exists). */
export function watchablePathProblem(path: string): string | null {
  if (path.trim() === "") return "must not be empty";
  if (path.includes("\0")) return "must not contain a NUL character";
  if (!nodePath.isAbsolute(path)) return `must be an absolute path (got "${path}")`;
  const resolved = nodePath.resolve(path);
  let candidate = resolved;
  for (;;) {
    let stats: fs.Stats;
    try {
      stats = fs.statSync(candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        const parent = nodePath.dirname(candidate);
        if (parent === candidate) return null;
        candidate = parent;
        continue;
      }
      if (code === "ENOTDIR") return `cannot exist: a part of it is a file, not a folder`;
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
