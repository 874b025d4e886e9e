/**
 * What every CLI command gets: the home, a lazily connected client, and the output streams
 * (injected, so commands do not write to `process` directly and stay testable).
 */
import { resolveHome } from "../../core/home.js";
import { connectClient, type SchedulerClient } from "../client.js";
import { escapeForTerminal, terminalSafeJson } from "./format.js";

export interface Output {
  write(text: string): void;
  /** Set on a terminal (process.stdout has it): a run's raw output is escaped only there. */
  readonly isTTY?: boolean;
}

export interface CliContext {
  readonly home: string;
  readonly homeGiven: boolean;
  readonly stdout: Output;
  readonly stderr: Output;
  /** The engine owning the home (connects on first use; fails if none is running). */
  client(): SchedulerClient;
  now(): Date;
  /**
   * Calls `listener` on Ctrl-C (SIGINT) instead of ending the process, until the returned
   * function is called. Absent where nothing can interrupt (tests building a context).
   */
  onInterrupt?(listener: () => void): () => void;
}

export interface GlobalOptions {
  home?: string;
}

export function createContext(options: GlobalOptions, io: { stdout: Output; stderr: Output; env?: NodeJS.ProcessEnv }): CliContext {
  const home = resolveHome(options.home, io.env ?? process.env);
  let client: SchedulerClient | undefined;
  return {
    home,
    homeGiven: Boolean(options.home),
    stdout: io.stdout,
    stderr: io.stderr,
    client: () => (client ??= connectClient({ home, homeGiven: Boolean(options.home) })),
    now: () => new Date(),
    onInterrupt(listener) {
      process.on("SIGINT", listener);
      return () => process.off("SIGINT", listener);
    },
  };
}

/**
 * Writes one line for people (adds the newline). Control characters in it are shown as
 * escapes (escapeForTerminal), always, terminal or not: a stored name must not break the
 * line. `"lines"` is for a block that is several lines on purpose (a table whose cells are
 * already escaped).
 */
export function println(output: Output, text = "", mode: "field" | "lines" = "field"): void {
  output.write(`${escapeForTerminal(text, mode)}\n`);
}

/** Stable machine output for `--json` (the same values; bidi and C1 controls as `\u` escapes). */
export function printJson(output: Output, value: unknown): void {
  output.write(`${terminalSafeJson(JSON.stringify(value, null, 2))}\n`);
}

/**
 * A run's own output (`logs`, `run --wait`): the command's bytes as they are into a pipe or
 * a file, where a program may want them exactly; on a terminal, its controls are shown as
 * escapes (newlines and tabs kept), so a job cannot clear the screen or set the title.
 */
export function writeRunOutput(output: Output, text: string): void {
  output.write(output.isTTY ? escapeForTerminal(text, "lines") : text);
}
