/**
 * Where the window may go. It stays on `sundial://app/`; a few https help pages may open in
 * the user's browser; everything else is refused: a page that can run commands must not be
 * able to hand arbitrary URLs (file:, smb:, custom handlers) to the OS through
 * `shell.openExternal`, nor load another site into a window that holds the IPC bridge.
 */
import { isAppUrl } from "./app-protocol.js";

/** https origins and path prefixes the renderer may link to (help pages, nothing else). */
export const EXTERNAL_LINK_ALLOWLIST: readonly { origin: string; pathPrefix: string }[] = [
  // Cron syntax help next to the editor's cron field.
  { origin: "https://crontab.guru", pathPrefix: "/" },
  // The IANA zone names the time-zone field accepts.
  { origin: "https://en.wikipedia.org", pathPrefix: "/wiki/List_of_tz_database_time_zones" },
];

/** True when `url` is an https link on the allowlist (no credentials, no other port). */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" || parsed.username !== "" || parsed.password !== "" || parsed.port !== "") return false;
  return EXTERNAL_LINK_ALLOWLIST.some((entry) => parsed.origin === entry.origin && parsed.pathname.startsWith(entry.pathPrefix));
}

export type NavigationDecision = "allow" | "openExternal" | "deny";

/** For a navigation or `window.open` to `url` from our window. */
export function decideNavigation(url: string, kind: "navigate" | "newWindow"): NavigationDecision {
  // A new window never opens (one window, one preload); our own pages load in place.
  if (isAppUrl(url)) return kind === "navigate" ? "allow" : "deny";
  return isAllowedExternalUrl(url) ? "openExternal" : "deny";
}
