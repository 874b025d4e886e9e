/**
 * Files the shell needs at run time, from the app's root (the repository in development,
 * `resources/app.asar` when packaged).
 */
import path from "node:path";

export interface AppPaths {
  /** renderer/dist: what `sundial://app/` serves. */
  renderer: string;
  /** The bundled CommonJS preload (scripts/build-preload.mjs). */
  preload: string;
  /** build/tray: tray icons, read through Electron's asar support. */
  trayIcons: string;
  /** An icon for notifications: a real file, because the notifier is another process. */
  notificationIcon: string;
  /** The app icon for the window (Linux, Windows). */
  windowIcon: string;
}

export function appPaths(appRoot: string): AppPaths {
  return {
    renderer: path.join(appRoot, "renderer", "dist"),
    preload: path.join(appRoot, "dist", "electron", "preload", "index.cjs"),
    trayIcons: path.join(appRoot, "build", "tray"),
    notificationIcon: unpackedPath(path.join(appRoot, "build", "icons", "256x256.png")),
    windowIcon: path.join(appRoot, "build", "icons", "256x256.png"),
  };
}

/**
 * Other processes (notify-send, terminal-notifier) cannot read inside app.asar; files listed
 * in electron-builder's `asarUnpack` sit beside it in `app.asar.unpacked`.
 */
export function unpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, "$1app.asar.unpacked$2");
}
