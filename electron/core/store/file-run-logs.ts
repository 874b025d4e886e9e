/**
 * Per-run output logs in `logs/<runId>.log`, raw bytes, capped at about `maxBytes`.
 *
 * The first half of the cap goes straight to the file as it arrives, so a running run's
 * log can be read (and followed) live. Past that, only the last half is kept, in a
 * fixed-size ring: memory stays at maxBytes/2 however much a command prints. At close the
 * file gets a marker line saying how much was dropped, then the tail.
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

/**
 * Keeps the last `capacity` bytes written to it, in one buffer allocated up front.
 */
class TailRing {
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

  /** The kept bytes, oldest first. */
  contents(): Buffer {
    if (!this.#full) return this.#buffer.subarray(0, this.#end);
    return Buffer.concat([this.#buffer.subarray(this.#end), this.#buffer.subarray(0, this.#end)]);
  }
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
    if (rest.length > 0) (this.#tail ??= new TailRing(this.#tailLimit)).push(rest);
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
    const kept = this.#tail?.contents() ?? Buffer.alloc(0);
    const omitted = this.#total - this.#headWritten - kept.length;
    const truncated = omitted > 0;
    if (fd === null) {
      if (this.#error) throw new StoreWriteError(this.file, describeFsError(this.#error));
      return { totalBytes: this.#total, truncated };
    }
    try {
      if (this.#error) throw this.#error;
      const ending = truncated ? Buffer.concat([Buffer.from(omittedMarker(omitted)), kept]) : kept;
      await writeAll(fd, ending);
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
    const files = runIds.filter((runId) => SAFE_RUN_ID.test(runId)).map((runId) => this.pathOf(runId));
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
