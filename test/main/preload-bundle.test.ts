import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRELOAD_KEYS } from "../../electron/preload/bridge.js";
import { EVENTS_CHANNEL, channelFor } from "../../electron/shared/ipc.js";
import { tempFolder } from "../support/temp-folders.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * The preload as the sandboxed renderer gets it: one CommonJS file, run with a `require` that
 * knows only "electron". Built into a temp folder by the real build step, then evaluated in a
 * fresh VM context against a fake `electron` module.
 */
describe("the bundled preload (scripts/build-preload.mjs)", () => {
  let folder: string;
  let source: string;
  beforeAll(() => {
    folder = tempFolder("preload");
    execFileSync(process.execPath, [path.join(root, "scripts", "build-preload.mjs"), folder], { cwd: root, stdio: "pipe" });
    source = fs.readFileSync(path.join(folder, "index.cjs"), "utf8");
  }, 60_000);
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("is a single CommonJS file that requires nothing but electron", () => {
    expect(fs.readdirSync(folder)).toEqual(["index.cjs"]);
    const required = [...source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect([...new Set(required)]).toEqual(["electron"]);
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
  });

  it("exposes window.sundial with exactly the contract's methods plus subscribe, wired to their channels", async () => {
    const exposed: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
    const invoked: unknown[][] = [];
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => (exposed[key] = api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, value: "answer" };
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, listener),
        removeListener: (channel: string) => listeners.delete(channel),
      },
    };
    const requireElectronOnly = (name: string) => {
      if (name !== "electron") throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    const module = { exports: {} };
    vm.runInNewContext(`(function (require, module, exports) {${source}\n})`, {})(requireElectronOnly, module, module.exports);

    expect(Object.keys(exposed)).toEqual(["sundial"]);
    const bridge = exposed.sundial!;
    expect(Object.keys(bridge).sort()).toEqual([...PRELOAD_KEYS].sort());
    expect(await bridge.getJob!("backup")).toBe("answer");
    expect(invoked).toEqual([[channelFor("getJob"), "backup"]]);

    const seen: unknown[] = [];
    const stop = bridge.subscribe!((event: unknown) => seen.push(event)) as () => void;
    // The page gets the event only, never the IpcRendererEvent (whose `sender` reaches all of IPC).
    listeners.get(EVENTS_CHANNEL)!({ sender: "ipc internals" }, { type: "engine.resumed" });
    expect(seen).toEqual([{ type: "engine.resumed" }]);
    stop();
    expect(listeners.has(EVENTS_CHANNEL)).toBe(false);
  });
});
