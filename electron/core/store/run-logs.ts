/**
 * Per-run output logs: raw bytes, capped (head and tail kept, a marker in between).
 */
export interface RunLogWriter {
  /** Appends raw output bytes; never buffers more than the cap in memory. */
  write(chunk: Buffer): void;
  /**
   * Finishes the file (writes the tail); resolves when it is on disk. Rejects with
   * StoreWriteError when the log could not be written (the run itself is unaffected).
   */
  close(): Promise<{ totalBytes: number; truncated: boolean }>;
}

export interface RunLogs {
  /**
   * Starts a run's log. Does not throw on I/O errors (the run must go on without a log;
   * `close` reports them); throws only for something that is not a run id.
   */
  open(runId: string, maxBytes: number): RunLogWriter;
  /** The log as text (invalid UTF-8 replaced), or null when there is none (or `runId` is not a run id). */
  read(runId: string): Promise<{ text: string; truncated: boolean } | null>;
  remove(runIds: string[]): Promise<void>;
  /** Path of a run's log file (for "open in editor"); throws for something that is not a run id. */
  pathOf(runId: string): string;
}
