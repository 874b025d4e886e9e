/**
 * The tray icon and its menu: the Electron side of tray-menu.ts. Rebuilt after engine
 * events (debounced), every half minute (the countdowns move), and when the theme changes.
 */
import path from "node:path";
import { Menu, Tray, nativeImage, nativeTheme } from "electron";
import { debounce } from "./debounce.js";
import type { Log } from "./log.js";
import { toElectronMenu } from "./tray-menu-adapter.js";
import { buildTrayMenu, trayIconState, trayTooltip, type TrayAction, type TrayState } from "./tray-menu.js";
import { trayIconFile } from "./tray-icons.js";

export interface TrayOptions {
  iconFolder: string;
  readState: () => Promise<TrayState>;
  dispatch: (action: TrayAction) => void;
  /** A left click on Windows (where the convention is "open the app"); elsewhere it opens the menu. */
  onClick: () => void;
  log: Log;
}

export interface TrayController {
  /** Schedules a rebuild (bursts of engine events collapse into one). */
  refresh(): void;
  dispose(): void;
}

const REBUILD_WAIT_MS = 200;
const COUNTDOWN_REFRESH_MS = 30_000;

export function createTray(options: TrayOptions): TrayController {
  let currentIcon = "";
  const tray = new Tray(loadIcon(trayIconFile("idle", process.platform, darkPanel())));
  tray.setToolTip("Sundial");
  if (process.platform === "win32") tray.on("click", options.onClick);

  function loadIcon(file: string) {
    currentIcon = file;
    return nativeImage.createFromPath(path.join(options.iconFolder, file));
  }

  let rebuilding = false;
  let again = false;
  async function rebuild(): Promise<void> {
    if (rebuilding) {
      again = true;
      return;
    }
    rebuilding = true;
    try {
      do {
        again = false;
        const state = await options.readState();
        if (tray.isDestroyed()) return;
        const icon = trayIconFile(trayIconState(state), process.platform, darkPanel());
        if (icon !== currentIcon) tray.setImage(loadIcon(icon));
        tray.setToolTip(trayTooltip(state));
        // Linux (StatusNotifierItem) only picks up a changed menu when it is set again.
        tray.setContextMenu(Menu.buildFromTemplate(toElectronMenu(buildTrayMenu(state), options.dispatch)));
      } while (again);
    } catch (error) {
      options.log(`tray update failed: ${(error as Error).message}`);
    } finally {
      rebuilding = false;
    }
  }

  const refresh = debounce(() => void rebuild(), REBUILD_WAIT_MS, 1_000);
  const timer = setInterval(refresh, COUNTDOWN_REFRESH_MS);
  nativeTheme.on("updated", refresh);
  void rebuild();

  return {
    refresh,
    dispose() {
      refresh.cancel();
      clearInterval(timer);
      nativeTheme.removeListener("updated", refresh);
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}

/**
 * Whether the tray sits on a dark background. Linux panels (GNOME's top bar, most KDE and
 * Xfce themes) are dark whatever the app theme; Windows' taskbar follows the system theme.
 */
function darkPanel(): boolean {
  return process.platform === "linux" || nativeTheme.shouldUseDarkColors;
}
