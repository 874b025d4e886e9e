/**
 * The one window. Opened from the tray, destroyed on close: the app lives on in the tray and
 * a closed window costs no renderer process. Secure `webPreferences`; the ones that are
 * Electron's defaults anyway are spelled out so a reader (and electronegativity) sees them.
 */
import { BrowserWindow, Menu, app, type WebContents } from "electron";
import { APP_INDEX_URL } from "./app-protocol.js";
import type { AppPaths } from "./app-paths.js";
import type { Log } from "./log.js";

export interface WindowManager {
  /** Shows the window (creating it if needed) at a hash route such as `#/jobs/<id>`. */
  open(hash?: string): void;
  /** The window's WebContents while it is open, for the IPC sender check and events. */
  contents(): WebContents | null;
  /** Closes (destroys) the window if open. */
  close(): void;
}

export function createWindowManager(paths: AppPaths, log: Log): WindowManager {
  let window: BrowserWindow | null = null;

  function create(): BrowserWindow {
    const created = new BrowserWindow({
      title: "Sundial",
      width: 1100,
      height: 760,
      minWidth: 640,
      minHeight: 420,
      show: false,
      autoHideMenuBar: true,
      icon: process.platform === "darwin" ? undefined : paths.windowIcon,
      webPreferences: {
        preload: paths.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        // Middle-click would otherwise try to open links in a new window (refused anyway by
        // the window-open handler in security.ts).
        disableBlinkFeatures: "Auxclick",
        spellcheck: false,
        // DevTools only when running from sources (`npm start`); an installed app has none.
        devTools: !app.isPackaged,
      },
    });
    created.once("ready-to-show", () => created.show());
    created.on("closed", () => {
      if (window === created) window = null;
    });
    created.webContents.on("render-process-gone", (_event, details) => log(`window renderer gone: ${details.reason}`));
    return created;
  }

  /**
   * loadURL's promise rejects when the load fails or is aborted (the window closed, or Quit,
   * while the page was still loading): logged, never left unhandled.
   */
  function load(target: BrowserWindow, url: string): void {
    target.loadURL(url).catch((error: unknown) => log(`window could not load ${url}: ${(error as Error).message}`));
  }

  return {
    open(hash = "") {
      const url = `${APP_INDEX_URL}${hash}`;
      if (!window || window.isDestroyed()) {
        window = create();
        load(window, url);
        return;
      }
      // Same document, new fragment: the renderer's router follows it without a reload.
      if (hash && window.webContents.getURL() !== url) load(window, url);
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    contents: () => (window && !window.isDestroyed() ? window.webContents : null),
    close() {
      if (window && !window.isDestroyed()) window.destroy();
      window = null;
    },
  };
}

/**
 * The app keeps running with no window (it lives in the tray). macOS needs an Edit menu for
 * copy and paste in the window; elsewhere the window has no menu bar at all.
 */
export function configureAppShell(): void {
  app.on("window-all-closed", () => {
    // Deliberately empty: without a listener Electron quits when the last window closes.
  });
  if (process.platform === "darwin") {
    // LSUIElement hides the Dock icon of the packaged app; this does it when run from sources.
    app.dock?.hide();
    Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: "appMenu" }, { role: "editMenu" }, { role: "windowMenu" }]));
  } else {
    Menu.setApplicationMenu(null);
  }
}
