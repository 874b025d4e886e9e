/**
 * Crash-safe file replacement and private folders: the primitives every store file uses.
 *
 * A file is replaced by writing a temp file beside it, fsyncing it, renaming it over the
 * target and fsyncing the folder (the rename itself lives in the folder's metadata). A crash
 * at any point leaves either the old file or the new one, never a mix; at worst a stray
 * temp file, which `removeStaleTempFiles` clears at the next start.
 */
import { constants as fsConstants, promises as fs } from "node:fs";
import path from "node:path";

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
 * Replaces `target` with `contents` atomically and durably. Resolves once the new content
 * and the rename are on disk. On failure the temp file is removed, `target` keeps its
 * previous content, and the original error (with its `code`) is thrown.
 */
export async function writeFileDurably(target: string, contents: string | Uint8Array): Promise<void> {
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
 * Reads a whole file that must be a regular file. Opened with O_NONBLOCK so that a FIFO left
 * at the path fails at once instead of waiting for a writer for ever; anything that is not a
 * regular file is refused with EISDIR (a folder) or EINVAL, like the read would have.
 */
export async function readRegularFile(file: string): Promise<Buffer> {
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      const code = stat.isDirectory() ? "EISDIR" : "EINVAL";
      throw Object.assign(new Error(stat.isDirectory() ? "it is a folder, not a file" : "it is not a regular file"), { code });
    }
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
 * Deletes `<name>.tmp-*` files left beside `target` by a process killed mid-write, so
 * repeated crashes cannot pile them up. Returns the names removed. Temp files this process
 * is writing at the moment are left alone.
 */
export async function removeStaleTempFiles(target: string): Promise<string[]> {
  const folder = path.dirname(target);
  const prefix = `${path.basename(target)}${TEMP_INFIX}`;
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const full = path.join(folder, name);
    if (!name.startsWith(prefix) || tempFilesInFlight.has(full)) continue;
    await fs.rm(full, { force: true });
    removed.push(name);
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

/** The home folder: created 0700 when missing (see ensurePrivateFolder). */
export const ensureHomeFolder = ensurePrivateFolder;

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
