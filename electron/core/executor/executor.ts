/**
 * Runs one command as a child process. An executor never throws for a bad command: spawn
 * failures come back as a `spawn_error` outcome.
 */
/**
 * The variable that marks a run's processes: `buildRunEnvironment` sets it to the run id, a
 * prepared process exports it before exec'ing the command, and every descendant inherits it.
 * An executor ends the processes carrying `SUNDIAL_RUN_ID=<runId>` with the run (where it can
 * find them), so a request's env must set it only to its own `runId`.
 */
export const RUN_ID_VARIABLE = "SUNDIAL_RUN_ID";

export interface ExecutionRequest {
  runId: string;
  /** A shell command line. */
  command: string;
  /** Shell to run it with; default /bin/sh (POSIX) or cmd.exe (Windows). */
  shell?: string;
  cwd: string;
  /** Kill the whole tree after this long; null = no limit. */
  timeoutMs: number | null;
  /** Between SIGTERM and SIGKILL when stopping. */
  killGraceMs: number;
  /**
   * The complete environment for the child (already merged); with `SUNDIAL_RUN_ID=<runId>`,
   * processes that leave the run's process group are still ended with it (Linux).
   */
  env: Record<string, string>;
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

/**
 * What a process started ahead of its slot needs: everything but the go-ahead. `env` is
 * complete; `lateVariable` (the run id) comes with the release, and only a process that
 * keeps its environment as given (a prepared bash) has it before.
 */
export interface PrepareRequest {
  command: string;
  shell?: string;
  cwd: string;
  env: Record<string, string>;
  lateVariable: string;
}

/**
 * A process waiting, before the command runs, to be started by `Executor.start` (or thrown
 * away). It never runs the command unless started: if Sundial dies, it exits on its own.
 */
export interface PreparedExecution {
  /** False once it was discarded, released, taken, or its process died. */
  readonly usable: boolean;
  /**
   * Lets the process run the command now (the run is recorded by then), before `start`
   * attaches to it: the runs of one slot can all be released before any further work.
   * False, and discarded, when it cannot: its process died, or it was prepared for another
   * command, shell or cwd.
   */
  release(spec: Pick<ExecutionRequest, "command" | "shell" | "cwd">, lateValue: string): boolean;
  /** Ends the waiting process without running anything (nothing once released). */
  discard(): void;
}

export interface Executor {
  /**
   * Runs the request, in `prepared`'s waiting process when it is given and still usable for
   * the same command, shell and cwd (it is discarded otherwise).
   */
  start(request: ExecutionRequest, prepared?: PreparedExecution): Execution;
  /**
   * Starts the process ahead of time (the slow fork and exec happen before the slot), or
   * returns null where that is not supported or the request would fail anyway.
   */
  prepare?(request: PrepareRequest): PreparedExecution | null;
  /**
   * Ends processes still running for runs of an earlier Sundial that died without ending them
   * (SIGTERM, SIGKILL after `graceMs`), where the executor can find them. Best-effort.
   */
  endLeftovers?(runIds: readonly string[], graceMs: number): Promise<void>;
}
