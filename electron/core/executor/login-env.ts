/**
 * The environment a job's command sees. An app started from a desktop launcher gets a
 * minimal environment (PATH=/usr/bin:/bin, none of ~/.profile), so commands that work in a
 * terminal would fail with "command not found". The user's login shell is asked once for its
 * environment, which then becomes every run's base.
 */
import type { RunReason } from "../../shared/schemas.js";

export interface UserEnvironmentOptions {
  /** How long the login shell may take (slow dotfiles, a prompt waiting for input). */
  timeoutMs?: number;
  /** Reports a fallback and why; default console.warn. */
  log?: (line: string) => void;
  /** Default `process.platform`; Windows has no login shell to ask. */
  platform?: NodeJS.Platform;
  /** Reads the login shell's environment; default shell-env with the user's default shell. */
  readLoginShell?: () => Promise<Readonly<Record<string, string>>>;
  /** The environment Sundial itself got; default `process.env`. */
  processEnv?: NodeJS.ProcessEnv;
  /** Ask the shell again instead of using the cached answer (after the user edits dotfiles). */
  refresh?: boolean;
}

export const DEFAULT_LOGIN_SHELL_TIMEOUT_MS = 5_000;

/**
 * Variables the login shell reports about itself (its own cwd, nesting, last command) and
 * those shell-env sets to tame oh-my-zsh; they describe the probe, not the user.
 */
const PROBE_VARIABLES = ["_", "PWD", "OLDPWD", "SHLVL", "DISABLE_AUTO_UPDATE", "ZSH_TMUX_AUTOSTARTED", "ZSH_TMUX_AUTOSTART"];

/** shell-env parses `env` output line by line, so only plain names survive intact (no BASH_FUNC_x%%). */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

let cached: Promise<Record<string, string>> | null = null;

/**
 * process.env overlaid with the login shell's environment (the shell wins, PATH above all).
 * Resolved once and cached; on failure or timeout it is process.env alone, and the reason is
 * logged. Never rejects. Injecting `readLoginShell` or `processEnv` bypasses the cache.
 */
export function resolveUserEnvironment(options: UserEnvironmentOptions = {}): Promise<Record<string, string>> {
  const cacheable = options.readLoginShell === undefined && options.processEnv === undefined;
  if (!cacheable) return resolveOnce(options);
  if (!cached || options.refresh) cached = resolveOnce(options);
  return cached.then((env) => ({ ...env }));
}

async function resolveOnce(options: UserEnvironmentOptions): Promise<Record<string, string>> {
  const processEnv = options.processEnv ?? process.env;
  const platform = options.platform ?? process.platform;
  const log = options.log ?? ((line: string) => console.warn(`[login-env] ${line}`));
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_SHELL_TIMEOUT_MS;
  const own = definedOnly(processEnv);
  if (platform === "win32") return own;

  // shell-env is loaded only when needed (it costs ~50 ms at start-up).
  const readLoginShell = options.readLoginShell ?? (async () => (await import("shell-env")).shellEnv());
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LoginShellTimeoutError(timeoutMs)), timeoutMs);
      // The probe must not keep a CLI or test process alive on its own.
      timer.unref();
    });
    const loginEnv = await Promise.race([readLoginShell(), timeout]);
    // shell-env answers with process.env itself when every shell it tried failed.
    if (loginEnv === process.env || loginEnv === processEnv) {
      log("could not read the login shell's environment (the shell failed to start); using Sundial's own environment");
      return own;
    }
    return mergeLoginEnvironment(own, loginEnv);
  } catch (error) {
    // On a timeout the shell-env child is left to finish on its own: shell-env gives no handle to kill it.
    log(`could not read the login shell's environment (${(error as Error).message}); using Sundial's own environment`);
    return own;
  } finally {
    clearTimeout(timer);
  }
}

function mergeLoginEnvironment(own: Record<string, string>, loginEnv: Readonly<Record<string, string>>): Record<string, string> {
  const merged = { ...own };
  for (const [name, value] of Object.entries(loginEnv)) {
    if (!PLAIN_NAME.test(name) || PROBE_VARIABLES.includes(name)) continue;
    // shell-env cannot carry a value with a newline (it splits on lines): keep ours whole.
    if (own[name]?.includes("\n")) continue;
    merged[name] = value;
  }
  return merged;
}

/** The login shell did not answer in time. */
export class LoginShellTimeoutError extends Error {
  override name = "LoginShellTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`the login shell did not answer within ${timeoutMs} ms`);
  }
}

/** Forgets the cached login environment (tests; a "reload environment" action). */
export function forgetUserEnvironment(): void {
  cached = null;
}

export interface RunVariables {
  jobId: string;
  jobName: string;
  runId: string;
  /** ISO 8601 slot time; for a manual run pass its start time (null falls back to `startedAt`, then now). */
  scheduledAt: string | null;
  reason: RunReason;
  startedAt?: string;
  /** What the event that started the run says (SUNDIAL_PARENT_*, SUNDIAL_CHANGED_PATHS): reserved like the rest. */
  eventEnv?: Readonly<Record<string, string>>;
}

/**
 * A run's complete environment: the user's environment, then the job's own variables, then
 * SUNDIAL_* (reserved: a job cannot override them). On Windows names are case-insensitive,
 * so a job's `PATH` replaces the inherited `Path` instead of sitting beside it.
 */
export function buildRunEnvironment(
  base: Readonly<Record<string, string>>,
  jobEnv: Readonly<Record<string, string>>,
  vars: RunVariables,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const env: Record<string, string> = { ...base };
  const set = (name: string, value: string): void => {
    if (platform === "win32") {
      for (const existing of Object.keys(env)) if (existing !== name && existing.toUpperCase() === name.toUpperCase()) delete env[existing];
    }
    env[name] = value;
  };
  for (const [name, value] of Object.entries(jobEnv)) set(name, value);
  set("SUNDIAL_JOB_ID", vars.jobId);
  set("SUNDIAL_JOB_NAME", vars.jobName);
  set("SUNDIAL_RUN_ID", vars.runId);
  set("SUNDIAL_SCHEDULED_AT", vars.scheduledAt ?? vars.startedAt ?? new Date().toISOString());
  set("SUNDIAL_REASON", vars.reason);
  for (const [name, value] of Object.entries(vars.eventEnv ?? {})) set(name, value);
  return env;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}
