/**
 * Which tray image to show. macOS menu bars take monochrome "template" images that the OS
 * tints for light and dark bars; elsewhere we pick a light- or dark-panel variant ourselves.
 * File names match what build/make-icons.mjs writes into build/tray/ (Electron picks the
 * `@2x` file next to each on HiDPI screens).
 */
import type { TrayIconState } from "./tray-menu.js";

const TEMPLATE_NAMES: Readonly<Record<TrayIconState, string>> = {
  idle: "trayTemplate.png",
  running: "trayRunningTemplate.png",
  failed: "trayFailedTemplate.png",
};

/**
 * `darkPanel`: the tray sits on a dark background (so the glyph is drawn light). GNOME and
 * KDE panels are dark by default; Windows follows the system theme.
 */
export function trayIconFile(state: TrayIconState, platform: NodeJS.Platform, darkPanel: boolean): string {
  if (platform === "darwin") return TEMPLATE_NAMES[state];
  return `tray-${state}-${darkPanel ? "dark" : "light"}.png`;
}

/** Every file the tray may load (the packaging test checks they are all in the asar). */
export function allTrayIconFiles(): string[] {
  const states: TrayIconState[] = ["idle", "running", "failed"];
  const files = states.flatMap((state) => [TEMPLATE_NAMES[state], `tray-${state}-light.png`, `tray-${state}-dark.png`]);
  return files.flatMap((file) => [file, file.replace(/\.png$/, "@2x.png")]);
}
