/**
 * Start at login, off by default. macOS and Windows: Electron's login items. Linux: an XDG
 * autostart entry (autostart-linux.ts).
 */
import { app } from "electron";
import { autostartExecutable, disableLinuxAutostart, enableLinuxAutostart, isLinuxAutostartEnabled, linuxAutostartFolder } from "./autostart-linux.js";

export interface Autostart {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

/** `args`: what the login launch must pass again (e.g. `--home DIR`). */
export function createAutostart(args: readonly string[] = []): Autostart {
  if (process.platform === "linux") {
    const folder = linuxAutostartFolder();
    return {
      isEnabled: () => isLinuxAutostartEnabled(folder),
      setEnabled: (enabled) => {
        if (enabled) enableLinuxAutostart(folder, { execPath: autostartExecutable(process.execPath), args });
        else disableLinuxAutostart(folder);
      },
    };
  }
  return {
    isEnabled: () => app.getLoginItemSettings({ args: [...args] }).openAtLogin,
    setEnabled: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: [...args] }),
  };
}
