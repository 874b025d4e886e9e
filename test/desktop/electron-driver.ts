/**
 * Runs the journeys on real Electron through Playwright's `_electron.launch`, where its
 * binary is installed (CI's desktop workflow; not these machines, which cannot download it).
 * Tray and dialogs are read through electron-recorder.cjs in the main process.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { _electron, type ElectronApplication } from "playwright-core";
import { ROOT } from "../support/cli.js";
import { tempFolder } from "../support/temp-folders.mjs";
import type { DesktopApp, DesktopDriver, LaunchOptions, TrayItemView, TrayView } from "./driver.js";

const RECORDER = path.join(ROOT, "test", "desktop", "electron-recorder.cjs");

/** Electron's binary as its npm package installs it (never `require("electron")`: that would try to download it). */
export function electronBinary(): string | null {
  const folder = path.join(ROOT, "node_modules", "electron");
  const pathFile = path.join(folder, "path.txt");
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(folder, "dist", fs.readFileSync(pathFile, "utf8").trim());
  return fs.existsSync(binary) ? binary : null;
}

export function electronDriver(): DesktopDriver {
  const binary = electronBinary();
  return {
    name: "real Electron",
    canInvokeFromSubframe: false,
    skipReason: binary ? null : "Electron's binary is not installed (node_modules/electron/path.txt or dist/ missing; `npm ci` with network installs it)",
    async start() {},
    launch: (options) => launchElectron(binary!, options),
    async stop() {},
  };
}

interface RecordedItem {
  label: string;
  type: string;
  checked: boolean;
  enabled: boolean;
  submenu?: { items: RecordedItem[] } | null;
}

async function launchElectron(executablePath: string, options: LaunchOptions): Promise<DesktopApp> {
  const args = [options.appDir ?? ROOT, "--home", options.home, ...(options.args ?? [])];
  const env = { ...process.env, XDG_CONFIG_HOME: tempFolder("desktop-xdg"), NODE_OPTIONS: `--require ${RECORDER}`, SUNDIAL_RECORDER_HEADLESS: "1", ...options.env } as Record<string, string>;
  let log = "";
  let application: ElectronApplication | null = null;
  let exited: Promise<number | null>;
  let pid: number;
  try {
    application = await _electron.launch({ executablePath, args, env, timeout: 60_000 });
    const child = application.process();
    pid = child.pid!;
    child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
    exited = new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));
  } catch {
    // A launch that exits at once (a second instance, a locked home) never opens the
    // inspector Playwright waits for: run it as a plain process instead.
    const child = spawn(executablePath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    pid = child.pid!;
    child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }
  const app = application;
  const main = <T>(fn: string): Promise<T> => {
    if (!app) throw new Error(`Electron exited at start; it logged:\n${log}`);
    return app.evaluate(new Function("electron", `return (${fn})(electron)`) as never) as Promise<T>;
  };
  const toView = (items: RecordedItem[]): TrayItemView[] =>
    items.map((item) => ({ label: item.label, type: item.type, checked: item.checked, enabled: item.enabled, ...(item.submenu ? { submenu: toView(item.submenu.items) } : {}) }));
  return {
    pid,
    async window() {
      if (!app) throw new Error(`Electron exited at start; it logged:\n${log}`);
      const page = await app.firstWindow();
      await page.waitForURL(/^sundial:\/\/app\//);
      return page;
    },
    windows: () => main(`({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible(), focused: w.isFocused(), url: w.webContents.getURL() }))`),
    blurWindows: () => main(`({ BrowserWindow }) => { for (const w of BrowserWindow.getAllWindows()) w.blur(); }`),
    async tray() {
      const recorded = await main<{ image: unknown; toolTip: string; menu: { items: RecordedItem[] } | null } | null>(
        `() => { const t = globalThis.__sundialRecorder.trays.find((e) => !e.tray.isDestroyed()); if (!t) return null; const walk = (m) => m ? { items: m.items.map((i) => ({ label: i.label, type: i.type, checked: i.checked, enabled: i.enabled, submenu: walk(i.submenu) })) } : null; return { image: String(t.image && t.image.isEmpty ? (t.image.isEmpty() ? "" : "loaded") : t.image), toolTip: t.toolTip, menu: walk(t.menu) }; }`,
      );
      if (!recorded) return null;
      const view: TrayView = { image: String(recorded.image), imageEmpty: recorded.image === "", toolTip: recorded.toolTip, menu: toView(recorded.menu?.items ?? []) };
      return view;
    },
    clickTray: (...labels) =>
      main(`() => { let m = globalThis.__sundialRecorder.trays.find((e) => !e.tray.isDestroyed()).menu; let item; for (const label of ${JSON.stringify(labels)}) { item = m.items.find((i) => i.label === label); if (!item) throw new Error("no tray item " + label); m = item.submenu; } item.click(); }`),
    dialogs: async () => {
      if (!app || application?.process().exitCode !== null) {
        return { shown: [], errorBoxes: [...log.matchAll(/error box "([^"]*)": (.*)/g)].map((match) => ({ title: match[1]!, content: match[2]! })) };
      }
      return main(`() => ({ shown: globalThis.__sundialRecorder.shown, errorBoxes: globalThis.__sundialRecorder.errorBoxes })`);
    },
    answerDialog: (button) => main(`() => globalThis.__sundialRecorder.answer(${JSON.stringify(button)})`),
    emitPower: (event) => main(`({ powerMonitor }) => { powerMonitor.emit(${JSON.stringify(event)}); }`),
    // The machine's own power cannot be switched from a test: the reading and the event are stood in for.
    setOnBattery: (onBattery) => main(`({ powerMonitor }) => { powerMonitor.isOnBatteryPower = () => ${onBattery}; powerMonitor.emit(${JSON.stringify(onBattery ? "on-battery" : "on-ac")}); }`),
    invokeFromSubframe: () => {
      throw new Error("real Electron runs no preload in subframes (nodeIntegrationInSubFrames is false): there is no ipcRenderer to call from one");
    },
    log: () => log,
    exited: exited!,
    async kill() {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      await exited;
    },
  };
}
