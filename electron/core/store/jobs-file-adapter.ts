/**
 * `jobs.json` through lowdb, with our own adapter: lowdb's JSONFile writer replaces the file
 * without fsync and resets its mode, and JSONFilePreset silently keeps data in memory under
 * NODE_ENV=test. The adapter validates on read and writes through `writeFileDurably`.
 */
import { constants as fsConstants, promises as fs } from "node:fs";
import type { Adapter } from "lowdb";
import { StoreCorruptError } from "../../shared/errors.js";
import { describeFsError, PRIVATE_FILE_MODE, writeFileDurably } from "./durable-file.js";
import type { JobsFile } from "./job-store.js";
import { decodeJobsFile, schemaFingerprint, serializeJobsFile } from "./jobs-file-format.js";
import { contentHash } from "./jobs-journal.js";

/**
 * lowdb adapter for jobs.json. `read` returns null when the file does not exist and throws
 * StoreCorruptError (touching nothing) when it cannot be used; `write` replaces it durably.
 * It remembers the text of the last durable write so the store can roll back to it.
 */
export class DurableJobsFileAdapter implements Adapter<JobsFile> {
  /** Serialised content that is on disk, or null before a read found a file or a write landed. */
  durableText: string | null = null;
  /** Serialised content of the write in progress. */
  inFlightText: string | null = null;
  /** Size and hash of the bytes on disk (what a journal names as its base). */
  durableBytes = 0;
  durableHash: string | null = null;
  /**
   * The older schema version the last read migrated from (its bytes are in `migratedBytes`),
   * or null: the store then keeps those bytes as `jobs.json.v1.bak` and writes the new form.
   */
  migratedFrom: number | null = null;
  migratedBytes: Buffer | null = null;

  constructor(
    readonly file: string,
    private readonly log: (line: string) => void,
  ) {}

  async read(): Promise<JobsFile | null> {
    const corrupt = (problem: string) => new StoreCorruptError(this.file, problem);
    let handle: fs.FileHandle;
    try {
      // O_NONBLOCK: opening a FIFO left at this path would otherwise wait for a writer for ever
      // (the engine would hang before it could report anything). Regular files ignore the flag.
      handle = await fs.open(this.file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw corrupt(`it cannot be read: ${describeFsError(error)}`);
      // A dangling symlink (say, into a sync folder that is not mounted) is not a fresh home:
      // starting empty would silently replace the link and drop every job.
      const target = await fs.readlink(this.file).catch(() => null);
      if (target !== null) throw corrupt(`it is a symbolic link to ${target}, which does not exist`);
      return null;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw corrupt(stat.isDirectory() ? "it is a folder, not a file" : "it is not a regular file");
      let bytes: Buffer;
      try {
        bytes = await handle.readFile();
      } catch (error) {
        throw corrupt(`it cannot be read: ${describeFsError(error)}`);
      }
      const hash = contentHash(bytes);
      const checked = await this.#stampVouchesFor(hash);
      const { data, text, migratedFrom } = decodeJobsFile(bytes, this.file, { schemaChecked: checked });
      this.migratedFrom = migratedFrom;
      this.migratedBytes = migratedFrom === null ? null : bytes;
      await this.#tightenMode(handle, stat.mode);
      // The parsed form (zod defaults filled in) is what memory holds, so it is the rollback
      // point; bytes that were vouched for are that form already.
      this.durableText = checked ? text : serializeJobsFile(data);
      this.durableBytes = bytes.length;
      this.durableHash = hash;
      // A file that is exactly what we would write (not hand-edited) need not be checked again.
      if (!checked && migratedFrom === null && this.durableText === text) await this.#writeStamp(hash);
      return data;
    } finally {
      await handle.close();
    }
  }

  /** Serialises synchronously (the batch is fixed at the call), then writes durably. */
  async write(data: JobsFile): Promise<void> {
    await this.writePrepared(this.prepare(data, Infinity));
  }

  /**
   * The bytes a write of `data` puts on disk, and their hash when `hashFromBytes` is reached
   * (a journal names the jobs.json it starts from, a fold the one it writes; hashing 5.8 MB
   * takes ~6 ms, so small files, which never get a journal, skip it).
   */
  prepare(data: JobsFile, hashFromBytes = 0): PreparedWrite {
    const text = serializeJobsFile(data);
    const bytes = Buffer.from(text, "utf8");
    return { text, bytes, hash: bytes.length >= hashFromBytes ? contentHash(bytes) : null };
  }

  async writePrepared(prepared: PreparedWrite): Promise<void> {
    this.inFlightText = prepared.text;
    try {
      await writeFileDurably(this.file, prepared.bytes);
      this.durableText = prepared.text;
      this.durableBytes = prepared.bytes.length;
      this.durableHash = prepared.hash;
    } finally {
      this.inFlightText = null;
    }
    // Small files are not hashed for journals; their stamp costs next to nothing.
    await this.#writeStamp(prepared.hash ?? contentHash(prepared.bytes));
  }

  /**
   * `jobs.json.validated` says "the jobs.json with this hash passed the schema with this
   * fingerprint": the engine writes only data that passed it, so the next start may skip
   * checking 10,000 jobs again (about a fifth of a second). Anything else (a hand-edited
   * jobs.json, another schema, a missing or damaged stamp) means a full check. It needs no
   * fsync: losing it only costs that check.
   */
  async #stampVouchesFor(hash: string): Promise<boolean> {
    const schema = schemaFingerprint();
    if (schema === null) return false;
    try {
      const stamp = JSON.parse(await fs.readFile(this.stampFile, "utf8")) as { sha256?: unknown; schema?: unknown };
      return stamp.sha256 === hash && stamp.schema === schema;
    } catch {
      return false;
    }
  }

  async #writeStamp(hash: string): Promise<void> {
    const schema = schemaFingerprint();
    if (schema === null) return;
    await fs.writeFile(this.stampFile, `${JSON.stringify({ sha256: hash, schema })}\n`, { mode: PRIVATE_FILE_MODE }).catch(() => {
      // Only a cache: the next start checks the file in full.
    });
  }

  get stampFile(): string {
    return `${this.file}.validated`;
  }

  /** Group/other access to a file full of commands and env values is fixed, not just reported. */
  async #tightenMode(handle: fs.FileHandle, mode: number): Promise<void> {
    if (process.platform === "win32" || (mode & 0o077) === 0) return;
    const was = (mode & 0o777).toString(8).padStart(3, "0");
    try {
      await handle.chmod(PRIVATE_FILE_MODE);
      this.log(`warning: ${this.file} was readable by other users (mode ${was}); changed it to 600`);
    } catch (error) {
      this.log(`warning: ${this.file} is readable by other users (mode ${was}) and could not be changed: ${describeFsError(error)}`);
    }
  }
}

export interface PreparedWrite {
  text: string;
  bytes: Buffer;
  hash: string | null;
}
