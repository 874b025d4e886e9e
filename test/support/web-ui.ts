/**
 * The web UI side of the real daemon: `sundial daemon --ui --port 0` on a temp home, its
 * printed link taken apart, a raw HTTP client that sends exactly the headers a test asks
 * for, and the renderer build the UI serves.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { buildOnce, ROOT, startDaemon, waitFor, type RunningDaemon } from "./cli.js";

export const RENDERER_DIST = path.join(ROOT, "renderer", "dist");

export interface UiDaemon {
  daemon: RunningDaemon;
  /** The printed link, `http://127.0.0.1:PORT/#token=…`. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  token: string;
}

/** The link line the daemon prints on stdout. */
export const UI_LINK = /^Open Sundial: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]+))$/m;

/** Starts the daemon with `--ui --port <port>` (default 0) and waits for its link. */
export async function startUiDaemon(home: string, options: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<UiDaemon> {
  await ensureRendererBuilt();
  const daemon = await startDaemon(home, { args: ["--ui", "--port", String(options.port ?? 0)], env: options.env });
  const match = await waitFor(() => UI_LINK.exec(daemon.stdout()), 10_000, `the web UI link on stdout (stderr: ${daemon.stderr()})`);
  const port = Number(match[2]);
  return { daemon, url: match[1]!, origin: `http://127.0.0.1:${port}`, port, token: match[3]! };
}

// ------------------------------------------------------------------ raw HTTP

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent verbatim (no normalisation), e.g. `/../jobs.json`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** false: send no Host header unless `headers` has one. */
  setHost?: boolean;
}

/** Every response a test file saw, so a suite can assert on all of them at the end. */
export const seenResponses: RawResponse[] = [];

/** One request to 127.0.0.1:port with exactly the given headers; the body is read to the end. */
export function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: "127.0.0.1",
        port,
        method: request.method ?? "GET",
        path: request.path,
        headers: request.headers,
        setHost: request.setHost ?? true,
        agent: false,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => {
          const result = { status: response.statusCode ?? 0, headers: response.headers, body };
          seenResponses.push(result);
          resolve(result);
        });
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

/** The names of any CORS response headers (there must never be one). */
export function corsHeaders(response: RawResponse): string[] {
  return Object.keys(response.headers).filter((name) => name.toLowerCase().startsWith("access-control-"));
}

// ------------------------------------------------------------------ the renderer build

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (entry === path.join(ROOT, "renderer") && (name === "dist" || name === "node_modules")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

/** The renderer imports the contract and the wire format, so those count as its sources. */
function rendererSourcesMtime(): number {
  return Math.max(
    newestMtime(path.join(ROOT, "renderer")),
    newestMtime(path.join(ROOT, "electron", "shared")),
    newestMtime(path.join(ROOT, "electron", "daemon", "wire.ts")),
  );
}

function rendererIsFresh(): boolean {
  const index = fs.statSync(path.join(RENDERER_DIST, "index.html"), { throwIfNoEntry: false });
  return index !== undefined && index.mtimeMs >= rendererSourcesMtime();
}

/**
 * Builds renderer/dist with Vite when it is missing or older than its sources, so the UI
 * under test is the code in the tree. One builder at a time across test processes.
 */
export async function ensureRendererBuilt(): Promise<void> {
  await buildOnce("sundial-renderer-build", rendererIsFresh, 180_000, 200, async () => {
    const vite = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [vite, "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"], { cwd: ROOT, timeout: 170_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`The renderer build failed:\n${stdout}${stderr}`)) : resolve(),
      );
    });
  });
}
