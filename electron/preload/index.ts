/**
 * The preload: the ONLY file that touches raw `ipcRenderer` (a lint rule says so). It runs in
 * a sandboxed renderer, where a preload can `require("electron")` and nothing else, so the
 * build bundles it with `../shared/ipc.ts` into one CommonJS file (scripts/build-preload.mjs).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import type { SchedulerEvent } from "../shared/contract.js";
import { EVENTS_CHANNEL, type IpcResult } from "../shared/ipc.js";
import { createBridge } from "./bridge.js";

const bridge = createBridge({
  invoke: (channel, args) => ipcRenderer.invoke(channel, ...args) as Promise<IpcResult>,
  onEvent(listener) {
    // The page never sees the IpcRendererEvent (it carries `sender`, a door to all of IPC).
    const forward = (_event: IpcRendererEvent, payload: SchedulerEvent) => listener(payload);
    ipcRenderer.on(EVENTS_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENTS_CHANNEL, forward);
    };
  },
});

contextBridge.exposeInMainWorld("sundial", bridge);
