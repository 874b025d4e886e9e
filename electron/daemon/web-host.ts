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
import path from "node:path";
import type { ApiHandler } from "./api-server.js";
import { sendText, serveStatic } from "./web-static.js";

export const DEFAULT_UI_PORT = 7420;

/** The only address the web UI ever listens on. */
export const UI_ADDRESS = "127.0.0.1";

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
  const fd = fs.openSync(temporary, "w", 0o600);
  try {
    fs.writeSync(fd, `${token}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, tokenFile);
  return token;
}

// ------------------------------------------------------------------ the server

/** Listens on 127.0.0.1 only; rejects with PortInUseError / UiListenError. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  let gate: Gate | null = null;
  // requireHostHeader off: a request without Host gets our 421 (with our headers), not Node's bare 400.
  const server = http.createServer({ requireHostHeader: false }, (request, response) => {
    setSecurityHeaders(response);
    // Requests cannot arrive before "listening", but never serve without the gate.
    if (!gate) return sendText(response, 503, "Starting");
    gate.handle(request, response);
  });
  // Event streams are long-lived (the API pings them); slow headers are still cut off.
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;

  const port = await listen(server, options.port);
  server.on("error", (error) => options.log?.(`web UI: ${error.message}`));
  gate = createGate({ ...options, port });
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

function createGate(options: WebHostOptions & { port: number }): Gate {
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
        return refuse(response, 421, "MisdirectedRequestError", `This server answers only to http://${UI_ADDRESS}:${port}`, { Connection: "close" });
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
        // Every change must be JSON (a form or a "simple" cross-site request cannot send it);
        // the API handler checks its own POST routes too, this also covers any future route.
        if (method !== "GET" && method !== "HEAD" && !isJsonContentType(request.headers["content-type"])) {
          return refuse(response, 415, "ApiRequestError", "Content-Type must be application/json");
        }
        return api.handle(request, response);
      }

      if (method !== "GET" && method !== "HEAD") return sendText(response, 405, "Method not allowed", { Allow: "GET, HEAD" });
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

/** A refusal in the API's error shape (`{ error: { name, message } }`), read by the renderer and curl alike. */
function refuse(response: ServerResponse, status: number, name: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { name, message } });
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(body);
}
