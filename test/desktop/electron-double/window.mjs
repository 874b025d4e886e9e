/* global window, Request */
/**
 * `BrowserWindow`, `webContents`, `ipcMain` and the default `session`, backed by a real
 * Chromium page (playwright-core): requests to the app's scheme are answered by the handler
 * the app gave `protocol.handle`, with the headers its `onHeadersReceived` listener sets;
 * renderer-initiated navigations and `window.open` go through the app's own handlers; the
 * preload bundle the window names runs in the page (renderer-runtime.mjs).
 */
import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import { chromium } from "playwright-core";
import { preloadCheck, preloadScript, rendererRuntime } from "./renderer-runtime.mjs";
import { appUrlFor, isStandInUrl, lifecycle, notImplemented, pageUrlFor, preventableEvent, requireReady, schemes, standInOrigins, strict } from "./runtime.mjs";

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * The browser: the test's shared Chromium when `ELECTRON_DOUBLE_CDP` names its endpoint
 * (one Chromium for many app launches), else one launched for this process.
 */
let browserPromise = null;
export function connectBrowser() {
  browserPromise ??= process.env.ELECTRON_DOUBLE_CDP
    ? chromium.connectOverCDP(process.env.ELECTRON_DOUBLE_CDP)
    : chromium.launch({ executablePath: process.env.SUNDIAL_CHROMIUM ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  return browserPromise;
}

// ------------------------------------------------------------------ ipcMain

const handlers = new Map();
const ipcMainEmitter = new EventEmitter();
export const ipcMain = strict(
  Object.assign(ipcMainEmitter, {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  }),
  "ipcMain",
);

// ------------------------------------------------------------------ session

const headerListeners = [];
const defaultSession = strict(
  {
    webRequest: strict(
      {
        onHeadersReceived(filterOrListener, maybeListener) {
          const listener = typeof filterOrListener === "function" ? filterOrListener : maybeListener;
          // Electron keeps one listener per event: a new one replaces the old, null removes it.
          headerListeners.length = 0;
          if (listener) headerListeners.push(listener);
        },
      },
      "session.webRequest",
    ),
    permissionHandlers: {},
    setPermissionRequestHandler(handler) {
      this.permissionHandlers.request = handler;
    },
    setPermissionCheckHandler(handler) {
      this.permissionHandlers.check = handler;
    },
    setDevicePermissionHandler(handler) {
      this.permissionHandlers.device = handler;
    },
  },
  "session",
);
export const session = strict(
  {
    get defaultSession() {
      requireReady("session.defaultSession");
      return defaultSession;
    },
  },
  "session",
);

/** Runs the session's onHeadersReceived listener, as Electron does for every response. */
function applyHeaderListeners(details) {
  if (headerListeners.length === 0) return Promise.resolve({ responseHeaders: details.responseHeaders });
  return new Promise((resolve) => headerListeners[0](details, (answer) => resolve({ responseHeaders: answer.responseHeaders ?? details.responseHeaders, cancel: answer.cancel })));
}

// ------------------------------------------------------------------ frames and contents

let nextContentsId = 1;
let nextFrameTreeNodeId = 1;
export const allWindows = new Set();

/** Electron's WebFrameMain: one object per frame, cached, so identity holds across messages. */
class WebFrameMain {
  constructor(contents, playwrightFrame, parent) {
    this._contents = contents;
    this._frame = playwrightFrame;
    this.parent = parent;
    this.frameTreeNodeId = nextFrameTreeNodeId++;
  }
  get url() {
    return appUrlFor(this._frame?.url() ?? "");
  }
  get top() {
    return this._contents.mainFrame;
  }
  send(channel, ...args) {
    this._contents._deliver(this._frame, channel, args);
  }
}

class WebContents extends EventEmitter {
  constructor(window, webPreferences) {
    super();
    this.id = nextContentsId++;
    this._window = window;
    this._webPreferences = webPreferences;
    this._destroyed = false;
    this._openHandler = null;
    this._programmaticUrl = null;
    this._page = null;
    this._frames = new WeakMap();
    this.mainFrame = new WebFrameMain(this, null, null);
    this.dispatchName = `__electronDoubleDispatch_${crypto.randomBytes(6).toString("hex")}`;
  }
  _frameFor(playwrightFrame) {
    if (!playwrightFrame) return null;
    if (playwrightFrame === this._page?.mainFrame()) return this.mainFrame;
    let frame = this._frames.get(playwrightFrame);
    if (!frame) {
      frame = new WebFrameMain(this, playwrightFrame, this._frameFor(playwrightFrame.parentFrame()));
      this._frames.set(playwrightFrame, frame);
    }
    return frame;
  }
  _deliver(playwrightFrame, channel, args) {
    const frame = playwrightFrame ?? this._page?.mainFrame();
    if (!frame || this._destroyed) return;
    frame.evaluate(([name, sentChannel, sentArgs]) => window[name]?.(sentChannel, sentArgs), [this.dispatchName, channel, args]).catch(() => {
      // The page navigated or closed meanwhile: Electron drops such a message too.
    });
  }
  getURL() {
    return this.mainFrame.url;
  }
  isDestroyed() {
    return this._destroyed;
  }
  send(channel, ...args) {
    this.mainFrame.send(channel, ...args);
  }
  setWindowOpenHandler(handler) {
    this._openHandler = handler;
  }
  focus() {
    this._window.focus();
  }
  /** Resolves when the page has loaded (did-finish-load), rejects when it failed. */
  async loadURL(url) {
    const page = await this._window._pageReady;
    const target = pageUrlFor(url);
    this._programmaticUrl = target.split("#")[0];
    try {
      await page.goto(target, { waitUntil: "load" });
    } catch (error) {
      this.emit("did-fail-load", preventableEvent(), -2, error.message, url, true);
      throw new Error(`ERR_FAILED (-2) loading '${url}': ${error.message.split("\n")[0]}`, { cause: error });
    } finally {
      this._programmaticUrl = null;
    }
  }
}

// ------------------------------------------------------------------ BrowserWindow

let nextWindowId = 1;

class BrowserWindowImpl extends EventEmitter {
  constructor(options = {}) {
    super();
    requireReady("new BrowserWindow");
    this.id = nextWindowId++;
    this.options = options;
    this._visible = false;
    this._focused = false;
    this._destroyed = false;
    this.showCount = 0;
    this.focusCount = 0;
    this._shownOnce = false;
    this._context = null;
    const webPreferences = options.webPreferences ?? {};
    this.webContents = strict(new WebContents(this, webPreferences), "webContents");
    // Electron emits web-contents-created as the window is made, before its page loads.
    lifecycle.emitter.emit("web-contents-created", preventableEvent(), this.webContents);
    this._pageReady = this._openPage(webPreferences);
    this._pageReady.catch((error) => process.stderr.write(`electron double: the window's page could not be opened: ${error.stack}\n`));
    if (options.show !== false) this.show();
  }

  async _openPage(webPreferences) {
    const browser = await connectBrowser();
    const contents = this.webContents;
    const context = await browser.newContext({ viewport: { width: this.options.width ?? 800, height: this.options.height ?? 600 }, locale: "en-US", colorScheme: "light" });
    this._context = context;
    const binding = `__electronDoubleIpc_${crypto.randomBytes(6).toString("hex")}`;
    await context.exposeBinding(binding, (source, message) => this._fromRenderer(source.frame, message));
    let preloadSource = null;
    if (webPreferences.preload) {
      try {
        preloadSource = fs.readFileSync(webPreferences.preload, "utf8");
      } catch (error) {
        // Electron reports it in the renderer's console and loads the page without a preload.
        process.stderr.write(`electron double: Unable to load preload script: ${webPreferences.preload} (${error.code})\n`);
      }
    }
    const env = `__electronDoublePreload_${crypto.randomBytes(6).toString("hex")}`;
    await context.addInitScript({ content: rendererRuntime(binding, contents.dispatchName, env) });
    await context.addInitScript({ content: preloadScript(preloadSource, env) });
    await context.addInitScript({ content: preloadCheck(env) });
    await context.route("**/*", (route, request) => this._route(route, request));
    const page = await context.newPage();
    contents._page = page;
    contents.mainFrame._frame = page.mainFrame();
    this.pageBinding = binding;
    page.on("load", () => {
      contents.emit("did-finish-load", preventableEvent());
      if (!this._shownOnce) {
        this._shownOnce = true;
        this.emit("ready-to-show", preventableEvent());
      }
    });
    if (process.env.ELECTRON_DOUBLE_DEBUG) {
      for (const name of ["domcontentloaded", "load", "requestfailed", "requestfinished", "framenavigated"]) page.on(name, (what) => process.stderr.write(`electron double: page ${name} ${what?.url?.() ?? ""} ${what?.failure?.()?.errorText ?? ""}\n`));
    }
    page.on("crash", () => contents.emit("render-process-gone", preventableEvent(), { reason: "crashed", exitCode: 0 }));
    page.on("console", (message) => {
      if (message.type() === "error" || process.env.ELECTRON_DOUBLE_DEBUG) process.stderr.write(`electron double: renderer console ${message.type()}: ${message.text()}\n`);
    });
    page.on("pageerror", (error) => process.stderr.write(`electron double: renderer error: ${error.message}\n`));
    // A page that window.open created: the app's handler decides (Electron docs,
    // "webContents.setWindowOpenHandler"); the double opens no second window.
    context.on("page", (popup) => {
      if (popup !== page) void this._windowOpened(popup);
    });
    return page;
  }

  async _windowOpened(popup) {
    const url = appUrlFor(popup.url());
    const decision = this.webContents._openHandler?.({ url, frameName: "", features: "", disposition: "new-window", referrer: { url: this.webContents.getURL(), policy: "strict-origin-when-cross-origin" } }) ?? { action: "allow" };
    if (decision.action !== "deny") notImplemented("a window.open that the app allows");
    await popup.close().catch(() => {});
  }

  async _route(route, request) {
    if (process.env.ELECTRON_DOUBLE_DEBUG) process.stderr.write(`electron double: request ${request.method()} ${request.url()}\n`);
    const contents = this.webContents;
    const page = contents._page;
    const url = request.url();
    const frame = request.frame();
    if (request.isNavigationRequest() && page && frame.page() !== page) {
      // The first request of a window.open popup: refused here, the handler runs on "page".
      if (this.webContents._openHandler && (this.webContents._openHandler({ url: appUrlFor(url), frameName: "", features: "", disposition: "new-window" })?.action ?? "allow") === "deny") return route.abort("blockedbyclient");
    }
    if (request.isNavigationRequest() && frame.page() === page && url.split("#")[0] !== contents._programmaticUrl) {
      // Electron: will-frame-navigate for renderer-initiated navigations of any frame (not
      // for loadURL, not for in-page navigations); will-navigate too for the main frame.
      const event = preventableEvent({ url: appUrlFor(url), isMainFrame: frame === page.mainFrame(), frame: contents._frameFor(frame), initiator: null });
      contents.emit("will-frame-navigate", event);
      if (event.isMainFrame && !event.defaultPrevented) contents.emit("will-navigate", event, appUrlFor(url));
      if (event.defaultPrevented) return route.abort("aborted");
    }
    if (!isStandInUrl(url)) return route.continue();
    const appUrl = appUrlFor(url);
    const scheme = new URL(appUrl).protocol.slice(0, -1);
    const handler = schemes.handlers.get(scheme);
    if (!handler) return route.abort("failed");
    let response;
    try {
      const headers = Object.fromEntries(Object.entries(request.headers()).filter(([name]) => !name.startsWith(":")));
      response = await handler(new Request(appUrl, { method: request.method(), headers }));
    } catch (error) {
      process.stderr.write(`electron double: the ${scheme}: handler threw for ${appUrl}: ${error.message}\n`);
      return route.abort("failed");
    }
    const responseHeaders = {};
    response.headers.forEach((value, name) => {
      (responseHeaders[name] ??= []).push(value);
    });
    const answer = await applyHeaderListeners({
      id: 0,
      url: appUrl,
      method: request.method(),
      resourceType: request.resourceType(),
      referrer: request.headers().referer ?? "",
      timestamp: Date.now(),
      statusLine: `HTTP/1.1 ${response.status}`,
      statusCode: response.status,
      responseHeaders,
      webContentsId: contents.id,
      webContents: contents,
      frame: contents._frameFor(frame),
    });
    if (answer.cancel) return route.abort("blockedbyclient");
    const headers = {};
    for (const [name, values] of Object.entries(answer.responseHeaders)) {
      const joined = (Array.isArray(values) ? values : [values]).join(", ");
      // Header names are case-insensitive: two spellings of one header are one header.
      const key = Object.keys(headers).find((existing) => existing.toLowerCase() === name.toLowerCase()) ?? name;
      const value = /^content-security-policy$/i.test(name) ? standInOrigins(joined) : joined;
      headers[key] = headers[key] && headers[key] !== value ? `${headers[key]}, ${value}` : value;
    }
    const body = Buffer.from(await response.arrayBuffer());
    return route.fulfill({ status: response.status, headers, body });
  }

  /** A message from a frame of this window's page: an ipcMain handler answers it. */
  async _fromRenderer(playwrightFrame, message) {
    if (message?.kind !== "invoke") notImplemented(`ipcRenderer message ${JSON.stringify(message?.kind)}`);
    const handler = handlers.get(message.channel);
    if (!handler) return { ok: false, error: `Error: No handler registered for '${message.channel}'` };
    const senderFrame = this.webContents._frameFor(playwrightFrame);
    const event = { type: "frame", sender: this.webContents, senderFrame, frameId: senderFrame?.frameTreeNodeId ?? 0, processId: process.pid };
    try {
      return { ok: true, value: await handler(event, ...(message.args ?? [])) };
    } catch (error) {
      return { ok: false, error: `${error?.name ?? "Error"}: ${error?.message ?? String(error)}` };
    }
  }

  loadURL(url) {
    return this.webContents.loadURL(url);
  }
  show() {
    this._visible = true;
    this.showCount++;
    this.focus();
    this.emit("show");
  }
  focus() {
    this._focused = true;
    this.focusCount++;
    this.emit("focus");
  }
  blur() {
    this._focused = false;
    this.emit("blur");
  }
  isVisible() {
    return this._visible;
  }
  isFocused() {
    return this._focused;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  isDestroyed() {
    return this._destroyed;
  }
  close() {
    if (this._destroyed) return;
    const event = preventableEvent();
    this.emit("close", event);
    if (!event.defaultPrevented) this.destroy();
  }
  destroy() {
    if (this._destroyed) return;
    this._destroyed = true;
    this._visible = false;
    this.webContents._destroyed = true;
    allWindows.delete(this);
    void this._pageReady.then(() => this._context.close()).catch(() => {});
    this.emit("closed");
    this.webContents.emit("destroyed");
    if (allWindows.size === 0) lifecycle.emitter.emit("window-all-closed");
  }

  /** What the control channel reports. */
  describe() {
    return { id: this.id, dispatch: this.webContents.dispatchName, visible: this._visible, focused: this._focused, showCount: this.showCount, focusCount: this.focusCount, url: this.webContents.getURL(), pageUrl: this.webContents._page?.url() ?? "", destroyed: this._destroyed, options: { ...this.options, webPreferences: { ...this.options.webPreferences } } };
  }
}

/** Constructed through a Proxy, so an unknown method on a window fails loudly too. */
export const BrowserWindow = new Proxy(BrowserWindowImpl, {
  construct(target, args) {
    const window = strict(new target(...args), "BrowserWindow");
    allWindows.add(window);
    lifecycle.emitter.emit("browser-window-created", preventableEvent(), window);
    return window;
  },
  get(target, property, receiver) {
    if (property === "getAllWindows") return () => [...allWindows];
    if (property === "getFocusedWindow") return () => [...allWindows].find((window) => window.isFocused()) ?? null;
    if (typeof property === "symbol" || property in target) return Reflect.get(target, property, receiver);
    return notImplemented(`BrowserWindow.${property}`);
  },
});
