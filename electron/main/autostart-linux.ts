/**
 * Start at login on Linux: an XDG autostart entry (`~/.config/autostart/sundial.desktop`,
 * freedesktop.org "Desktop Application Autostart Specification"), which GNOME, KDE, Xfce,
 * Cinnamon and LXQt all read. Electron's `setLoginItemSettings` does nothing on Linux.
 * Plain Node: the folder and the executable are parameters, so tests use a temp folder.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PRODUCT_NAME } from "../core/home.js";
import type { StartAtLogin } from "../core/settings.js";

export const AUTOSTART_FILE_NAME = "sundial.desktop";

/** `$XDG_CONFIG_HOME/autostart`, else `~/.config/autostart`. */
export function linuxAutostartFolder(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config"), "autostart");
}

/**
 * The program to start at login. An AppImage runs from a mount point that changes at every
 * launch (`/tmp/.mount_SundiXXXX`); the AppImage runtime puts the file's real path in
 * `$APPIMAGE`, and that is what must be started.
 */
export function autostartExecutable(execPath: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.APPIMAGE || execPath;
}

export interface AutostartEntry {
  /** Absolute path of the executable. */
  execPath: string;
  /** Extra arguments (e.g. `--home DIR` when the app runs on a non-default home). */
  args?: readonly string[];
}

/** The `.desktop` file's text. */
export function desktopEntry(entry: AutostartEntry): string {
  const exec = [entry.execPath, ...(entry.args ?? [])].map(quoteExecArgument).join(" ");
  return [
    "[Desktop Entry]",
    "Type=Application",
    "Version=1.0",
    `Name=${PRODUCT_NAME}`,
    "Comment=Runs your scheduled jobs from the tray",
    `Exec=${exec}`,
    "Icon=sundial",
    "Terminal=false",
    "Categories=Utility;",
    "X-GNOME-Autostart-enabled=true",
    "",
  ].join("\n");
}

/**
 * Desktop Entry spec, "The Exec key": an argument with reserved characters is double-quoted,
 * and inside the quotes `"`, `` ` ``, `$` and `\` are backslash-escaped; then the string
 * escape rule doubles every backslash once more; `%` starts a field code, so it is doubled.
 */
export function quoteExecArgument(argument: string): string {
  const needsQuotes = argument === "" || /[\s"'\\><~|&;$*?#()`]/.test(argument);
  const quoted = needsQuotes ? `"${argument.replace(/(["`$\\])/g, "\\$1")}"` : argument;
  return quoted.replace(/\\/g, "\\\\").replace(/%/g, "%%");
}

/** Writes the entry (atomically: a half-written file would be read as broken at login). */
export function enableLinuxAutostart(folder: string, entry: AutostartEntry): string {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, AUTOSTART_FILE_NAME);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, desktopEntry(entry), { mode: 0o644 });
  fs.renameSync(temporary, file);
  return file;
}

/** Removes the entry; no entry is not an error. */
export function disableLinuxAutostart(folder: string): void {
  fs.rmSync(path.join(folder, AUTOSTART_FILE_NAME), { force: true });
}

/**
 * True when our entry exists and is not switched off (`Hidden=true` or
 * `X-GNOME-Autostart-enabled=false`, which desktop settings apps write instead of deleting).
 */
export function isLinuxAutostartEnabled(folder: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, AUTOSTART_FILE_NAME), "utf8");
  } catch {
    return false;
  }
  return !/^Hidden\s*=\s*true\s*$/im.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/im.test(text);
}

/**
 * Start at login as the app's settings use it (core/settings.ts StartAtLogin), over the XDG
 * autostart entry in `folder`. `args`: what the login launch must pass again (e.g. `--home DIR`).
 */
export function linuxAutostart(folder: string, execPath: string, args: readonly string[]): StartAtLogin {
  return {
    isEnabled: () => isLinuxAutostartEnabled(folder),
    setEnabled: (enabled) => {
      if (enabled) enableLinuxAutostart(folder, { execPath, args });
      else disableLinuxAutostart(folder);
    },
  };
}
