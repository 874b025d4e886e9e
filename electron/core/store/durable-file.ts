/**
 * Crash-safe file replacement and private folders: the primitives every store file uses.
 *
 * A file is replaced by writing a temp file beside it, fsyncing it, renaming it over the
 * target and fsyncing the folder (the rename itself lives in the folder's metadata). A crash
 * at any point leaves either the old file or the new one, never a mix; at worst a stray
 * temp file, which `removeStaleTempFiles` clears at the next start.
 */
import { constants as fsConstants, promises as fs, type Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { HomeNotPrivateError } from "../../shared/errors.js";

/** Mode of every file the engine writes: the owner only (jobs hold commands and env values). */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of the home folder and the logs folder. */
export const PRIVATE_FOLDER_MODE = 0o700;

const TEMP_INFIX = ".tmp-";
let tempCounter = 0;
/** Temp files this process is writing right now; never swept as stale. */
const tempFilesInFlight = new Set<string>();

/** `jobs.json` → `jobs.json.tmp-<pid>-<counter>`, unique within this process. */
function tempPathFor(target: string): string {
  tempCounter += 1;
  return `${target}${TEMP_INFIX}${process.pid}-${tempCounter}`;
}

/**
 * Replaces `file` (or, when it is a symbolic link, the file it leads to) with `contents`
 * atomically and durably. Resolves once the new content and the rename are on disk. On
 * failure the temp file is removed, the file keeps its previous content, and the original
 * error (with its `code`) is thrown.
 */
export async function writeFileDurably(file: string, contents: string | Uint8Array): Promise<void> {
  // A symbolic link (jobs.json into a sync folder) is written through, never replaced: the
  // temp file goes beside the target, on the target's file system, and is renamed onto it.
  const target = await resolveWriteTarget(file);
  const temp = tempPathFor(target);
  tempFilesInFlight.add(temp);
  let renamed = false;
  try {
    // "wx": never reuse or follow something already sitting at the temp path.
    const handle = await fs.open(temp, "wx", PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(contents);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    renamed = true;
    await syncFolder(path.dirname(target));
  } catch (error) {
    if (!renamed) await fs.rm(temp, { force: true }).catch(() => {});
    throw error;
  } finally {
    tempFilesInFlight.delete(temp);
  }
}

/**
 * Where a write to `file` lands: `file` itself, or the end of the chain of symbolic links it
 * starts (a link whose target does not exist yet leads to that path, which is then created).
 */
export async function resolveWriteTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // Missing, or a link to something missing: follow the links by hand.
  let current = file;
  for (let hops = 0; hops < 40; hops++) {
    const stat = await fs.lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (!stat?.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), await fs.readlink(current));
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${file}`), { code: "ELOOP" });
}

/**
 * Opens for reading a file that must be a regular file. Opened with O_NONBLOCK so that a FIFO
 * left at the path fails at once instead of waiting for a writer for ever; anything that is
 * not a regular file is refused with EISDIR (a folder) or EINVAL, like the read would have.
 */
export async function openRegularFile(file: string): Promise<FileHandle> {
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      const code = stat.isDirectory() ? "EISDIR" : "EINVAL";
      throw Object.assign(new Error(stat.isDirectory() ? "it is a folder, not a file" : "it is not a regular file"), { code });
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a whole file that must be a regular file (see `openRegularFile`). */
export async function readRegularFile(file: string): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * Makes a rename or a file creation in `folder` durable. Windows cannot open a folder for
 * fsync, and some file systems refuse it; there the rename is as durable as it gets.
 */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await fs.open(folder, "r");
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EISDIR") throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Deletes `<name>.tmp-*` files left beside `file` by a process killed mid-write, so
 * repeated crashes cannot pile them up. Returns the names removed. Temp files this process
 * is writing at the moment are left alone.
 */
export async function removeStaleTempFiles(file: string): Promise<string[]> {
  // Beside the file itself, and beside a link's target (where writes put them).
  const places = [...new Set([file, await resolveWriteTarget(file).catch(() => file)])];
  const removed: string[] = [];
  for (const target of places) {
    const folder = path.dirname(target);
    const prefix = `${path.basename(target)}${TEMP_INFIX}`;
    let names: string[];
    try {
      names = await fs.readdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    for (const name of names) {
      const full = path.join(folder, name);
      if (!name.startsWith(prefix) || tempFilesInFlight.has(full)) continue;
      await fs.rm(full, { force: true });
      removed.push(name);
    }
  }
  return removed;
}

/**
 * Creates `folder` (and missing parents) with mode 0700. An existing folder keeps its mode:
 * the user may have chosen a stricter or shared setup on purpose, and we never loosen it.
 */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  await fs.mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
}

/**
 * The home folder: created 0700 when missing (see ensurePrivateFolder), and refused with
 * HomeNotPrivateError when it, or one of `files` in it (jobs.json), could be changed by
 * someone else: another user owns it, or group or others can write it. A loose mode is
 * reported, never silently fixed (as ssh treats a loose ~/.ssh): someone may already have
 * planted something, and the user should look. A file that is a symbolic link is judged by
 * its target, and the folder holding the target too (it is where the engine writes).
 */
export async function ensureHomeFolder(home: string, files: readonly string[] = []): Promise<void> {
  try {
    await fs.mkdir(home, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  } catch (error) {
    throw new HomeUnusableError(home, error);
  }
  if (process.platform === "win32") return;
  await assertPrivate(home, "folder");
  for (const file of files) {
    const link = await fs.lstat(file).catch(() => null);
    if (!link) continue;
    await assertPrivate(file, "file");
    if (link.isSymbolicLink()) await assertPrivate(path.dirname(await resolveWriteTarget(file)), "folder");
  }
}

/** What a file-system entry is, in words ("a regular file"), for messages about a path. */
export function describeFileKind(stat: Stats): string {
  if (stat.isFile()) return "a regular file";
  if (stat.isDirectory()) return "a folder";
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isSocket()) return "a socket";
  return "a device";
}

/** Creating the home folder failed (disk full, permissions): names the folder. */
export class HomeUnusableError extends Error {
  override name = "HomeUnusableError";
  constructor(
    readonly home: string,
    cause: unknown,
  ) {
    super(`Could not create the home folder ${home}: ${describeFsError(cause)}`);
  }
}

/**
 * Throws HomeNotPrivateError unless `target` (symbolic links followed) is owned by this user
 * and not writable by group or others. POSIX only; a missing target passes.
 */
export async function assertPrivate(target: string, kind: "folder" | "file"): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  const stat = await fs.stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (!stat) return;
  if (stat.uid !== uid) {
    throw new HomeNotPrivateError(target, `is owned by uid ${stat.uid}, not by you (uid ${uid}): another user could change it; ${kind === "folder" ? "use a home folder of your own (--home)" : "move it away"}`);
  }
  const writers = [stat.mode & 0o020 ? "group" : "", stat.mode & 0o002 ? "others" : ""].filter(Boolean);
  if (writers.length > 0) {
    const mode = (stat.mode & 0o7777).toString(8).padStart(4, "0");
    throw new HomeNotPrivateError(target, `is writable by ${writers.join(" and ")} (mode ${mode}); run chmod ${kind === "folder" ? "700" : "600"} ${target}`);
  }
}

const ERROR_WORDS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large (a size limit was hit)",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EIO: "input/output error",
  ENOENT: "the folder does not exist",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder, not a file",
  EMFILE: "too many open files",
  ENAMETOOLONG: "the path is too long",
};

/** A file-system error in words for a user (`no space left on device`), keeping the code. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERROR_WORDS[code]) return `${ERROR_WORDS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
