/**
 * Rules for every web page the app creates (vite-electron-builder's "security restrictions"
 * module): no navigation away from the app, no new windows, no webviews, no permissions.
 * Registered before any window exists, so nothing escapes them.
 */
import { app, session, shell, type Session, type WebContents } from "electron";
import type { Log } from "./log.js";
import { decideNavigation } from "./navigation-policy.js";

export function applySecurityRules(log: Log): void {
  app.on("web-contents-created", (_event, contents) => hardenContents(contents, log));
}

function hardenContents(contents: WebContents, log: Log): void {
  // Every frame, main or sub; in-page (hash) navigations are not reported and need no check.
  contents.on("will-frame-navigate", (event) => {
    const decision = decideNavigation(event.url, "navigate");
    if (decision === "allow") return;
    event.preventDefault();
    follow(decision, event.url, log);
  });
  contents.on("will-redirect", (event) => {
    if (decideNavigation(event.url, "navigate") !== "allow") event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    follow(decideNavigation(url, "newWindow"), url, log);
    return { action: "deny" };
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
}

function follow(decision: "allow" | "openExternal" | "deny", url: string, log: Log): void {
  if (decision === "openExternal") {
    shell.openExternal(url).catch((error: unknown) => log(`could not open ${url}: ${(error as Error).message}`));
  } else if (decision === "deny") {
    log(`refused to open ${url}`);
  }
}

/** The UI needs no camera, microphone, web notifications, geolocation, USB, serial or HID (screen capture is refused without a handler). */
export function denyAllPermissions(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}
