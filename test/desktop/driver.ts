/**
 * What a desktop journey needs from a running app, whatever runs it: the Electron double
 * here (double-driver.ts), real Electron through Playwright where its binary exists
 * (electron-driver.ts). The journeys (journeys.test.ts) are written once against this.
 */
import type { Page } from "playwright-core";

export interface TrayItemView {
  label: string;
  type: string;
  checked: boolean;
  enabled: boolean;
  submenu?: TrayItemView[];
}

export interface TrayView {
  /** The image file the tray shows, and whether Electron could load it. */
  image: string;
  imageEmpty: boolean;
  toolTip: string;
  menu: TrayItemView[];
}

export interface WindowView {
  visible: boolean;
  focused: boolean;
  /** What webContents.getURL() says (`sundial://app/…`). */
  url: string;
}

export interface DialogView {
  title?: string;
  message: string;
  detail?: string;
  buttons: string[];
}

export interface LaunchOptions {
  /** Passed as `--home`. */
  home: string;
  /** More command-line arguments (`--hidden`). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** The app folder, as `electron <folder>` takes it; the checkout by default, or a packaged `resources/app.asar`. */
  appDir?: string;
}

export interface DesktopApp {
  readonly pid: number;
  /** The window's page once it shows the app (waits for it). */
  window(): Promise<Page>;
  windows(): Promise<WindowView[]>;
  /** Takes focus away from every window (another app came to the front). */
  blurWindows(): Promise<void>;
  tray(): Promise<TrayView | null>;
  /** Clicks a tray menu item by its labels, submenus first. */
  clickTray(...labels: string[]): Promise<void>;
  /** Every message box shown so far, and the error boxes. */
  dialogs(): Promise<{ shown: DialogView[]; errorBoxes: { title: string; content: string }[] }>;
  /** Answers the message box that is open (or the next one) with the button so labelled. */
  answerDialog(button: string): Promise<void>;
  emitPower(event: "resume" | "unlock-screen"): Promise<void>;
  /** Unplugs (true) or plugs in (false) the charger: `isOnBatteryPower()` and `on-battery` / `on-ac` (issue 15). */
  setOnBattery(onBattery: boolean): Promise<void>;
  /** An IPC call from a subframe of the window's page: the app must refuse it. */
  invokeFromSubframe(channel: string): Promise<{ ok: boolean; error?: string }>;
  /** What the app wrote on stderr so far. */
  log(): string;
  /** The exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** Kills the process if it still runs. */
  kill(): Promise<void>;
}

export interface DesktopDriver {
  readonly name: string;
  /** Why the driver cannot run here, or null. */
  readonly skipReason: string | null;
  /** Whether a test can send IPC from a subframe (real Electron runs no preload there). */
  readonly canInvokeFromSubframe: boolean;
  start(): Promise<void>;
  launch(options: LaunchOptions): Promise<DesktopApp>;
  stop(): Promise<void>;
}

/** The tray item of the job named `name` ("• backup", "✕ backup": a status glyph, then the name). */
export function jobItemLabel(tray: TrayView, name: string): string | undefined {
  return tray.menu.find((item) => item.type === "submenu" && item.label.replace(/&&/g, "&").endsWith(` ${name}`))?.label;
}
