/**
 * Per-run output logs in `logs/<runId>.log`, raw bytes, capped at about `maxBytes`.
 *
 * The first half of the cap goes straight to the file as it arrives, so a running run's
 * log can be read (and followed) live. Past that, only the last half is kept, in a
 * fixed-size ring kept in a file beside the log (`<runId>.log.tail`), so memory does not
 * grow with output: 100 runs flooding at once would otherwise hold 100 rings of maxBytes/2.
 * At close the log gets a marker line saying how much was dropped, then the tail.
 */
import fs from "node:fs";
import { promises as fsp } from "node:fs";
import path from "node:path";
import { StoreWriteError } from "../../shared/errors.js";
import { describeFsError, PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from "./durable-file.js";
import type { RunLogs, RunLogWriter } from "./run-logs.js";

/** Run ids come from users (CLI, HTTP): anything else must never turn into a path. */
const SAFE_RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** How `read` recognises a capped log: the marker `close` writes between head and tail. */
const OMITTED_MARKER = /\n\[… (\d+) bytes omitted …\]\n/;

export function omittedMarker(bytes: number): string {
  return `\n[… ${bytes} bytes omitted …]\n`;
}

function assertSafeRunId(runId: string): void {
  if (!SAFE_RUN_ID.test(runId)) throw new Error(`Not a run id: "${runId}"`);
}

/** The last `capacity` bytes written to it, oldest first on the way out. */
interface TailRing {
  push(chunk: Uint8Array): void;
  /** Bytes kept (at most the capacity). */
  readonly size: number;
  /** Appends the kept bytes, oldest first, to the file `fd`; then lets go of its storage. */
  drainTo(fd: number): Promise<void>;
  /** Lets go of its storage without writing it (the log could not be written). */
  discard(): void;
}

/** The copy buffer a file ring drains through: 64 KB per closing run, not the whole tail. */
const DRAIN_CHUNK_BYTES = 64 * 1024;

/**
 * A TailRing in a file of its own, written in place with positional writes (the page cache
 * holds it, not the engine's heap). A write error is kept and reported by `drainTo`.
 */
class FileTailRing implements TailRing {
  #end = 0;
  #full = false;
  #error: unknown = null;

  private constructor(
    readonly file: string,
    private fd: number | null,
    readonly capacity: number,
  ) {}

  /** Null when the ring file cannot be created (the caller keeps the tail in memory then). */
  static open(file: string, capacity: number): FileTailRing | null {
    try {
      return new FileTailRing(file, fs.openSync(file, "w+", PRIVATE_FILE_MODE), capacity);
    } catch {
      return null;
    }
  }

  get size(): number {
    return this.#full ? this.capacity : this.#end;
  }

  push(chunk: Uint8Array): void {
    if (this.fd === null || this.#error || this.capacity === 0) return;
    try {
      if (chunk.length >= this.capacity) {
        writeAllSync(this.fd, chunk.subarray(chunk.length - this.capacity), 0);
        this.#end = 0;
        this.#full = true;
        return;
      }
      const first = Math.min(chunk.length, this.capacity - this.#end);
      writeAllSync(this.fd, chunk.subarray(0, first), this.#end);
      if (first < chunk.length) writeAllSync(this.fd, chunk.subarray(first), 0);
      const end = this.#end + chunk.length;
      if (end >= this.capacity) this.#full = true;
      this.#end = end % this.capacity;
    } catch (error) {
      this.#error = error;
    }
  }

  async drainTo(target: number): Promise<void> {
    try {
      if (this.#error) throw this.#error;
      const segments: [number, number][] = this.#full
        ? [
            [this.#end, this.capacity],
            [0, this.#end],
          ]
        : [[0, this.#end]];
      const buffer = Buffer.alloc(Math.min(DRAIN_CHUNK_BYTES, Math.max(1, this.size)));
      for (const [start, end] of segments) {
        for (let position = start; position < end; ) {
          const read = await readAt(this.fd!, buffer, Math.min(buffer.length, end - position), position);
          if (read === 0) throw new Error(`${this.file} is shorter than expected`);
          await writeAll(target, buffer.subarray(0, read));
          position += read;
        }
      }
    } finally {
      this.discard();
    }
  }

  discard(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.close(fd, () => fs.rm(this.file, { force: true }, () => {}));
  }
}

/**
 * Keeps the last `capacity` bytes written to it, in one buffer allocated up front (used when
 * a ring file cannot be created).
 */
class MemoryTailRing implements TailRing {
  readonly #buffer: Buffer;
  #end = 0;
  #full = false;

  constructor(capacity: number) {
    this.#buffer = Buffer.alloc(capacity);
  }

  push(chunk: Uint8Array): void {
    const capacity = this.#buffer.length;
    if (capacity === 0) return;
    if (chunk.length >= capacity) {
      this.#buffer.set(chunk.subarray(chunk.length - capacity));
      this.#end = 0;
      this.#full = true;
      return;
    }
    const first = Math.min(chunk.length, capacity - this.#end);
    this.#buffer.set(chunk.subarray(0, first), this.#end);
    if (first < chunk.length) this.#buffer.set(chunk.subarray(first), 0);
    const end = this.#end + chunk.length;
    if (end >= capacity) this.#full = true;
    this.#end = end % capacity;
  }

  get size(): number {
    return this.#full ? this.#buffer.length : this.#end;
  }

  async drainTo(fd: number): Promise<void> {
    // The two halves in turn: no concatenated copy of the whole tail.
    if (this.#full) await writeAll(fd, this.#buffer.subarray(this.#end));
    await writeAll(fd, this.#buffer.subarray(0, this.#end));
  }

  discard(): void {}
}

class FileRunLogWriter implements RunLogWriter {
  readonly #headLimit: number;
  readonly #tailLimit: number;
  #fd: number | null = null;
  #headWritten = 0;
  #total = 0;
  #tail: TailRing | null = null;
  #error: unknown = null;
  #closing: Promise<{ totalBytes: number; truncated: boolean }> | null = null;

  constructor(
    readonly file: string,
    maxBytes: number,
  ) {
    const cap = Math.max(2, Math.floor(maxBytes));
    this.#headLimit = Math.floor(cap / 2);
    this.#tailLimit = cap - this.#headLimit;
    try {
      this.#fd = openLogFile(file);
    } catch (error) {
      // The run goes on without a log; `close` reports why.
      this.#error = error;
    }
  }

  write(chunk: Uint8Array): void {
    if (this.#closing || chunk.length === 0) return;
    this.#total += chunk.length;
    let rest = chunk;
    if (this.#headWritten < this.#headLimit) {
      const head = rest.subarray(0, this.#headLimit - this.#headWritten);
      this.#headWritten += head.length;
      rest = rest.subarray(head.length);
      // Synchronous on purpose: the head is bounded (maxBytes/2 per run), and the bytes reach
      // the file in order without queueing anything in memory.
      this.#writeHead(head);
    }
    if (rest.length > 0) (this.#tail ??= FileTailRing.open(`${this.file}.tail`, this.#tailLimit) ?? new MemoryTailRing(this.#tailLimit)).push(rest);
  }

  close(): Promise<{ totalBytes: number; truncated: boolean }> {
    return (this.#closing ??= this.#finish());
  }

  #writeHead(bytes: Uint8Array): void {
    if (this.#fd === null || this.#error) return;
    try {
      let offset = 0;
      while (offset < bytes.length) offset += fs.writeSync(this.#fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      // Never throw into the executor's output stream; `close` reports it.
      this.#error = error;
    }
  }

  async #finish(): Promise<{ totalBytes: number; truncated: boolean }> {
    const fd = this.#fd;
    this.#fd = null;
    const tail = this.#tail;
    const omitted = this.#total - this.#headWritten - (tail?.size ?? 0);
    const truncated = omitted > 0;
    if (fd === null) {
      tail?.discard();
      if (this.#error) throw new StoreWriteError(this.file, describeFsError(this.#error));
      return { totalBytes: this.#total, truncated };
    }
    try {
      if (this.#error) {
        tail?.discard();
        throw this.#error;
      }
      if (truncated) await writeAll(fd, Buffer.from(omittedMarker(omitted)));
      await tail?.drainTo(fd);
      await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      throw new StoreWriteError(this.file, describeFsError(error));
    } finally {
      await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
    }
    return { totalBytes: this.#total, truncated };
  }
}

/** Synchronous so that `RunLogs.open` stays synchronous for the launcher; one or two syscalls. */
function openLogFile(file: string): number {
  try {
    return fs.openSync(file, "w", PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    // First log of this home, or logs/ was deleted while running.
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_FOLDER_MODE });
    return fs.openSync(file, "w", PRIVATE_FILE_MODE);
  }
}

function writeAllSync(fd: number, bytes: Uint8Array, position: number): void {
  for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset, position + offset);
}

function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buffer, 0, length, position, (error, read) => (error ? reject(error) : resolve(read))));
}

function writeAll(fd: number, bytes: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const step = (offset: number) => {
      if (offset >= bytes.length) return resolve();
      fs.write(fd, bytes, offset, bytes.length - offset, null, (error, written) => (error ? reject(error) : step(offset + written)));
    };
    step(0);
  });
}

export class FileRunLogs implements RunLogs {
  /** `folder` is the home's `logs/`; it is created 0700 when the first log is opened. */
  constructor(readonly folder: string) {}

  open(runId: string, maxBytes: number): RunLogWriter {
    return new FileRunLogWriter(this.pathOf(runId), maxBytes);
  }

  async read(runId: string): Promise<{ text: string; truncated: boolean } | null> {
    if (!SAFE_RUN_ID.test(runId)) return null;
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(this.pathOf(runId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    // toString replaces invalid UTF-8 with U+FFFD instead of throwing.
    const text = bytes.toString("utf8");
    return { text, truncated: OMITTED_MARKER.test(text) };
  }

  async remove(runIds: string[]): Promise<void> {
    // A run that was flooding when the engine died also left its tail ring (`.log.tail`).
    const files = runIds.filter((runId) => SAFE_RUN_ID.test(runId)).flatMap((runId) => [this.pathOf(runId), `${this.pathOf(runId)}.tail`]);
    // A few at a time: pruning can remove thousands of logs at once.
    for (let start = 0; start < files.length; start += 32) {
      await Promise.all(files.slice(start, start + 32).map((file) => fsp.rm(file, { force: true })));
    }
  }

  pathOf(runId: string): string {
    assertSafeRunId(runId);
    return path.join(this.folder, `${runId}.log`);
  }
}
