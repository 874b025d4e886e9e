/**
 * Per-run output logs: raw bytes, capped (head and tail kept, a marker in between).
 */
export interface RunLogWriter {
  /** Appends raw output bytes; never buffers more than the cap in memory. */
  write(chunk: Buffer): void;
  /** Finishes the file (writes the tail); resolves when it is on disk. */
  close(): Promise<{ totalBytes: number; truncated: boolean }>;
}

export interface RunLogs {
  open(runId: string, maxBytes: number): RunLogWriter;
  /** The log as text (invalid UTF-8 replaced), or null when there is none. */
  read(runId: string): Promise<{ text: string; truncated: boolean } | null>;
  remove(runIds: string[]): Promise<void>;
  /** Path of a run's log file (for "open in editor"). */
  pathOf(runId: string): string;
}
