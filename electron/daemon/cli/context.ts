/**
 * What every CLI command gets: the home, a lazily connected client, and the output streams
 * (injected, so commands do not write to `process` directly and stay testable).
 */
import { resolveHome } from "../../core/home.js";
import { connectClient, type SchedulerClient } from "../client.js";

export interface Output {
  write(text: string): void;
}

export interface CliContext {
  readonly home: string;
  readonly homeGiven: boolean;
  readonly stdout: Output;
  readonly stderr: Output;
  /** The engine owning the home (connects on first use; fails if none is running). */
  client(): SchedulerClient;
  now(): Date;
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
  };
}

/** Writes a line (adds the newline). */
export function println(output: Output, text = ""): void {
  output.write(`${text}\n`);
}

/** Stable machine output for `--json`. */
export function printJson(output: Output, value: unknown): void {
  output.write(`${JSON.stringify(value, null, 2)}\n`);
}
