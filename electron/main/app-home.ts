/**
 * Which home folder the desktop app runs on. The same rules as the CLI and the daemon
 * (`--home`, then `SUNDIAL_HOME`, then Electron's `userData` for "Sundial"), so the tray app,
 * `sundial daemon` and `sundial list` always agree on where the jobs are.
 */
import path from "node:path";
import { defaultHome, PRODUCT_NAME, resolveHome } from "../core/home.js";

/**
 * `--home DIR` or `--home=DIR` anywhere on the command line (Electron adds its own arguments).
 * An explicitly empty value is returned as "" (resolveHome refuses it).
 */
export function homeFlag(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--home") return argv[index + 1];
    if (argument.startsWith("--home=")) return argument.slice("--home=".length);
  }
  return undefined;
}

export interface HomeChoice {
  home: string;
  /** Where it came from, for the start-up log line. */
  source: "--home" | "SUNDIAL_HOME" | "default";
}

/** The home for this launch; always absolute. */
export function chooseHome(argv: readonly string[], env: NodeJS.ProcessEnv): HomeChoice {
  const flag = homeFlag(argv);
  const source = flag !== undefined ? "--home" : env.SUNDIAL_HOME !== undefined ? "SUNDIAL_HOME" : "default";
  return { home: resolveHome(flag, env), source };
}

/**
 * Electron's rule for `userData`: `appData` joined with the app's name. With the name set to
 * "Sundial" this is `defaultHome()`; the composition root checks it and warns when a platform
 * ever disagrees, because the CLI would then look for the engine somewhere else.
 */
export function electronUserData(appData: string): string {
  return path.join(appData, PRODUCT_NAME);
}

/** A warning when Electron's default folder is not the one the CLI computes, else null. */
export function homeMismatch(electronDefault: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const cliDefault = defaultHome(env, platform);
  if (path.resolve(electronDefault) === path.resolve(cliDefault)) return null;
  return `Electron's data folder ${electronDefault} differs from the CLI's default ${cliDefault}; run the CLI with --home "${electronDefault}"`;
}

/** Passed by login launches (autostart entries): start in the tray without opening the window. */
export const HIDDEN_FLAG = "--hidden";

/** True for a launch at login: by flag (Linux, Windows) or as the OS reports it (macOS). */
export function startsHidden(argv: readonly string[], openedAtLogin = false): boolean {
  return openedAtLogin || argv.includes(HIDDEN_FLAG);
}
