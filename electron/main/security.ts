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

/**
 * The CSP also on every response the session sees, not only on what `sundial://app/` serves
 * (protocol.ts): whatever might ever load in a window of ours gets the same policy. The
 * literal is CONTENT_SECURITY_POLICY (app-protocol.ts; test/main/app-protocol.test.ts keeps
 * them equal): a static analyser such as electronegativity can only read a literal here.
 */
export function enforceContentSecurityPolicy(target: Session = session.defaultSession): void {
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        "Content-Security-Policy": [
          "default-src 'none'; script-src sundial://app/assets/; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
        ],
      },
    });
  });
}

/** The UI needs no camera, microphone, web notifications, geolocation, USB, serial or HID (screen capture is refused without a handler). */
export function denyAllPermissions(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}
