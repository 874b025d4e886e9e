/**
 * Runs one command as a child process. An executor never throws for a bad command: spawn
 * failures come back as a `spawn_error` outcome.
 */
export interface ExecutionRequest {
  runId: string;
  /** A shell command line. */
  command: string;
  /** Shell to run it with; default /bin/sh (POSIX) or cmd.exe (Windows). */
  shell?: string;
  cwd: string;
  /** The complete environment for the child (already merged). */
  env: Record<string, string>;
  /** Kill the whole tree after this long; null = no limit. */
  timeoutMs: number | null;
  /** Between SIGTERM and SIGKILL when stopping. */
  killGraceMs: number;
  /** Raw output bytes, in order, both streams (the log). */
  onOutputBytes(stream: "stdout" | "stderr", chunk: Buffer): void;
  /** Decoded text (UTF-8 decoded across chunk borders), for live display. */
  onOutputText?(stream: "stdout" | "stderr", text: string): void;
}

export type ExecutionOutcome = "exited" | "signalled" | "timed_out" | "cancelled" | "spawn_error";

export interface ExecutionResult {
  outcome: ExecutionOutcome;
  exitCode: number | null;
  signal: string | null;
  /** Words for spawn_error (e.g. `cwd "/nope" does not exist`). */
  error: string | null;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  /** The last few lines of output (for notifications). */
  tail: string;
}

export interface Execution {
  /** Undefined until the process is spawned (cwd and shell are checked first), and for ever if it never was. */
  readonly pid: number | undefined;
  /** Ends the process tree (SIGTERM, then SIGKILL after the grace); outcome `cancelled`. */
  cancel(): void;
  readonly done: Promise<ExecutionResult>;
}

export interface Executor {
  start(request: ExecutionRequest): Execution;
}
