/* global setImmediate, setInterval, document */
/**
 * The Electron double: what Sundial's main process imports from `electron`, with Electron's
 * documented semantics, for running the built app where Electron's binary cannot be had
 * (DESIGN.md, "Testing on machines without a display"). Anything Sundial does not use throws
 * "electron double: X is not implemented". A test drives it through control.mjs.
 */
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import nodeNet from "node:net";
import os from "node:os";
import path from "node:path";
import { startControl } from "./control.mjs";
import { lifecycle, notImplemented, preventableEvent, requireReady, schemes, strict } from "./runtime.mjs";
import { BrowserWindow, allWindows, connectBrowser, ipcMain, session } from "./window.mjs";

// ------------------------------------------------------------------ app

/** Set by launch.mjs: the folder `electron <folder>` would be given (or resources/app.asar). */
const appPath = process.env.ELECTRON_DOUBLE_APP_PATH ?? process.cwd();
const manifest = JSON.parse(fs.readFileSync(path.join(appPath, "package.json"), "utf8"));
let appName = manifest.productName ?? manifest.name;
const paths = new Map();
const loginItem = { openAtLogin: false, args: [] };
const emitter = lifecycle.emitter;
let quitting = false;
let readyResolve;
const readyPromise = new Promise((resolve) => (readyResolve = resolve));

function defaultPath(name) {
  switch (name) {
    case "home":
      return os.homedir();
    case "appData":
      if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Application Support");
      if (process.platform === "win32") return process.env.APPDATA ?? path.join(os.homedir(), "AppData", "Roaming");
      return process.env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
    case "userData":
      return path.join(app.getPath("appData"), appName);
    case "temp":
      return os.tmpdir();
    case "exe":
      return process.execPath;
    default:
      return notImplemented(`app.getPath(${JSON.stringify(name)})`);
  }
}

// Single instance: Electron keeps a lock in userData; a second process hands its argv to the
// first ("second-instance") and gets false. Synchronous in Electron, so here too: a lock file
// holding the owner's pid, and a socket the owner listens on for the hand-over.
let lockHeld = false;
function singletonFiles() {
  const userData = app.getPath("userData");
  const digest = crypto.createHash("sha1").update(userData).digest("hex").slice(0, 16);
  return { lock: path.join(userData, "electron-double-singleton.lock"), socket: path.join(os.tmpdir(), `electron-double-${digest}.sock`) };
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function requestSingleInstanceLock(additionalData = {}) {
  if (lockHeld) return true;
  const files = singletonFiles();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(files.lock, String(process.pid), { flag: "wx" });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(files.lock, "utf8"));
      if (owner && owner !== process.pid && isAlive(owner)) {
        const message = JSON.stringify({ argv: process.argv, workingDirectory: process.cwd(), additionalData });
        // Waits (synchronously, as Electron does) until the owner took the hand-over.
        execFileSync(process.execPath, [new URL("./hand-over.mjs", import.meta.url).pathname, files.socket, message], { stdio: ["ignore", "ignore", "inherit"], timeout: 20_000 });
        return false;
      }
      fs.rmSync(files.lock, { force: true });
      continue;
    }
    lockHeld = true;
    fs.rmSync(files.socket, { force: true });
    const server = nodeNet.createServer((socket) => {
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk) => (text += chunk));
      socket.on("end", () => {
        const { argv, workingDirectory, additionalData: data } = JSON.parse(text);
        emitter.emit("second-instance", preventableEvent(), argv, workingDirectory, data);
        socket.end("ok");
      });
    });
    server.listen(files.socket);
    server.unref();
    process.on("exit", () => {
      fs.rmSync(files.lock, { force: true });
      fs.rmSync(files.socket, { force: true });
    });
    return true;
  }
  throw new Error(`electron double: could not take the single-instance lock ${files.lock}`);
}

function terminate(code) {
  process.exit(code);
}

const appImpl = Object.assign(emitter, {
  get name() {
    return appName;
  },
  set name(value) {
    appName = value;
  },
  get isPackaged() {
    // Electron: true when running a packaged app; the app then lives in resources/app.asar.
    return path.basename(appPath) === "app.asar";
  },
  dock: process.platform === "darwin" ? { hide() {}, show() {} } : undefined,
  setName(value) {
    appName = value;
  },
  getName: () => appName,
  getVersion: () => manifest.version,
  getAppPath: () => appPath,
  getPath(name) {
    return paths.get(name) ?? defaultPath(name);
  },
  setPath(name, value) {
    // Electron: "If the path specifies a directory that does not exist, an Error is thrown."
    if (!path.isAbsolute(value) || !fs.existsSync(value)) throw new Error(`Failed to set path: ${value} does not exist`);
    paths.set(name, value);
  },
  requestSingleInstanceLock,
  hasSingleInstanceLock: () => lockHeld,
  isReady: () => lifecycle.ready,
  whenReady: () => readyPromise,
  enableSandbox() {
    if (lifecycle.ready) throw new Error("app.enableSandbox() can only be called before app is ready");
    appImpl.sandboxEnabled = true;
  },
  sandboxEnabled: false,
  getLoginItemSettings: () => ({ openAtLogin: loginItem.openAtLogin, openAsHidden: false, wasOpenedAtLogin: false, wasOpenedAsHidden: false, restoreState: false, executableWillLaunchAtLogin: loginItem.openAtLogin, launchItems: [] }),
  setLoginItemSettings(settings) {
    loginItem.openAtLogin = settings.openAtLogin === true;
    loginItem.args = settings.args ?? [];
  },
  /**
   * Electron: before-quit (preventable), then every window is closed, then will-quit
   * (preventable), then quit, and the process exits 0.
   */
  quit() {
    if (quitting) return;
    setImmediate(() => {
      const before = preventableEvent();
      emitter.emit("before-quit", before);
      if (before.defaultPrevented) return;
      quitting = true;
      for (const window of [...allWindows]) window.close();
      if (allWindows.size > 0) {
        quitting = false;
        return;
      }
      const willQuit = preventableEvent();
      emitter.emit("will-quit", willQuit);
      if (willQuit.defaultPrevented) {
        quitting = false;
        return;
      }
      emitter.emit("quit", preventableEvent(), 0);
      terminate(0);
    });
  },
  /** Electron: exits at once, no before-quit / will-quit. */
  exit(code = 0) {
    terminate(code);
  },
});
export const app = strict(appImpl, "app");

// Electron's process does not end when the main script has nothing left to do: it lives
// until quit or exit.
setInterval(() => {}, 1 << 30);

// Ready once the browser is there (the main script has run by then, as with Electron).
setImmediate(() => {
  connectBrowser().then(
    () => {
      lifecycle.ready = true;
      emitter.emit("will-finish-launching");
      emitter.emit("ready", preventableEvent(), {});
      readyResolve();
    },
    (error) => {
      process.stderr.write(`electron double: Chromium could not be started: ${error.message}\n`);
      terminate(1);
    },
  );
});

// ------------------------------------------------------------------ protocol

export const protocol = strict(
  {
    registerSchemesAsPrivileged(customSchemes) {
      // Electron: "This method can only be used before the ready event of the app module".
      if (lifecycle.ready) throw new Error("protocol.registerSchemesAsPrivileged should be called before app is ready");
      for (const { scheme, privileges = {} } of customSchemes) schemes.privileged.set(scheme, privileges);
    },
    handle(scheme, handler) {
      requireReady("protocol.handle");
      if (schemes.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
      if (!schemes.privileged.get(scheme)?.standard) notImplemented(`protocol.handle for the non-standard scheme ${scheme}`);
      schemes.handlers.set(scheme, handler);
    },
    unhandle(scheme) {
      schemes.handlers.delete(scheme);
    },
    isProtocolHandled: (scheme) => schemes.handlers.has(scheme),
  },
  "protocol",
);

// ------------------------------------------------------------------ images, menus, tray

class NativeImage {
  constructor(file) {
    this.path = file;
    // Electron returns an empty image for a file it cannot read as an image.
    let bytes;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      bytes = null;
    }
    this.empty = !bytes || !bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }
  isEmpty() {
    return this.empty;
  }
}
export const nativeImage = strict({ createFromPath: (file) => strict(new NativeImage(file), "NativeImage") }, "nativeImage");

class MenuItem {
  constructor(options) {
    this.label = options.label ?? "";
    this.type = options.type ?? (options.submenu ? "submenu" : "normal");
    this.role = options.role;
    this.checked = options.checked ?? false;
    this.enabled = options.enabled ?? true;
    this.visible = options.visible ?? true;
    this.click = options.click;
    this.submenu = options.submenu ? (options.submenu instanceof Menu ? options.submenu : Menu.buildFromTemplate(options.submenu)) : null;
  }
}

class Menu {
  constructor() {
    this.items = [];
  }
  static buildFromTemplate(template) {
    const menu = new Menu();
    menu.items = template.map((options) => new MenuItem(options));
    return menu;
  }
  static setApplicationMenu(menu) {
    applicationMenu.current = menu;
  }
  static getApplicationMenu() {
    return applicationMenu.current;
  }
}
const applicationMenu = { current: undefined };
const MenuExport = new Proxy(Menu, {
  get(target, property, receiver) {
    if (typeof property === "symbol" || property in target) return Reflect.get(target, property, receiver);
    return notImplemented(`Menu.${property}`);
  },
});
export { MenuExport as Menu };

const trays = new Set();
class Tray extends EventEmitter {
  constructor(image) {
    super();
    requireReady("new Tray");
    this.image = image;
    this.toolTip = "";
    this.contextMenu = null;
    this.destroyed = false;
    trays.add(this);
  }
  setImage(image) {
    this.image = image;
  }
  setToolTip(text) {
    this.toolTip = text;
  }
  setContextMenu(menu) {
    this.contextMenu = menu;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    trays.delete(this);
  }
}
const TrayExport = new Proxy(Tray, {
  construct(target, args) {
    return strict(new target(...args), "Tray");
  },
});
export { TrayExport as Tray };

export const nativeTheme = strict(Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: "system" }), "nativeTheme");

// ------------------------------------------------------------------ dialogs, power, shell

const dialogs = { errorBoxes: [], shown: [], pending: new Map(), scripted: [], nextId: 1 };
function answerFor(options, answer) {
  const index = typeof answer === "number" ? answer : (options.buttons ?? ["OK"]).indexOf(answer);
  if (index < 0) throw new Error(`electron double: the dialog "${options.message}" has no button "${answer}" (buttons: ${JSON.stringify(options.buttons)})`);
  return { response: index, checkboxChecked: false };
}
export const dialog = strict(
  {
    /** Electron: safe before ready; on Linux it also prints the message to stderr. */
    showErrorBox(title, content) {
      dialogs.errorBoxes.push({ title, content });
      process.stderr.write(`electron double: error box "${title}": ${content}\n`);
    },
    showMessageBox(windowOrOptions, maybeOptions) {
      const options = maybeOptions ?? windowOrOptions;
      const id = dialogs.nextId++;
      const record = { id, type: options.type, title: options.title, message: options.message, detail: options.detail, buttons: options.buttons ?? ["OK"] };
      dialogs.shown.push(record);
      return new Promise((resolve) => {
        const scripted = dialogs.scripted.shift();
        if (scripted !== undefined) {
          resolve(answerFor(options, scripted));
          return;
        }
        dialogs.pending.set(id, { record, answer: (answer) => resolve(answerFor(options, answer)) });
      });
    },
  },
  "dialog",
);

/** Power and network as the test sets them (`setPower`, `setOnline`): on AC and online until then. */
const systemState = { onBattery: false, online: true };

export const powerMonitor = strict(Object.assign(new EventEmitter(), { isOnBatteryPower: () => systemState.onBattery }), "powerMonitor");

export const net = strict({ isOnline: () => systemState.online }, "net");

const opened = [];
export const shell = strict(
  {
    openExternal(url) {
      opened.push(url);
      return Promise.resolve();
    },
  },
  "shell",
);

export { BrowserWindow, ipcMain, session };

// ------------------------------------------------------------------ the test's controls

function describeMenu(menu) {
  return menu ? menu.items.map((item) => ({ label: item.label, type: item.type, checked: item.checked, enabled: item.enabled, ...(item.submenu ? { submenu: describeMenu(item.submenu) } : {}) })) : [];
}

startControl({
  state: () => ({
    ready: lifecycle.ready,
    sandbox: appImpl.sandboxEnabled,
    windows: [...allWindows].map((window) => window.describe()),
    trays: [...trays].map((tray) => ({ image: tray.image.path, imageEmpty: tray.image.empty, toolTip: tray.toolTip, menu: describeMenu(tray.contextMenu) })),
    errorBoxes: dialogs.errorBoxes,
    dialogs: dialogs.shown,
    pendingDialogs: [...dialogs.pending.values()].map((pending) => pending.record),
    openedExternally: opened,
    loginItem,
  }),
  /** Clicks the tray menu item reached by `labels` (submenus first). */
  clickTray({ labels }) {
    const tray = [...trays][0];
    if (!tray) throw new Error("no tray");
    let menu = tray.contextMenu;
    let item = null;
    for (const label of labels) {
      item = menu?.items.find((candidate) => candidate.label === label) ?? null;
      if (!item) throw new Error(`no tray menu item ${JSON.stringify(label)} in ${JSON.stringify(describeMenu(menu).map((entry) => entry.label))}`);
      menu = item.submenu;
    }
    if (!item.enabled) throw new Error(`the tray menu item ${JSON.stringify(labels)} is disabled`);
    // Electron flips a checkbox before calling click.
    if (item.type === "checkbox") item.checked = !item.checked;
    item.click?.(item, BrowserWindow.getFocusedWindow(), { shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, triggeredByAccelerator: false });
    return null;
  },
  /** Answers the open message box with the button labelled `button` (or the next one to open). */
  answerDialog({ button }) {
    const [first] = dialogs.pending.entries();
    if (!first) {
      dialogs.scripted.push(button);
      return "scripted";
    }
    dialogs.pending.delete(first[0]);
    first[1].answer(button);
    return "answered";
  },
  /** Another application came to the front. */
  blurWindows() {
    for (const window of allWindows) window.blur();
    return null;
  },
  emitPower({ event }) {
    powerMonitor.emit(event, preventableEvent());
    return null;
  },
  /** Unplugs (true) or plugs in (false) the charger: `on-battery` / `on-ac`, as Electron emits them. */
  setPower({ onBattery }) {
    systemState.onBattery = onBattery;
    powerMonitor.emit(onBattery ? "on-battery" : "on-ac", preventableEvent());
    return null;
  },
  /** The network goes down or comes back (the app reads `net.isOnline()`). */
  setOnline({ online }) {
    systemState.online = online;
    return null;
  },
  /**
   * Invokes `channel` from a subframe of the window's page (an about:blank iframe added for
   * the purpose, as if its preload had run there): the app's sender check must refuse it.
   */
  async invokeFromSubframe({ channel, args }) {
    const window = [...allWindows][0];
    if (!window) throw new Error("no window");
    const page = await window._pageReady;
    await page.waitForLoadState("load");
    await page.evaluate(() => {
      const frame = document.createElement("iframe");
      frame.id = "electron-double-subframe";
      document.body.append(frame);
    });
    const frame = await waitForSubframe(page);
    return frame.evaluate(([binding, sentChannel, sentArgs]) => window[binding]({ kind: "invoke", channel: sentChannel, args: sentArgs }), [window.pageBinding, channel, args ?? []]);
  },
});

async function waitForSubframe(page) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    if (frame) return frame;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the subframe did not appear");
}

export default { app, protocol, session, BrowserWindow, ipcMain, Menu: MenuExport, Tray: TrayExport, nativeImage, nativeTheme, dialog, powerMonitor, net, shell };
