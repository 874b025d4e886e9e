/**
 * Helpers for executor tests: fixture paths, a run that collects its output, and a way to
 * tell whether a process is really gone.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Execution, ExecutionRequest, ExecutionResult, Executor } from "../../electron/core/executor/executor.js";

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");

/** The shell command line that runs a fixture script (quoted: the path may contain spaces). */
export function fixtureCommand(name: string, ...args: string[]): string {
  return [path.join(FIXTURES, name), ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(" ");
}

export interface CollectedRun {
  execution: Execution;
  /** Every chunk handed to onOutputBytes, in order. */
  chunks: Array<{ stream: "stdout" | "stderr"; bytes: Buffer }>;
  /** Decoded text per stream, concatenated. */
  text: { stdout: string; stderr: string };
  done: Promise<ExecutionResult>;
}

/** Starts a request with defaults (cwd = temp dir, env = this process's, 1 s grace) and collects its output. */
export function startCollecting(executor: Executor, request: Partial<ExecutionRequest> & { command: string }): CollectedRun {
  const chunks: CollectedRun["chunks"] = [];
  const text = { stdout: "", stderr: "" };
  const execution = executor.start({
    runId: "run-test",
    cwd: os.tmpdir(),
    env: definedEnv(),
    timeoutMs: null,
    killGraceMs: 1_000,
    onOutputBytes: (stream, bytes) => chunks.push({ stream, bytes }),
    onOutputText: (stream, piece) => {
      text[stream] += piece;
    },
    ...request,
  });
  return { execution, chunks, text, done: execution.done };
}

export function definedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}

export function bytesOf(run: CollectedRun, stream: "stdout" | "stderr"): Buffer {
  return Buffer.concat(run.chunks.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.bytes));
}

/**
 * "running", "zombie" or "gone". A zombie has been killed but not reaped: where PID 1 does
 * not reap orphans (this sandbox's init does not), a killed grandchild stays one for ever,
 * and `process.kill(pid, 0)` keeps succeeding for it although nothing runs.
 */
export function processState(pid: number): "running" | "zombie" | "gone" {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return "gone";
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X" ? "zombie" : "running";
  } catch {
    return "gone";
  }
}

/** Kills a process left running on purpose by a test (ignores one that is already gone). */
export function killQuietly(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Reads a number printed as "<label> <pid>" by a fixture. */
export function pidAfter(label: string, text: string): number {
  const match = new RegExp(`${label} (\\d+)`).exec(text);
  if (!match?.[1]) throw new Error(`no "${label} <pid>" line in output: ${JSON.stringify(text)}`);
  return Number(match[1]);
}

export { waitFor } from "./waiting.mjs";

/** A run id no other test (or worker) uses: processes are found by it. */
export function uniqueRunId(label: string): string {
  return `r_${label}_${randomBytes(8).toString("hex")}`;
}

/**
 * Running (not zombie) processes whose environment holds exactly `SUNDIAL_RUN_ID=<runId>`,
 * read from /proc independently of the code under test.
 */
export function processesMarkedWith(runId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(`SUNDIAL_RUN_ID=${runId}`)) continue;
    } catch {
      continue;
    }
    if (processState(Number(entry)) === "running") pids.push(Number(entry));
  }
  return pids;
}
