/**
 * Runs a job's command line in the user's shell as a child process, one class owning each
 * child's whole life (spawn, output, timeout, kill with escalation), like BullMQ's child.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { MAX_TIMER_MS } from "../clock.js";
import { RUN_ID_VARIABLE, type Execution, type ExecutionOutcome, type ExecutionRequest, type ExecutionResult, type Executor, type PreparedExecution, type PrepareRequest } from "./executor.js";
import { OutputTail } from "./output-tail.js";
import { endLeftovers, isRunAlive, killWindowsTree, signalRun, type RunTarget } from "./process-tree.js";

export interface ChildProcessExecutorOptions {
  /** Decides the shell convention and how trees are killed; default `process.platform`. */
  platform?: NodeJS.Platform;
  /**
   * After the command's main process exits, how long to keep reading pipes that a leftover
   * background process (`sleep 100 &`) still holds open, before giving up on them.
   */
  drainTimeoutMs?: number;
  /** Where problems that do not change a run's outcome are reported. */
  log?: (line: string) => void;
  /**
   * A folder only this user can write (Sundial's home), where the bash gate file is kept; without
   * it a prepared bash run waits in the `/bin/sh` gate like any other shell's.
   */
  gateFolder?: string;
}

/** How often a stopping run checks whether its process group is gone. */
const STOP_POLL_MS = 50;
/** After SIGKILL, how long to wait for the kernel to finish the group before reporting anyway. */
const AFTER_KILL_WAIT_MS = 2_000;

/** Starts each request as `shell -c command` (POSIX) or `cmd.exe /d /s /c` (Windows). */
export class ChildProcessExecutor implements Executor {
  readonly #options: Required<ChildProcessExecutorOptions>;

  constructor(options: ChildProcessExecutorOptions = {}) {
    this.#options = {
      platform: options.platform ?? process.platform,
      drainTimeoutMs: options.drainTimeoutMs ?? 1_000,
      log: options.log ?? ((line) => console.warn(`[executor] ${line}`)),
      gateFolder: options.gateFolder ?? "",
    };
  }

  /** The bash gate file for `variable`, written once per executor; null when it cannot be. */
  readonly #bashGates = new Map<string, string | null>();

  start(request: ExecutionRequest, prepared?: PreparedExecution): Execution {
    let child: ChildProcess | null = null;
    if (prepared instanceof PreparedChild) child = prepared.take(request);
    else prepared?.discard();
    return new ChildProcessExecution(request, this.#options, child);
  }

  /**
   * Forks and execs a small POSIX sh "gate" that waits on a pipe for the run id, then execs
   * the job's shell with the command: the ~10 ms that Node's fork of the whole engine costs
   * per process (on the event-loop thread) is paid before the slot instead of at it. A bash
   * job's process is bash itself, waiting in the gate file (`#bashGateFor`).
   */
  prepare(request: PrepareRequest): PreparedExecution | null {
    if (this.#options.platform === "win32") return null;
    // A bare shell name is looked up on PATH by spawn, which reports a missing one clearly.
    if (request.shell !== undefined && !path.isAbsolute(request.shell)) return null;
    if (findStartProblem(request) !== null) return null;
    const env = { ...request.env };
    const bashGate = this.#bashGateFor(request, env);
    // The /bin/sh gate exports the variable only once released; a prepared bash keeps the
    // value given, if any (it reads the same one at the release), so that `endLeftovers` and
    // `isRunAlive` find the waiting shell itself by it.
    if (!bashGate) delete env[request.lateVariable];
    let child: ChildProcess;
    try {
      const options = {
        cwd: request.cwd,
        // stdin stays /dev/null for the command; the run id comes on fd 3, closed before the command.
        stdio: ["ignore", "pipe", "pipe", "pipe"] satisfies ("ignore" | "pipe")[],
        detached: true,
      };
      child = bashGate
        ? spawn(request.shell!, ["-c", request.command], { ...options, env: { ...env, BASH_ENV: BASH_GATE_EXPANSION, [BASH_GATE_VARIABLE]: bashGate } })
        : spawn(GATE_SHELL, ["-c", gateScript(request.lateVariable), request.shell ?? "/bin/sh", request.command], { ...options, env });
    } catch {
      return null;
    }
    if (child.pid === undefined) {
      child.on("error", () => undefined);
      return null;
    }
    return new PreparedChild(child, request);
  }

  /**
   * A job run by bash is prepared as that very bash, `bash -c command`, which reads the gate
   * file (BASH_ENV) before the command and waits there: at the release the command starts in
   * under a millisecond instead of after an exec of bash (issue 12). The command runs exactly
   * as in a fresh spawn ($0, arguments, line numbers, the last command exec'd in place). Only
   * where bash surely reads BASH_ENV, since otherwise it would run the command at once: a shell
   * named `bash` (not `sh`, which is POSIX mode), and no POSIXLY_CORRECT or SHELLOPTS in the
   * environment; a job that sets BASH_ENV itself keeps the `/bin/sh` gate.
   */
  #bashGateFor(request: PrepareRequest, env: Record<string, string>): string | null {
    if (!this.#options.gateFolder || request.shell === undefined || path.basename(request.shell) !== "bash") return null;
    if (env.BASH_ENV !== undefined || env.POSIXLY_CORRECT !== undefined || env.SHELLOPTS !== undefined) return null;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(request.lateVariable)) return null;
    let file = this.#bashGates.get(request.lateVariable);
    if (file === undefined) {
      file = writeBashGate(this.#options.gateFolder, request.lateVariable, this.#options.log);
      this.#bashGates.set(request.lateVariable, file);
    }
    return file;
  }

  async endLeftovers(runIds: readonly string[], graceMs: number): Promise<void> {
    const { platform, log } = this.#options;
    await endLeftovers(runIds, graceMs, log, platform);
  }
}

/** Every POSIX system has it; dash starts in about a millisecond. */
const GATE_SHELL = "/bin/sh";

/**
 * Waits for one line on fd 3. End of file (Sundial stopped or died, or the gate was
 * discarded) exits without running anything; otherwise the line becomes `variable` and the
 * job's shell replaces the gate (same pid, same process group): `$0` is the shell, `$1` the
 * command.
 */
function gateScript(variable: string): string {
  return `IFS= read -r ${variable} <&3 || exit 125; exec 3<&-; [ -n "$${variable}" ] || exit 125; export ${variable}; exec "$0" -c "$1"`;
}

/** Names the bash gate file for the gate's own expansion below; unset by the file. */
export const BASH_GATE_VARIABLE = "SUNDIAL_GATE_FILE";

/**
 * bash expands BASH_ENV before sourcing it. A gate file gone missing would let bash run the
 * command at once, before its slot and without its run id: the expansion kills the shell first.
 */
export const BASH_GATE_EXPANSION = `$([ -r "$${BASH_GATE_VARIABLE}" ] || kill -KILL $$)$${BASH_GATE_VARIABLE}`;

/** What bash reads before a prepared command: the same wait as `gateScript`, then no trace of itself. */
export function bashGateScript(variable: string): string {
  return [
    "# Written by Sundial at start (electron/core/executor/child-process-executor.ts): a prepared",
    "# bash run reads it through BASH_ENV and waits here for its run id before the command.",
    `unset BASH_ENV ${BASH_GATE_VARIABLE}`,
    `IFS= read -r ${variable} <&3 || exit 125`,
    "exec 3<&-",
    `[ -n "$${variable}" ] || exit 125`,
    `export ${variable}`,
    "",
  ].join("\n");
}

/** Writes the gate file for `variable` into `folder` unless it is there already; null on failure. */
function writeBashGate(folder: string, variable: string, log: (line: string) => void): string | null {
  const file = path.join(folder, `prepared-run.${variable}.bash`);
  const script = bashGateScript(variable);
  try {
    if (readFileSync(file, "utf8") === script) return file;
  } catch {
    // Not there yet.
  }
  try {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, script, { mode: 0o600 });
    renameSync(temporary, file);
    return file;
  } catch (error) {
    log(`could not write ${file} (prepared bash runs wait in /bin/sh instead): ${errorText(error)}`);
    return null;
  }
}

class PreparedChild implements PreparedExecution {
  #child: ChildProcess | null;
  #dead = false;
  #released = false;

  constructor(
    child: ChildProcess,
    private readonly request: PrepareRequest,
  ) {
    this.#child = child;
    child.on("error", this.#onGone);
    child.once("exit", this.#onGone);
    // A gate that died is reaped by Node; its pipes must not raise unhandled errors.
    for (const stream of child.stdio) stream?.on("error", () => undefined);
  }

  #onGone = (): void => {
    this.#dead = true;
  };

  get usable(): boolean {
    const child = this.#child;
    return child !== null && !this.#released && !this.#dead && child.exitCode === null && child.signalCode === null;
  }

  /**
   * Lets the waiting process run `spec`'s command now, with `value` as the late variable.
   * False, and discarded, when it cannot: it died, or it was prepared for something else.
   */
  release(spec: Pick<ExecutionRequest, "command" | "shell" | "cwd">, value: string): boolean {
    const child = this.#child;
    const same = spec.command === this.request.command && spec.shell === this.request.shell && spec.cwd === this.request.cwd;
    // Checked again (two stat calls): a cwd deleted since preparing must fail as a fresh spawn does.
    if (!child || !this.usable || !same || !value || value.includes("\n") || findStartProblem(spec) !== null) {
      this.discard();
      return false;
    }
    this.#released = true;
    (child.stdio[3] as Writable | null)?.end(`${value}\n`);
    return true;
  }

  /** The child for `request`, released now if it was not yet; null (and discarded) if it cannot be. */
  take(request: ExecutionRequest): ChildProcess | null {
    if (!this.#released && !this.release(request, request.env[this.request.lateVariable] ?? "")) return null;
    const child = this.#child;
    this.#child = null;
    child?.off("error", this.#onGone);
    child?.off("exit", this.#onGone);
    return child;
  }

  discard(): void {
    const child = this.#child;
    // Once released, the process runs the command: it is the run's, not ours to end.
    if (!child || this.#released) return;
    this.#child = null;
    // The gate exits on end of file anyway; the kill makes sure, and Node reaps it.
    (child.stdio[3] as Writable | null)?.destroy();
    if (!this.#dead && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}

type OutputStream = "stdout" | "stderr";

class ChildProcessExecution implements Execution {
  readonly done: Promise<ExecutionResult>;
  #resolveDone!: (result: ExecutionResult) => void;

  readonly #startedAt = new Date();
  readonly #startedMono = performance.now();
  readonly #tail = new OutputTail();
  readonly #openStreams = new Set<Readable>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #failedCallbacks = new Set<string>();
  #child: ChildProcess | undefined;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #stopReason: "timed_out" | "cancelled" | null = null;
  #timeoutTimer: NodeJS.Timeout | undefined;
  /** True while SIGTERM/SIGKILL escalation waits for the process group to be gone. */
  #stopping = false;
  #finished = false;

  constructor(
    private readonly request: ExecutionRequest,
    private readonly options: Required<ChildProcessExecutorOptions>,
    /** A prepared process, already released to run the command. */
    private readonly prepared: ChildProcess | null = null,
  ) {
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    this.#launch().catch((error: unknown) => this.#finish("spawn_error", `could not start the command: ${errorText(error)}`));
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  cancel(): void {
    this.#stop("cancelled");
  }

  async #launch(): Promise<void> {
    const { request, options } = this;
    if (this.prepared) return this.#attach(this.prepared);
    // Checked synchronously: two stat calls take microseconds, while a round trip through
    // libuv's thread pool delays every start (and queues behind busy I/O when many are due).
    await Promise.resolve();
    const problem = findStartProblem(request);
    if (problem) return this.#finish("spawn_error", problem);
    // cancel() arrived while the paths were being checked: never start it.
    if (this.#stopReason) return this.#finish(this.#stopReason, null);

    let child: ChildProcess;
    try {
      child = spawnCommand(request, ["ignore", "pipe", "pipe"], options.platform);
    } catch (error) {
      // Node throws (rather than emitting 'error') for E2BIG, NUL bytes in arguments and the like.
      return this.#finish("spawn_error", describeSpawnFailure(error, commandLine(request, options.platform).file));
    }
    this.#attach(child);
  }

  #attach(child: ChildProcess): void {
    const { request, options } = this;
    this.#child = child;
    child.on("error", (error) => {
      if (child.pid === undefined) {
        child.stdout?.destroy();
        child.stderr?.destroy();
        this.#finish("spawn_error", describeSpawnFailure(error, child.spawnfile));
      } else {
        options.log(`run ${request.runId} (pid ${child.pid}): ${error.message}`);
      }
    });
    // Without a pid the spawn failed; the 'error' event above follows on the next tick.
    if (child.pid === undefined) return;

    if (child.stdout) this.#read("stdout", child.stdout);
    if (child.stderr) this.#read("stderr", child.stderr);
    child.once("exit", (code, signal) => this.#onExit(code, signal));
    if (request.timeoutMs !== null) this.#armTimeout(request.timeoutMs);
  }

  /**
   * Flowing mode with synchronous handlers: the next chunk is read only after the log writer
   * has taken this one, and a fast writer blocks on the full kernel pipe. Nothing accumulates
   * here except the small tail window.
   */
  #read(name: OutputStream, stream: Readable): void {
    // One decoder per stream: a UTF-8 character split across chunks is held back until complete,
    // and invalid bytes decode to U+FFFD instead of throwing.
    const decoder = new StringDecoder("utf8");
    this.#openStreams.add(stream);
    stream.on("data", (chunk: Buffer) => {
      this.#call("onOutputBytes", () => this.request.onOutputBytes(name, chunk));
      this.#deliverText(name, decoder.write(chunk));
    });
    stream.on("error", (error) => this.options.log(`reading ${name} of run ${this.request.runId} failed: ${error.message}`));
    stream.once("close", () => {
      this.#deliverText(name, decoder.end());
      this.#openStreams.delete(stream);
      this.#maybeFinish();
    });
  }

  #deliverText(name: OutputStream, text: string): void {
    if (!text) return;
    this.#tail.append(text);
    const onText = this.request.onOutputText;
    if (onText) this.#call("onOutputText", () => onText.call(this.request, name, text));
  }

  /** A throwing output callback is reported once and must not break the run. */
  #call(which: string, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      if (this.#failedCallbacks.has(which)) return;
      this.#failedCallbacks.add(which);
      this.options.log(`${which} of run ${this.request.runId} threw (later errors not reported): ${errorText(error)}`);
    }
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exit = { code, signal };
    this.#clearTimeout();
    if (this.#openStreams.size > 0) {
      // A background grandchild can hold the pipes open for ever; the run is over when the
      // main process is, so read what is buffered for a moment and then let go.
      this.#setTimer(() => this.#stopReading(), this.options.drainTimeoutMs);
    }
    this.#maybeFinish();
  }

  #stopReading(): void {
    for (const stream of this.#openStreams) stream.destroy();
  }

  #armTimeout(timeoutMs: number): void {
    const deadline = performance.now() + timeoutMs;
    // setTimeout fires at once for delays above 2^31−1 ms, so a very long limit re-arms in steps.
    const arm = (): void => {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#stop("timed_out");
      this.#timeoutTimer = this.#setTimer(arm, Math.min(remaining, MAX_TIMER_MS));
    };
    arm();
  }

  #clearTimeout(): void {
    if (this.#timeoutTimer === undefined) return;
    clearTimeout(this.#timeoutTimer);
    this.#timers.delete(this.#timeoutTimer);
    this.#timeoutTimer = undefined;
  }

  #stop(reason: "timed_out" | "cancelled"): void {
    if (this.#finished || this.#stopReason !== null) return;
    if (this.#exit) {
      // The command already finished on its own; only leftovers hold its pipes. Its outcome
      // stands, and leftovers are treated as after any normal exit (left running).
      this.#stopReading();
      return;
    }
    this.#stopReason = reason;
    this.#clearTimeout();
    const pid = this.#child?.pid;
    // Not spawned yet (#launch checks the reason) or the spawn failed (its 'error' finishes the run).
    if (pid === undefined) return;
    const { platform, log } = this.options;
    if (platform === "win32") {
      // taskkill without /F only asks windows to close, which console programs ignore: force at once.
      killWindowsTree(pid, log);
      return;
    }
    this.#stopping = true;
    // The group, and (Linux) whatever left it but still carries the run's id in its environment.
    const { runId, env } = this.request;
    const target: RunTarget = env[RUN_ID_VARIABLE] === runId ? { pgid: pid, runId } : { pgid: pid };
    signalRun(target, "SIGTERM", log, platform);
    const graceEnds = performance.now() + this.request.killGraceMs;
    const waitForGrace = (): void => {
      if (!isRunAlive(target, platform)) return this.#stopped();
      const remaining = graceEnds - performance.now();
      if (remaining > 0) {
        this.#setTimer(waitForGrace, Math.min(STOP_POLL_MS, remaining));
        return;
      }
      const giveUpAt = performance.now() + AFTER_KILL_WAIT_MS;
      const waitForKill = (): void => {
        if (!isRunAlive(target, platform)) return this.#stopped();
        if (performance.now() >= giveUpAt) {
          log(`run ${runId}: process group ${pid} (or a process marked with the run's id) still has live processes ${AFTER_KILL_WAIT_MS} ms after SIGKILL`);
          return this.#stopped();
        }
        // Again on each poll: a process may have forked or left the group since the last pass.
        signalRun(target, "SIGKILL", log, platform);
        this.#setTimer(waitForKill, STOP_POLL_MS);
      };
      signalRun(target, "SIGKILL", log, platform);
      waitForKill();
    };
    this.#setTimer(waitForGrace, Math.min(STOP_POLL_MS, this.request.killGraceMs));
  }

  #stopped(): void {
    this.#stopping = false;
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (this.#finished || !this.#exit || this.#openStreams.size > 0 || this.#stopping) return;
    const natural: ExecutionOutcome = this.#exit.signal ? "signalled" : "exited";
    this.#finish(this.#stopReason ?? natural, null);
  }

  #finish(outcome: ExecutionOutcome, error: string | null): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#resolveDone({
      outcome,
      exitCode: this.#exit?.code ?? null,
      signal: this.#exit?.signal ?? null,
      error,
      startedAt: this.#startedAt,
      endedAt: new Date(),
      durationMs: performance.now() - this.#startedMono,
      tail: this.#tail.lines(),
    });
  }

  #setTimer(callback: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }
}

/**
 * Starts a command line in the user's shell, in its own process group on POSIX so a timeout
 * can signal every descendant at once (on Windows `detached` would open a console window
 * instead; taskkill /T walks the tree). Jobs' runs and command channels start this way.
 * Throws as `spawn` does (E2BIG, NUL bytes in arguments).
 */
export function spawnCommand(
  request: Pick<ExecutionRequest, "command" | "shell" | "cwd" | "env">,
  stdio: ["ignore" | "pipe", "ignore" | "pipe", "pipe"],
  platform: NodeJS.Platform,
): ChildProcess {
  const { file, args, verbatim } = commandLine(request, platform);
  return spawn(file, args, {
    cwd: request.cwd,
    env: request.env,
    stdio,
    detached: platform !== "win32",
    windowsHide: true,
    windowsVerbatimArguments: verbatim,
  });
}

/** How a command line is handed to its shell (`/bin/sh -c`, `cmd.exe /d /s /c`). */
function commandLine(request: Pick<ExecutionRequest, "command" | "shell">, platform: NodeJS.Platform): { file: string; args: string[]; verbatim: boolean } {
  if (platform === "win32") {
    const file = request.shell ?? "cmd.exe";
    // The same quoting Node uses for `shell: true`: /s strips the outer quotes, the rest is verbatim.
    if (/(?:^|[\\/])cmd(?:\.exe)?$/i.test(file)) return { file, args: ["/d", "/s", "/c", `"${request.command}"`], verbatim: true };
    return { file, args: ["-c", request.command], verbatim: false };
  }
  return { file: request.shell ?? "/bin/sh", args: ["-c", request.command], verbatim: false };
}

/** Checks what spawn would report vaguely (a missing cwd is an ENOENT that looks like a missing shell). */
function findStartProblem(request: Pick<ExecutionRequest, "cwd" | "shell">): string | null {
  const { cwd, shell } = request;
  // A relative cwd would silently resolve against wherever Sundial itself was started.
  if (!path.isAbsolute(cwd)) return `cwd "${cwd}" is not an absolute path`;
  try {
    if (!statSync(cwd).isDirectory()) return `cwd "${cwd}" is not a directory`;
  } catch (error) {
    return `cwd "${cwd}" ${describePathError(error, "does not exist")}`;
  }
  // A bare name ("bash") is looked up on PATH by spawn; its ENOENT is reported below.
  if (shell !== undefined && path.isAbsolute(shell)) {
    try {
      if (statSync(shell).isDirectory()) return `shell "${shell}" is a directory, not a program`;
    } catch (error) {
      return `shell "${shell}" ${describePathError(error, "not found")}`;
    }
  }
  return null;
}

function describePathError(error: unknown, missing: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return missing;
  if (code === "EACCES") return "cannot be reached (permission denied)";
  return `cannot be used: ${errorText(error)}`;
}

const SPAWN_ERRNO_WORDS: Record<string, string> = {
  ENOENT: "not found",
  EACCES: "permission denied",
  E2BIG: "the command line and environment are too long for the system",
  ENOEXEC: "not a program this system can run",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EAGAIN: "the system refused another process (process limit reached?)",
  ENOMEM: "out of memory",
};

function describeSpawnFailure(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return `shell "${file}" not found (ENOENT)`;
  const words = code ? SPAWN_ERRNO_WORDS[code] : undefined;
  if (words) return `could not start "${file}": ${words} (${code})`;
  return `could not start "${file}": ${errorText(error)}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
