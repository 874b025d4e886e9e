/**
 * Drives the real thing: `node bin/sundial.js daemon` on temp homes and the real CLI as
 * child processes. The build (tsc → dist/) runs once per change of the sources, before any
 * test file starts (test/support/build-before-tests.ts); a file run on its own builds it here.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { homePaths } from "../../electron/core/home.js";
import { removeTempFolders, tempFolder } from "./temp-folders.mjs";
import { sleep, waitFor } from "./waiting.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = path.join(ROOT, "bin", "sundial.js");
const DIST_CLI = path.join(ROOT, "dist", "electron", "daemon", "cli.js");
const CLI_BUNDLE = path.join(ROOT, "dist", "cli", "sundial.js");
const STAMP = path.join(ROOT, "dist", ".test-build-stamp");

// ------------------------------------------------------------------ build once

function newestSourceMtime(folder = path.join(ROOT, "electron")): number {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** dist/ is fresh when this helper built it after the last source change, or `npm run build` did. */
function buildIsFresh(): boolean {
  try {
    const newest = newestSourceMtime();
    const stamped = fs.existsSync(STAMP) && Number(fs.readFileSync(STAMP, "utf8")) >= newest;
    const built = Math.min(fs.statSync(DIST_CLI).mtimeMs, fs.statSync(CLI_BUNDLE).mtimeMs) >= newest;
    return stamped || built;
  } catch {
    return false;
  }
}

/**
 * Compiles the project to dist/ unless it is already fresh. Safe to call from test files
 * running in parallel processes: a lock folder makes one of them build while the others wait.
 */
export async function ensureBuilt(): Promise<void> {
  if (process.env.BUILT_FOR_SUNDIAL_TESTS === "1") return;
  await buildOnce("sundial-build", buildIsFresh, 120_000, 100, async () => {
    const startedAt = newestSourceMtime();
    const result = await run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: ROOT });
    // tsc still emits when other parts of the tree have type errors; the CLI is what we need.
    if (!fs.existsSync(DIST_CLI)) throw new Error(`The build did not produce ${DIST_CLI}:\n${result.stdout}${result.stderr}`);
    // bin/sundial.js runs the bundled CLI (scripts/build-cli.mjs) for every command but the daemon.
    const bundler = await run(process.execPath, [path.join(ROOT, "scripts", "build-cli.mjs")], { cwd: ROOT });
    if (bundler.code !== 0) throw new Error(`Bundling the CLI failed:\n${bundler.stdout}${bundler.stderr}`);
    fs.writeFileSync(STAMP, String(startedAt));
  });
}

/**
 * Runs `build` unless `isFresh()`, one builder at a time across test processes: a lock
 * folder (named after `name` and this checkout) is held while building, and the others wait
 * for it, polling every `pollMs`. A lock older than `staleAfterMs` was left by a builder
 * that died, and is taken over.
 */
export async function buildOnce(name: string, isFresh: () => boolean, staleAfterMs: number, pollMs: number, build: () => Promise<void>): Promise<void> {
  if (isFresh()) return;
  const lock = path.join(os.tmpdir(), `${name}-${crypto.createHash("sha1").update(ROOT).digest("hex").slice(0, 12)}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleAfterMs) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(pollMs);
      if (isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    await build();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ processes

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface SundialOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Runs `sundial <command> --home <home> <rest…>`. `--home` goes right after the command
 * name, so words after `--` (a job's command) stay untouched.
 */
export function sundial(args: string[], options: SundialOptions): Promise<CommandResult> {
  const [command, ...rest] = args;
  const withHome = command === undefined || command.startsWith("-") ? args : [command, "--home", options.home, ...rest];
  return run(process.execPath, [BIN, ...withHome], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, SUNDIAL_DEBUG: "", ...options.env },
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}

/** `sundial add …` that must succeed; fails loudly with stderr when it does not. */
export async function addJob(home: string, ...args: string[]): Promise<void> {
  const result = await sundial(["add", ...args], { home });
  if (result.code !== 0) throw new Error(`sundial add ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
}

/** Debian's libfaketime (installed by .ci/run): a daemon under it runs on a clock a test sets. */
export const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
export const haveFaketime = fs.existsSync(LIBFAKETIME);

/** `sundial … --json`, parsed; fails loudly with stderr when the command fails. */
export async function sundialJson<T>(args: string[], options: SundialOptions): Promise<T> {
  // Before `--`: anything after it is the job's command.
  const end = args.indexOf("--");
  const withJson = end < 0 ? [...args, "--json"] : [...args.slice(0, end), "--json", ...args.slice(end)];
  const result = await sundial(withJson, options);
  if (result.code !== 0) throw new Error(`sundial ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export interface RunningDaemon {
  readonly home: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the daemon logged so far. */
  stderr(): string;
  /** Everything the daemon printed on stdout so far (the web UI's link). */
  stdout(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash), then waits until the process is gone. */
  kill9(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<RunningDaemon>();

/**
 * Starts `sundial daemon --home <home> [args…]` and waits until its engine answers.
 * `args` adds daemon options such as `--ui --port 0`.
 */
export async function startDaemon(
  home: string,
  options: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number; args?: string[] } = {},
): Promise<RunningDaemon> {
  await ensureBuilt();
  const child = spawn(process.execPath, [BIN, "daemon", "--home", home, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  let out = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => (log += chunk));
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const daemon: RunningDaemon = {
    home,
    pid: child.pid!,
    child,
    stderr: () => log,
    stdout: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const { code } = await exited;
      running.delete(daemon);
      return code;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      running.delete(daemon);
    },
  };
  running.add(daemon);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 45_000);
  let gone = false;
  void exited.then(() => (gone = true));
  while (!(await engineReady(home))) {
    if (gone) throw new Error(`sundial daemon exited before it was ready:\n${log}`);
    if (Date.now() > deadline) {
      await daemon.kill9();
      throw new Error(`sundial daemon was not ready within the timeout:\n${log}`);
    }
    await sleep(50);
  }
  return daemon;
}

/** Kills every daemon a test file started and did not stop (call in afterAll). */
export async function stopAllDaemons(): Promise<void> {
  await Promise.all([...running].map((daemon) => daemon.kill9()));
}

function engineReady(home: string): Promise<boolean> {
  const socketPath = homePaths(home).socket;
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: "/api/ping", agent: false, timeout: 1_000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        try {
          resolve((JSON.parse(body) as { result?: { ready?: boolean } }).result?.ready === true);
        } catch {
          resolve(false);
        }
      });
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}

// ------------------------------------------------------------------ homes and time

/** A fresh home folder (0700) under the system temp folder; `removeTempHomes` deletes it. */
export const tempHome = (label = "home"): string => tempFolder(label);
export const removeTempHomes = removeTempFolders;
export { sleep, waitFor };

/** A stack trace in CLI output is a bug: users get one line per problem. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[(:]\d+/m.test(text) || /\bnode:internal\b/.test(text);
}
