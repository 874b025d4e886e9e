/**
 * The script every page of a window runs before its own: in the main frame it runs the real
 * preload bundle (a sandboxed preload is one CommonJS script whose `require` knows only
 * `electron`), with a `contextBridge` that hands the page a copy of exactly what it is given
 * and an `ipcRenderer` whose messages reach the app's `ipcMain` through a Playwright
 * binding, which reports the real sending frame.
 *
 * Electron runs the preload in an isolated world; here it runs in the page's world, inside
 * a closure, before any page script: the page can reach what the bridge exposes and, as
 * with Electron, not `ipcRenderer` itself (the binding is taken off `window` first).
 */

/**
 * @param {string} binding the Playwright binding's name
 * @param {string} dispatch the hidden name main → renderer messages are delivered to
 * @param {string} env the hidden name the preload's `require`, `module` and `process` wait under
 */
export function rendererRuntime(binding, dispatch, env) {
  const runtime = `(() => {
  if (window !== window.top) return; // nodeIntegrationInSubFrames is false: no preload in subframes
  const send = window[${JSON.stringify(binding)}];
  try { delete window[${JSON.stringify(binding)}]; } catch {}
  const listeners = new Map();
  Object.defineProperty(window, ${JSON.stringify(dispatch)}, {
    value: (channel, args) => {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: ipcRenderer, senderId: 0, ports: [] }, ...args);
    },
  });
  const missing = (what) => { throw new Error("electron double: " + what + " is not implemented"); };
  const ipcRenderer = {
    invoke(channel, ...args) {
      return send({ kind: "invoke", channel, args }).then((reply) => {
        if (reply.ok) return reply.value;
        throw new Error("Error invoking remote method '" + channel + "': " + reply.error);
      });
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  // contextBridge: values are copied, functions proxied, an Error keeps only its message
  // (Electron docs, "contextBridge", parameter / error / return type support).
  const copyError = (error) => new Error(error && typeof error === "object" && "message" in error ? String(error.message) : String(error));
  const copy = (value) => {
    if (typeof value === "function") {
      return (...args) => {
        let result;
        try { result = value(...args.map(copy)); } catch (error) { throw error instanceof Error ? copyError(error) : copy(error); }
        return copy(result);
      };
    }
    if (value instanceof Promise) return value.then(copy, (error) => { throw error instanceof Error ? copyError(error) : copy(error); });
    if (value instanceof Error) return copyError(value);
    if (value instanceof Date) return new Date(value.getTime());
    if (Array.isArray(value)) return value.map(copy);
    if (value && typeof value === "object") {
      const out = {};
      for (const key of Object.keys(value)) out[key] = copy(value[key]);
      return out;
    }
    return value;
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      if (Object.prototype.hasOwnProperty.call(window, key)) throw new Error("Cannot bind an API on top of an existing property on the window object");
      Object.defineProperty(window, key, { value: copy(api), enumerable: true });
    },
  };
  const electron = new Proxy({ contextBridge, ipcRenderer }, { get: (target, key) => (key in target ? target[key] : missing("electron." + String(key) + " in the preload")) });
  const require = (name) => (name === "electron" ? electron : missing("require(" + JSON.stringify(name) + ") in a sandboxed preload"));
  // Handed to the preload script (the next init script), which takes it off the window.
  Object.defineProperty(window, ${JSON.stringify(env)}, { configurable: true, value: { require, module: { exports: {} }, process: { platform: ${JSON.stringify(process.platform)}, type: "renderer", sandboxed: true, contextIsolated: true, env: {}, versions: {} } } });
})();`;
  return runtime;
}

/**
 * The preload bundle as its own script, so that a bundle that does not even parse (an ES
 * module where a CommonJS script belongs) fails alone, as Electron reports it: "Unable to
 * load preload script", and the page loads without the bridge. `preloadSource` null: the file
 * could not be read.
 */
export function preloadScript(preloadSource, env) {
  const name = JSON.stringify(env);
  if (preloadSource === null) return `(() => { try { delete window[${name}]; } catch {} })();`;
  return `(() => {
  if (window !== window.top) return;
  const { require, module, process } = window[${name}];
  delete window[${name}];
  try {
    (function (require, module, exports, process) {
${preloadSource}
    })(require, module, module.exports, process);
  } catch (error) {
    console.error("Unable to load preload script: " + ((error && error.stack) || error));
  }
})();`;
}

/** Runs after the preload: if it never took its environment, it did not parse. */
export function preloadCheck(env) {
  const name = JSON.stringify(env);
  return `(() => {
  if (window !== window.top || !Object.prototype.hasOwnProperty.call(window, ${name})) return;
  delete window[${name}];
  console.error("Unable to load preload script: it could not be parsed");
})();`;
}
