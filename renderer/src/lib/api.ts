/**
 * The renderer's one door to the engine, and the only file that knows how it talks:
 * inside Electron the preload's `window.sundial` bridge, in a browser HTTP + a `fetch`
 * event stream against `sundial daemon --ui` (docs: DESIGN.md "The web UI's security").
 */
import { SCHEDULER_METHODS, type SchedulerApi, type SchedulerEvent, type SchedulerMethod, type SerializedError, type StreamDroppedEvent } from "../../../electron/shared/contract.js";
import { RemoteError } from "../../../electron/shared/errors.js";
import { isSerializedError, type SundialBridge } from "../../../electron/shared/ipc.js";
import { deserializeError } from "../../../electron/shared/wire.js";
import { ENGINE_NOT_RUNNING } from "../../../electron/shared/wording.js";

/** What the Electron preload exposes as `window.sundial`. */
export type { SundialBridge };

/** How the live event feed is doing. `unauthorized`: the page has no valid token. */
export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "unauthorized";

/** The contract plus live events, whatever the transport. */
export interface SundialClient extends SchedulerApi {
  /** Calls `listener` for every engine event; returns the unsubscribe function. */
  subscribe(listener: (event: SchedulerEvent) => void): () => void;
  /** The event feed's state right now. */
  readonly connection: ConnectionStatus;
  /** Calls `listener` whenever `connection` changes; returns the unsubscribe function. */
  onConnectionChange(listener: (status: ConnectionStatus) => void): () => void;
}

declare global {
  interface Window {
    sundial?: SundialBridge;
  }
}

/** Thrown by every call once the daemon answered 401 (or the page never had a token). */
export class UnauthorizedError extends Error {
  override name = "UnauthorizedError";
  constructor() {
    super("Open the link printed by `sundial daemon --ui`: this page has no valid access token.");
  }
}

/**
 * Thrown by a call that got no answer at all (the daemon is not running, or went away): says
 * so and what to do, where the browser would only say "Failed to fetch".
 */
export class EngineUnreachableError extends Error {
  override name = "EngineUnreachableError";
  constructor() {
    super(ENGINE_NOT_RUNNING);
  }
}

/** The browser facilities the HTTP transport uses; tests pass fakes. */
export interface BrowserEnvironment {
  fetch: typeof fetch;
  location: Pick<Location, "hash" | "pathname" | "search">;
  history: Pick<History, "replaceState" | "state">;
  storage: Pick<Storage, "getItem" | "setItem">;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: never) => void;
  bridge?: SundialBridge | undefined;
}

const TOKEN_KEY = "sundial.token";
const TOKEN_IN_HASH = /^#token=([^&]+)$/;
/** Reconnect delays grow to this cap; a daemon restart is usually back within seconds. */
const MAX_RECONNECT_DELAY_MS = 10_000;
const FIRST_RECONNECT_DELAY_MS = 500;

function browserEnvironment(): BrowserEnvironment {
  return {
    fetch: window.fetch.bind(window),
    location: window.location,
    history: window.history,
    storage: window.sessionStorage,
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle),
    bridge: window.sundial,
  };
}

/** The client for this page: the Electron bridge when present, else HTTP to the daemon. */
export function createClient(environment: BrowserEnvironment = browserEnvironment()): SundialClient {
  if (environment.bridge) return bridgeClient(environment.bridge);
  return httpClient(environment, takeToken(environment));
}

/**
 * The token arrives once in the URL fragment (`#token=…`, never sent to a server); it moves
 * to sessionStorage (this tab only) and leaves the address bar, so it does not end up in
 * history, bookmarks or screenshots.
 */
export function takeToken(environment: Pick<BrowserEnvironment, "location" | "history" | "storage">): string | null {
  const match = TOKEN_IN_HASH.exec(environment.location.hash);
  if (match) {
    const token = decodeURIComponent(match[1]!);
    environment.storage.setItem(TOKEN_KEY, token);
    const { pathname, search } = environment.location;
    environment.history.replaceState(environment.history.state, "", `${pathname}${search}`);
    return token;
  }
  return environment.storage.getItem(TOKEN_KEY);
}

function bridgeClient(bridge: SundialBridge): SundialClient {
  // The context bridge cannot carry Error classes: the preload rejects with plain
  // `{ name, message, issues }` objects, rebuilt here exactly as the HTTP transport does.
  const call = async (method: SchedulerMethod, args: unknown[]): Promise<unknown> => {
    try {
      return await (bridge[method] as (...callArgs: unknown[]) => Promise<unknown>)(...args);
    } catch (error) {
      throw isSerializedError(error) ? deserializeError(error) : error;
    }
  };
  const client = Object.fromEntries(SCHEDULER_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)])) as unknown as SchedulerApi;
  return {
    ...client,
    subscribe: (listener) => bridge.subscribe(listener),
    // IPC lives as long as the window: there is nothing to reconnect.
    connection: "open",
    onConnectionChange: () => () => undefined,
  };
}

function httpClient(environment: BrowserEnvironment, token: string | null): SundialClient {
  const listeners = new Set<(event: SchedulerEvent) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = token ? "connecting" : "unauthorized";
  let stream: { stop(): void } | null = null;

  function setStatus(next: ConnectionStatus): void {
    if (status === next || status === "unauthorized") return;
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function authorization(): string {
    if (!token || status === "unauthorized") throw new UnauthorizedError();
    return `Bearer ${token}`;
  }

  async function call(method: SchedulerMethod, args: unknown[]): Promise<unknown> {
    const headers = { Authorization: authorization(), "Content-Type": "application/json" };
    // Trailing optional arguments stay absent rather than becoming JSON nulls.
    while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1);
    let response: Response;
    try {
      response = await environment.fetch(`/api/${method}`, { method: "POST", headers, body: JSON.stringify({ args }) });
    } catch {
      // fetch rejects only when nothing answered: the connection was refused or dropped.
      throw new EngineUnreachableError();
    }
    if (response.status === 401) {
      setStatus("unauthorized");
      throw new UnauthorizedError();
    }
    const body = await readJson(response);
    if (body && typeof body === "object" && "error" in body && body.error) throw deserializeError(body.error as SerializedError);
    if (!response.ok || !body || typeof body !== "object" || !("result" in body)) {
      throw new RemoteError("InternalError", `Sundial answered ${method} with HTTP ${response.status}`);
    }
    return body.result ?? undefined;
  }

  function dispatch(event: SchedulerEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken view must not stop the others from seeing events.
        console.error("Sundial event listener failed", error);
      }
    }
  }

  const methods = Object.fromEntries(SCHEDULER_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)]));
  return {
    ...(methods as unknown as SchedulerApi),
    subscribe(listener) {
      listeners.add(listener);
      if (!stream && status !== "unauthorized") {
        stream = openEventStream(environment, authorization(), dispatch, setStatus);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stream?.stop();
          stream = null;
        }
      };
    },
    get connection() {
      return status;
    },
    onConnectionChange(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/**
 * `GET /api/events` as newline-delimited JSON over `fetch` (EventSource cannot send the
 * Authorization header). Reconnects with a growing delay until stopped or refused (401).
 */
function openEventStream(
  environment: BrowserEnvironment,
  authorization: string,
  dispatch: (event: SchedulerEvent) => void,
  setStatus: (status: ConnectionStatus) => void,
): { stop(): void } {
  let stopped = false;
  let abort: AbortController | null = null;
  let retryTimer: unknown = null;
  let failures = 0;

  async function connect(): Promise<void> {
    abort = new AbortController();
    try {
      const response = await environment.fetch("/api/events", { headers: { Authorization: authorization }, signal: abort.signal, cache: "no-store" });
      if (response.status === 401) {
        setStatus("unauthorized");
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      failures = 0;
      setStatus("open");
      for await (const line of readLines(response.body)) {
        if (stopped) return;
        const event = parseEvent(line);
        if (event) dispatch(event);
      }
    } catch {
      // A dropped connection or a daemon restart: handled below by reconnecting.
    }
    if (stopped) return;
    setStatus("reconnecting");
    const delay = Math.min(FIRST_RECONNECT_DELAY_MS * 2 ** failures, MAX_RECONNECT_DELAY_MS);
    failures += 1;
    retryTimer = environment.setTimeout(() => void connect(), delay);
  }

  void connect();
  return {
    stop() {
      stopped = true;
      abort?.abort();
      if (retryTimer !== null) environment.clearTimeout(retryTimer as never);
    },
  };
}

/**
 * A line of the event stream as an event; blank keep-alive lines and garbage give null, and
 * so does the stream's own `stream.dropped` note (output events skipped because this page
 * read too slowly): the views re-read a run's log when it finishes, and the log has it all.
 */
function parseEvent(line: string): SchedulerEvent | null {
  if (line.trim() === "") return null;
  try {
    const event: unknown = JSON.parse(line);
    if (!event || typeof event !== "object") return null;
    const type = (event as { type?: unknown }).type;
    return typeof type === "string" && type !== ("stream.dropped" satisfies StreamDroppedEvent["type"]) ? (event as SchedulerEvent) : null;
  } catch {
    return null;
  }
}

/**
 * The lines of a byte stream, decoded as UTF-8 across chunk borders (a line, or a
 * character, may be split between two chunks).
 */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) yield line.endsWith("\r") ? line.slice(0, -1) : line;
      if (done) break;
    }
    if (pending !== "") yield pending;
  } finally {
    reader.releaseLock();
  }
}
