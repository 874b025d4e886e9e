/**
 * The ONLY file that touches raw `ipcMain` (a lint rule says so): it registers the routes of
 * `ipc-routes.ts` and pushes engine events to the window. Nothing else can be handled: the
 * channel list is the contract's.
 */
import { ipcMain, type WebContents } from "electron";
import type { SchedulerApi, SchedulerEvent } from "../shared/contract.js";
import { EVENTS_CHANNEL } from "../shared/ipc.js";
import { isAppUrl } from "./app-protocol.js";
import { createIpcRoutes } from "./ipc-routes.js";
import type { SenderCheck } from "./sender-check.js";

/** Registers one handler per contract method; returns the function that removes them all. */
export function registerIpcRoutes(service: SchedulerApi, isTrustedSender: SenderCheck, log: (line: string) => void): () => void {
  const routes = createIpcRoutes(service, isTrustedSender, log);
  for (const [channel, handler] of routes) ipcMain.handle(channel, handler);
  return () => {
    for (const channel of routes.keys()) ipcMain.removeHandler(channel);
  };
}

/** Sends one engine event to the window, if it still shows our page. */
export function sendEvent(contents: WebContents, event: SchedulerEvent): void {
  if (contents.isDestroyed() || !isAppUrl(contents.mainFrame.url)) return;
  contents.mainFrame.send(EVENTS_CHANNEL, event);
}
