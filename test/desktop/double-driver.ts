/**
 * Runs the built app under the Electron double: `node --import register.mjs launch.mjs
 * APP_DIR --home …` as a child process, its control channel over the child's IPC, and one
 * Chromium shared by every launch (each window gets its own browser context in it).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import asar from "@electron/asar";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/browser.js";
import { ROOT } from "../support/cli.js";
import { tempFolder } from "../support/temp-folders.mjs";
import { waitFor } from "../support/waiting.mjs";
import type { DesktopApp, DesktopDriver, DialogView, LaunchOptions, TrayView, WindowView } from "./driver.js";

const DOUBLE = path.join(ROOT, "test", "desktop", "electron-double");

interface DoubleWindow extends WindowView {
  dispatch: string;
  pageUrl: string;
}

interface DoubleState {
  ready: boolean;
  windows: DoubleWindow[];
  trays: TrayView[];
  errorBoxes: { title: string; content: string }[];
  dialogs: DialogView[];
  pendingDialogs: DialogView[];
}

export function doubleDriver(): DesktopDriver {
  let profile = "";
  let context: BrowserContext | null = null;
  let endpoint = "";
  let watcher: Browser | null = null;
  return {
    name: "the Electron double",
    canInvokeFromSubframe: true,
    skipReason: fs.existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (set SUNDIAL_CHROMIUM)`,
    async start() {
      profile = tempFolder("desktop-chromium");
      context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, "--remote-debugging-port=0"] });
      const port = fs.readFileSync(path.join(profile, "DevToolsActivePort"), "utf8").split("\n")[0];
      endpoint = `http://127.0.0.1:${port}`;
      // The test's own view of every page in that Chromium, windows of app launches included.
      watcher = await chromium.connectOverCDP(endpoint);
    },
    async launch(options) {
      return launchUnderDouble(options, endpoint, () => watcher!);
    },
    async stop() {
      await context?.close();
      if (profile) fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A packaged `resources/app.asar` as the double can run it: Electron reads inside the archive
 * through its patched `fs`, which plain Node has not, so the archive is extracted (with
 * @electron/asar) to a folder of the same name beside a link to the real `app.asar.unpacked`.
 * Every path the app computes (app.getAppPath(), the unpacked notification icon) reads as it
 * does in the package.
 */
function runnableAppDir(appDir: string): string {
  if (!appDir.endsWith(".asar") || !fs.statSync(appDir).isFile()) return appDir;
  const resources = path.join(tempFolder("desktop-asar"), "resources");
  const folder = path.join(resources, "app.asar");
  asar.extractAll(appDir, folder);
  if (fs.existsSync(`${appDir}.unpacked`)) fs.symlinkSync(`${appDir}.unpacked`, `${folder}.unpacked`);
  return folder;
}

async function launchUnderDouble(options: LaunchOptions, endpoint: string, watcher: () => Browser): Promise<DesktopApp> {
  const appDir = runnableAppDir(options.appDir ?? ROOT);
  const child = spawn(process.execPath, ["--import", path.join(DOUBLE, "register.mjs"), path.join(DOUBLE, "launch.mjs"), appDir, "--home", options.home, ...(options.args ?? [])], {
    cwd: ROOT,
    // XDG_CONFIG_HOME: start-at-login entries and Electron's appData land in a temp folder.
    env: { ...process.env, XDG_CONFIG_HOME: tempFolder("desktop-xdg"), ELECTRON_DOUBLE_CDP: endpoint, ...options.env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let log = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => (log += chunk));
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  let nextId = 1;
  const waiting = new Map<number, (reply: { ok: boolean; value?: unknown; error?: string }) => void>();
  child.on("message", (message: { id: number; ok: boolean; value?: unknown; error?: string }) => waiting.get(message.id)?.(message));
  async function control<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    if (gone) throw new Error(`the app has exited; it logged:\n${log}`);
    const id = nextId++;
    const reply = await new Promise<{ ok: boolean; value?: unknown; error?: string }>((resolve, reject) => {
      waiting.set(id, resolve);
      void exited.then(() => reject(new Error(`the app exited during ${command}; it logged:\n${log}`)));
      child.send({ id, command, args });
    });
    waiting.delete(id);
    if (!reply.ok) throw new Error(`${command}: ${reply.error}`);
    return reply.value as T;
  }
  const state = () => control<DoubleState>("state");

  let page: Page | null = null;
  return {
    pid: child.pid!,
    async window() {
      const shown = await waitFor(async () => (await state()).windows.find((window) => window.url.startsWith("sundial://app/")), 30_000, "the window to show the app");
      if (page && !page.isClosed()) return page;
      page = await waitFor(
        async () => {
          for (const candidate of watcher().contexts().flatMap((each) => each.pages())) {
            if (await candidate.evaluate(`${JSON.stringify(shown.dispatch)} in window`).catch(() => false)) return candidate;
          }
          return null;
        },
        15_000,
        "the window's page in Chromium",
      );
      return page;
    },
    windows: async () => (await state()).windows.map(({ visible, focused, url }) => ({ visible, focused, url })),
    blurWindows: () => control("blurWindows"),
    tray: async () => (await state()).trays[0] ?? null,
    clickTray: (...labels) => control("clickTray", { labels }),
    dialogs: async () => {
      // Gone (an app that could not start): Electron prints an error box on stderr on Linux, as the double does.
      if (gone) return { shown: [], errorBoxes: [...log.matchAll(/error box "([^"]*)": (.*)/g)].map((match) => ({ title: match[1]!, content: match[2]! })) };
      const current = await state();
      return { shown: current.dialogs, errorBoxes: current.errorBoxes };
    },
    answerDialog: async (button) => {
      await control("answerDialog", { button });
    },
    emitPower: (event) => control("emitPower", { event }),
    setOnBattery: async (onBattery) => {
      await control("setPower", { onBattery });
    },
    invokeFromSubframe: (channel) => control("invokeFromSubframe", { channel }),
    log: () => log,
    exited,
    async kill() {
      if (!gone) child.kill("SIGKILL");
      await exited;
    },
  };
}
