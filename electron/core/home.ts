/**
 * The home folder: one per user, shared by the desktop app, the daemon and the CLI.
 * Default = Electron's `userData` for product name "Sundial", so every host agrees.
 */
import os from "node:os";
import path from "node:path";
import { ValidationError } from "../shared/errors.js";

export const PRODUCT_NAME = "Sundial";

/** Electron's userData folder for "Sundial" on this platform, computed without Electron. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Application Support", PRODUCT_NAME);
  if (platform === "win32") return path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), PRODUCT_NAME);
}

/**
 * `--home` wins, then `SUNDIAL_HOME`, then the default. Always absolute. An explicitly empty
 * `--home ""` or `SUNDIAL_HOME=""` is refused (ValidationError naming it): it is a script whose
 * variable was not set, and quietly using the default home would act on the wrong jobs.
 */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) {
    if (flag === "") throw new ValidationError([{ field: "--home", message: "must not be empty" }]);
    return path.resolve(flag);
  }
  if (env.SUNDIAL_HOME !== undefined) {
    if (env.SUNDIAL_HOME === "") throw new ValidationError([{ field: "SUNDIAL_HOME", message: "must not be empty (unset it to use the default home)" }]);
    return path.resolve(env.SUNDIAL_HOME);
  }
  return path.resolve(defaultHome(env));
}

/** Files inside a home folder. */
export function homePaths(home: string) {
  return {
    home,
    jobs: path.join(home, "jobs.json"),
    history: path.join(home, "history.jsonl"),
    /** Prepared runs, so one starts on its second without an fsync there (store/run-start-log.ts). */
    starts: path.join(home, "starts.jsonl"),
    alerts: path.join(home, "alerts.jsonl"),
    logs: path.join(home, "logs"),
    socket: process.platform === "win32" ? `\\\\.\\pipe\\sundial-${Buffer.from(home).toString("hex").slice(-40)}` : path.join(home, "sundial.sock"),
    token: path.join(home, "token"),
  };
}
