/**
 * `sundial daemon --ui`: the built renderer and the HTTP API (the same handler as the control
 * socket) on 127.0.0.1. A page that can run commands is remote code execution if anything
 * else can reach it, so the server itself enforces DESIGN.md "The web UI's security" on
 * every request, in this order:
 *
 *   Host is exactly 127.0.0.1:PORT, localhost:PORT or [::1]:PORT   else 421 (DNS rebinding)
 *   a present Origin is the UI's own origin                        else 403 (cross-site requests)
 *   /api/…: `Authorization: Bearer <token>`, compared in constant time   else 401
 *   /api/… changes: `Content-Type: application/json`                else 415 (no "simple" form posts)
 *
 * No CORS header is ever sent, so no other origin can read an answer either.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { describeFsError } from "../core/store/durable-file.js";
import { FileWriteError } from "../shared/errors.js";
import type { ApiHandler } from "./api-server.js";
import { sendText, serveStatic } from "./web-static.js";
import { UI_ADDRESS } from "./ui-address.js";


/** Strict enough that a page cannot load, frame, post or navigate anywhere but here. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Another program (or another Sundial home) already listens on the port. */
export class PortInUseError extends Error {
  override name = "PortInUseError";
  constructor(readonly port: number) {
    super(`--port ${port}: port in use; choose another with --port`);
  }
}

/** Listening failed for another reason (a privileged port, no loopback interface…). */
export class UiListenError extends Error {
  override name = "UiListenError";
  constructor(
    readonly port: number,
    readonly problem: string,
  ) {
    super(`--port ${port}: cannot listen on ${UI_ADDRESS} (${problem})`);
  }
}

export interface WebHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** The bearer token every /api/ request must carry (see loadOrCreateToken). */
  token: string;
  api: Pick<ApiHandler, "handle">;
  /** The built renderer's folder (a real path: see checkRendererBuilt). */
  staticRoot: string;
  log?: (line: string) => void;
  /** Defaults from webHostLimits(); tests may shorten them. */
  limits?: Partial<WebHostLimits>;
}

/**
 * What one client without the token can hold (issue 10, item 4). Every client is
 * 127.0.0.1, so a per-address cap would be one cap: instead a total cap, where a new
 * connection over it evicts the oldest one that has not shown the token.
 */
export interface WebHostLimits {
  /** Open connections at once; far below the process's descriptor limit, so runs always have descriptors. */
  maxConnections: number;
  /** Request headers must arrive within this. */
  headersTimeoutMs: number;
  /** A whole request, body included, must arrive within this (event streams are GETs: complete at their headers). */
  requestTimeoutMs: number;
}

/**
 * The soft limit on open descriptors (`ulimit -n`), from /proc/self/limits on Linux; null
 * where it cannot be read (Node has no getrlimit).
 */
export function openFileLimit(limitsFile = "/proc/self/limits"): number | null {
  try {
    const line = fs
      .readFileSync(limitsFile, "utf8")
      .split("\n")
      .find((text) => text.startsWith("Max open files"));
    const soft = line ? /^Max open files\s+(\d+|unlimited)/.exec(line)?.[1] : undefined;
    if (soft === undefined) return null;
    return soft === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(soft);
  } catch {
    return null;
  }
}

/**
 * At most 64 connections, and never more than an eighth of the descriptor limit (8 at
 * least): with `ulimit -n 256` the web UI holds 32, leaving 7/8 to the engine's runs (each
 * takes a few pipes and a log file) and stores. Unknown limit: assume 256 (macOS's default).
 */
export function connectionCap(fdLimit: number | null): number {
  return Math.max(8, Math.min(64, Math.floor((fdLimit ?? 256) / 8)));
}

export function webHostLimits(): WebHostLimits {
  return { maxConnections: connectionCap(openFileLimit()), headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };
}

export interface WebHost {
  readonly port: number;
  /** The link to open: the token rides in the fragment, which browsers never send to a server. */
  readonly url: string;
  /** Stops listening and cuts open connections (event streams included). */
  close(): Promise<void>;
}

// ------------------------------------------------------------------ the token

const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The home's web UI token (256 random bits, hex): read from the `token` file, or created
 * (mode 0600) when missing or unusable. Reused across restarts, so an open tab and a
 * bookmarked link keep working; delete the file to revoke every link.
 */
export function loadOrCreateToken(tokenFile: string, log?: (line: string) => void): string {
  try {
    const text = fs.readFileSync(tokenFile, "utf8").trim();
    if (TOKEN_PATTERN.test(text)) {
      if ((fs.statSync(tokenFile).mode & 0o077) !== 0) {
        fs.chmodSync(tokenFile, 0o600);
        log?.(`${tokenFile} was readable by others; made it private (0600)`);
      }
      return text;
    }
    log?.(`${tokenFile} does not hold a valid token; writing a new one (links printed before stop working)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const token = crypto.randomBytes(32).toString("hex");
  // Written beside the target and renamed over it: a crash never leaves a half-written token.
  const temporary = path.join(path.dirname(tokenFile), `.token.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(temporary, "w", 0o600);
    try {
      fs.writeSync(fd, `${token}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(temporary, 0o600);
    fs.renameSync(temporary, tokenFile);
  } catch (error) {
    // A full disk: say which file, and leave no half-written temp file.
    fs.rmSync(temporary, { force: true });
    throw new FileWriteError(tokenFile, describeFsError(error));
  }
  return token;
}

// ------------------------------------------------------------------ the server

/** Listens on 127.0.0.1 only; rejects with PortInUseError / UiListenError. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const limits = { ...webHostLimits(), ...options.limits };
  let gate: Gate | null = null;
  const connections = createConnectionCap(limits.maxConnections);
  // requireHostHeader off: a request without Host gets our 421 (with our headers), not Node's bare 400.
  // The timeouts are checked every second only while the UI runs (Node's default is 30 s,
  // which would let a trickled header live three times its limit).
  const server = http.createServer({ requireHostHeader: false, connectionsCheckingInterval: 1_000 }, (request, response) => {
    setSecurityHeaders(response);
    // Requests cannot arrive before "listening", but never serve without the gate.
    if (!gate) return sendText(response, 503, "Starting", { Connection: "close" });
    gate.handle(request, response);
  });
  // Headers within 10 s, a body within 30 s. An event stream is a GET, complete once its
  // headers are in: the request timeout never cuts the long-lived response.
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.on("connection", connections.admit);

  const port = await listen(server, options.port);
  server.on("error", (error) => options.log?.(`web UI: ${error.message}`));
  gate = createGate({ ...options, port }, connections.trust);
  return {
    port,
    url: `http://${UI_ADDRESS}:${port}/#token=${options.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port) : new UiListenError(port, error.code ?? error.message));
    };
    server.once("error", onError);
    // Never 0.0.0.0 or ::: only processes on this machine can connect.
    server.listen({ host: UI_ADDRESS, port }, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** On every answer, API and static alike. Deliberately no Access-Control-* header. */
function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("Referrer-Policy", "no-referrer");
  // For browsers older than frame-ancestors; and other sites may not even embed our files.
  response.setHeader("X-Frame-Options", "DENY");
  response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
}

interface Gate {
  handle(request: IncomingMessage, response: ServerResponse): void;
}

/**
 * The connection cap: admits a connection, evicting the oldest untrusted one when full
 * (or refusing the newcomer when every connection has shown the token); `trust` marks a
 * connection that sent a valid token, so floods never evict the UI's own event stream.
 */
function createConnectionCap(max: number): { admit(socket: Socket): void; trust(socket: Socket): void } {
  // Insertion order is age order.
  const open = new Map<Socket, { trusted: boolean }>();
  return {
    admit(socket) {
      if (open.size >= max) {
        const oldest = [...open].find(([, state]) => !state.trusted)?.[0];
        if (!oldest) {
          socket.destroy();
          return;
        }
        oldest.destroy();
        open.delete(oldest);
      }
      open.set(socket, { trusted: false });
      socket.once("close", () => open.delete(socket));
    },
    trust(socket) {
      const state = open.get(socket);
      if (state) state.trusted = true;
    },
  };
}

function createGate(options: WebHostOptions & { port: number }, trust: (socket: Socket) => void): Gate {
  const { port, staticRoot, api, log } = options;
  const hosts = new Set([`${UI_ADDRESS}:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  // The page's own origin, however it was opened; [::1] is listed with the Host names so the
  // two rules can never disagree about what "this server" is.
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  // Both sides hashed: equal-length buffers for timingSafeEqual, and no length leak either.
  const expected = digest(options.token);

  function isAuthorized(request: IncomingMessage): boolean {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(request.headers.authorization ?? "");
    return match !== null && crypto.timingSafeEqual(digest(match[1]!), expected);
  }

  return {
    handle(request, response) {
      // One Host header, naming this server: a DNS-rebound name (evil.example → 127.0.0.1) fails here.
      const host = singleHeader(request, "host");
      if (host === null || !hosts.has(host.toLowerCase())) {
        return refuse(response, 421, "MisdirectedRequestError", `This server answers only to http://${UI_ADDRESS}:${port}`);
      }
      // Origin-form targets only: `GET http://other/… HTTP/1.1` or `//other/…` are not ours.
      const target = request.url ?? "";
      const url = new URL(target, "http://sundial.invalid");
      if (!target.startsWith("/") || url.host !== "sundial.invalid") return refuse(response, 400, "ApiRequestError", "Bad request target");
      // Browsers send Origin on cross-site requests (and on same-origin POSTs): a page on
      // any other site is refused before anything runs or is read.
      const originCount = countHeader(request, "origin");
      const origin = singleHeader(request, "origin");
      if (originCount > 0 && (origin === null || !origins.has(origin.toLowerCase()))) {
        return refuse(response, 403, "ForbiddenOriginError", "Requests from other sites are not allowed");
      }

      const method = request.method ?? "GET";
      // Case-insensitive on purpose: anything that might be routed as API must pass the token check.
      if (/^\/api(\/|$)/i.test(url.pathname)) {
        if (!isAuthorized(request)) {
          return refuse(response, 401, "UnauthorizedError", "Open the link printed by `sundial daemon --ui`: this request has no valid access token", {
            "WWW-Authenticate": 'Bearer realm="sundial"',
          });
        }
        trust(request.socket);
        // Every change must be JSON (a form or a "simple" cross-site request cannot send it);
        // the API handler checks its own POST routes too, this also covers any future route.
        if (method !== "GET" && method !== "HEAD" && !isJsonContentType(request.headers["content-type"])) {
          return refuse(response, 415, "ApiRequestError", "Content-Type must be application/json");
        }
        return api.handle(request, response);
      }

      if (method !== "GET" && method !== "HEAD") return sendText(response, 405, "Method not allowed", { Allow: "GET, HEAD", Connection: "close" });
      serveStatic(staticRoot, url.pathname, method, response).catch((error: unknown) => {
        log?.(`web UI: could not serve ${url.pathname}: ${(error as Error).message}`);
        if (response.headersSent) response.destroy();
        else sendText(response, 500, "Internal error");
      });
    },
  };
}

function digest(text: string): Buffer {
  return crypto.createHash("sha256").update(text, "utf8").digest();
}

/** How many times a header appears (Node keeps only the first Host and Origin). */
function countHeader(request: IncomingMessage, name: string): number {
  let count = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]!.toLowerCase() === name) count++;
  }
  return count;
}

/** The header's value if it appears exactly once, else null. */
function singleHeader(request: IncomingMessage, name: "host" | "origin"): string | null {
  if (countHeader(request, name) !== 1) return null;
  return request.headers[name] ?? null;
}

function isJsonContentType(header: string | undefined): boolean {
  return (header ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * A refusal in the API's error shape (`{ error: { name, message } }`), read by the renderer
 * and curl alike. The connection is closed once the answer is out: a refused request's body
 * (a declared 100 MB, say) is never read, and the client must connect again (issue 10, item 4).
 */
function refuse(response: ServerResponse, status: number, name: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { name, message } });
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    ...headers,
    Connection: "close",
  });
  response.end(body);
}
