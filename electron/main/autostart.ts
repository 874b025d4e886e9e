/**
 * Start at login, off by default. macOS and Windows: Electron's login items. Linux: an XDG
 * autostart entry (autostart-linux.ts).
 */
import { app } from "electron";
import { autostartExecutable, linuxAutostart, linuxAutostartFolder } from "./autostart-linux.js";

export interface Autostart {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

/** `args`: what the login launch must pass again (e.g. `--home DIR`). */
export function createAutostart(args: readonly string[] = []): Autostart {
  if (process.platform === "linux") return linuxAutostart(linuxAutostartFolder(), autostartExecutable(process.execPath), args);
  return {
    isEnabled: () => app.getLoginItemSettings({ args: [...args] }).openAtLogin,
    setEnabled: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: [...args] }),
  };
}
