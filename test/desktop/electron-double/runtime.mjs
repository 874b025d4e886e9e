/**
 * What every part of the double shares: the `ready` state, the loud failure for anything
 * Sundial does not use, and the mapping between an app scheme and the origin the page
 * really has in Chromium.
 */
import { EventEmitter } from "node:events";

/** Thrown for every Electron API the double does not implement. */
export function notImplemented(what) {
  throw new Error(`electron double: ${what} is not implemented`);
}

/**
 * `target` with every unknown property access failing loudly, so a call Sundial starts
 * making tomorrow is noticed instead of reading `undefined`.
 */
export function strict(target, label) {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === "symbol" || property in object || property === "then" || property === "toJSON") return Reflect.get(object, property, receiver);
      return notImplemented(`${label}.${property}`);
    },
  });
}

/** An Electron event object: `preventDefault()` and `defaultPrevented`. */
export function preventableEvent(fields = {}) {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export const lifecycle = {
  ready: false,
  emitter: new EventEmitter(),
};

/** Electron's modules that only work once the app is ready throw before it. */
export function requireReady(what) {
  if (!lifecycle.ready) throw new Error(`electron double: ${what} cannot be used before the app is ready (Electron throws here too)`);
}

// ------------------------------------------------------------------ app schemes in Chromium

/**
 * Schemes registered as privileged (`standard`) and handled with `protocol.handle`. Chromium
 * without Electron cannot give a page a custom standard scheme, so a page of
 * `sundial://app/` really lives at `https://app.sundial.electron-double.invalid/`: the
 * double translates every URL the app sees (webContents.getURL, frame.url, the handler's
 * Request, navigation events) back to the app's scheme, and the app's origin in the
 * headers it sets (the CSP) to the stand-in origin. The mapping is one to one.
 */
export const schemes = {
  privileged: new Map(),
  handlers: new Map(),
};

const STAND_IN_SUFFIX = ".electron-double.invalid";

export function pageUrlFor(appUrl) {
  let url;
  try {
    url = new URL(appUrl);
  } catch {
    return appUrl;
  }
  const scheme = url.protocol.slice(0, -1);
  if (!schemes.privileged.get(scheme)?.standard) return appUrl;
  return `https://${url.host}.${scheme}${STAND_IN_SUFFIX}${url.pathname}${url.search}${url.hash}`;
}

export function appUrlFor(pageUrl) {
  let url;
  try {
    url = new URL(pageUrl);
  } catch {
    return pageUrl;
  }
  if (url.protocol !== "https:" || !url.hostname.endsWith(STAND_IN_SUFFIX)) return pageUrl;
  const [host, scheme] = url.hostname.slice(0, -STAND_IN_SUFFIX.length).split(".");
  return `${scheme}://${host}${url.pathname}${url.search}${url.hash}`;
}

/** `sundial://app` → `https://app.sundial.electron-double.invalid` inside a header value. */
export function standInOrigins(text) {
  let result = text;
  for (const scheme of schemes.privileged.keys()) {
    result = result.replace(new RegExp(`${scheme}://([a-z0-9-]+)`, "gi"), (_match, host) => `https://${host}.${scheme}${STAND_IN_SUFFIX}`);
  }
  return result;
}

export function isStandInUrl(pageUrl) {
  try {
    return new URL(pageUrl).hostname.endsWith(STAND_IN_SUFFIX);
  } catch {
    return false;
  }
}
