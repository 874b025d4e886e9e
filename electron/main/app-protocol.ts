/**
 * The window's origin, `sundial://app/`, served from renderer/dist. A custom protocol rather
 * than `file://`: file pages get extra privileges (reading any local file with fetch, for
 * one), and a real origin lets the CSP say `'self'` and the IPC check say "our page".
 * Pure: the Electron handler in `protocol.ts` only reads the file this module picks.
 */
import path from "node:path";

export const APP_SCHEME = "sundial";
export const APP_HOST = "app";
/** The page the window loads; hash routes (`#/jobs/<id>`) are appended to it. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Everything from our own origin, nothing else: no inline script or style, no eval, no
 * plugins, no framing, no form posts, no network (the page talks to the engine over IPC).
 * Scripts only from /assets/, where Vite writes them: narrower than 'self', which
 * csp-evaluator (electronegativity's CSP check) flags because an origin may also host JSONP
 * or uploads. The origin here is `sundial://app`, so the source is spelled out; Chromium
 * matches it with the same scheme/host/port rules as 'self'. One literal on purpose: security.ts repeats it where electronegativity's CSP check reads
 * it, and a test keeps the two equal.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src sundial://app/assets/; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/** True when `url` is a page or file of our app (any path, any hash). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // A non-special scheme has an opaque origin ("null") in WHATWG URL: compare its parts.
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === "" && parsed.password === "" && parsed.port === "";
  } catch {
    return false;
  }
}

/**
 * The file under `root` a request names, or null when it names anything outside `root`
 * (`..`, encoded `%2e%2e`, backslashes, absolute paths), another host or scheme, or a
 * malformed escape. `/` serves index.html.
 */
export function resolveAppFile(requestUrl: string, root: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (!isAppUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // NUL ends a path in C; a backslash is a separator on Windows and never part of our file names.
  if (pathname.includes("\0") || pathname.includes("\\")) return null;
  if (pathname === "" || pathname.endsWith("/")) pathname += "index.html";
  const base = path.resolve(root);
  // Resolved against the root as a relative path, then checked to still be inside it.
  const file = path.resolve(base, `./${pathname.replace(/^\/+/, "")}`);
  const relative = path.relative(base, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return null;
  return file;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
};

/** Module scripts are refused unless served as JavaScript; unknown files are plain bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

/** Headers for every response of the app protocol. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    "Content-Type": contentTypeFor(file),
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
  };
}
