/**
 * The HTTP + JSON face of `SchedulerApi` (docs/API.md). One request handler, no framework:
 * the control socket serves it as is; the loopback web UI (issue 4) wraps it with its own
 * Host / Origin / token checks and delegates here, so both transports answer identically.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SCHEDULER_METHODS, type SchedulerApi, type SchedulerEvent, type SchedulerMethod, type StreamDroppedEvent } from "../shared/contract.js";
import { ApiRequestError, EngineUnavailableError } from "../shared/errors.js";
import { checkArguments, serializeError, statusForError } from "../shared/wire.js";

/** What the handler needs from an engine (the core's `Engine` satisfies it). */
export interface ApiBackend {
  readonly service: SchedulerApi;
  subscribe(listener: (event: SchedulerEvent) => void): () => void;
}

/** Facts about the hosting process, answered even while the engine is still opening. */
export interface HostInfo {
  pid: number;
  home: string;
  version: string;
}

export interface ApiHandlerOptions {
  /** The engine, or null while it is opening (requests then get a 503). */
  backend: () => ApiBackend | null;
  host: HostInfo;
  /** Where unexpected (500) errors are reported with their stack; clients never see it. */
  log?: (line: string) => void;
  /** Keep-alive ping on event streams, so idle proxies and clients see a live connection. */
  pingIntervalMs?: number;
  /** Requests larger than this are refused (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** `importJobs` carries every job at once (default MAX_IMPORT_BODY_BYTES). */
  maxImportBodyBytes?: number;
  /** An event stream with more unsent bytes than this drops `run.output` events (default 8 MiB). */
  streamOutputCapBytes?: number;
  /** An event stream with more unsent bytes than this is cut (default 64 MiB; state events only get there). */
  maxStreamBufferBytes?: number;
}

/** What one request may carry: a job definition is a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * What one `importJobs` may carry: every job of an export at once (6,001 jobs are about
 * 3 MB). The CLI refuses a larger file before sending it (issue 10, item 8).
 */
export const MAX_IMPORT_BODY_BYTES = 64 * 1024 * 1024;

export interface ApiHandler {
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Ends every open event stream (on shutdown, so clients see the end at once). */
  closeStreams(): void;
}

/** `POST /api/<method>`: the one routing table, built from the contract's method list. */
const POST_ROUTES: ReadonlyMap<string, SchedulerMethod> = new Map(SCHEDULER_METHODS.map((method) => [`/api/${method}`, method]));

/** REST-style reads for browsers and curl; each maps onto one contract method. */
function getRoute(path: string[], query: URLSearchParams): { method: SchedulerMethod; args: unknown[] } | null {
  const [collection, id, sub, ...rest] = path;
  if (rest.length > 0) return null;
  const limit = query.has("limit") ? Number(query.get("limit")) : undefined;
  if (collection === "jobs" && id === undefined) return { method: "listJobs", args: [] };
  if (collection === "jobs" && id !== undefined && sub === undefined) return { method: "getJob", args: [id] };
  if (collection === "jobs" && id !== undefined && sub === "history") return { method: "history", args: [{ job: id, limit }] };
  if (collection === "jobs" && id !== undefined && sub === "alerts") return { method: "listAlerts", args: [{ job: id, limit }] };
  if (collection === "jobs" && id !== undefined && sub === "stats") return { method: "jobStats", args: [id] };
  if (collection === "agenda" && id === undefined) return { method: "agenda", args: [{ days: query.has("days") ? Number(query.get("days")) : undefined }] };
  if (collection === "alerts" && id === undefined) return { method: "listAlerts", args: [{ job: query.get("job") ?? undefined, kind: query.get("kind") ?? undefined, limit }] };
  if (collection === "runs" && id === undefined) return { method: "history", args: [{ job: query.get("job") ?? undefined, limit }] };
  if (collection === "runs" && id !== undefined && sub === undefined) return { method: "getRun", args: [id] };
  if (collection === "runs" && id !== undefined && sub === "log") return { method: "runLog", args: [id] };
  if (collection === "status" && id === undefined) return { method: "status", args: [] };
  return null;
}

export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxImportBodyBytes = options.maxImportBodyBytes ?? MAX_IMPORT_BODY_BYTES;
  const outputCapBytes = options.streamOutputCapBytes ?? 8 * 1024 * 1024;
  const maxStreamBufferBytes = options.maxStreamBufferBytes ?? 64 * 1024 * 1024;
  const streams = new Set<ServerResponse>();

  function sendError(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    const status = statusForError(error);
    if (status >= 500 && !(error instanceof EngineUnavailableError)) {
      options.log?.(`API error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    // A body we did not read (too large, wrong type, wrong route) is not drained: the
    // connection closes after the answer (issue 10, item 4).
    sendJson(response, status, { error: serializeError(error) }, request.complete ? {} : { Connection: "close" });
  }

  async function callMethod(response: ServerResponse, method: SchedulerMethod, args: unknown[]): Promise<void> {
    checkArguments(method, args);
    const backend = options.backend();
    if (!backend) throw new EngineUnavailableError();
    const call = backend.service[method] as (...callArgs: unknown[]) => Promise<unknown>;
    const result = await call.apply(backend.service, args);
    sendJson(response, 200, { result: result ?? null });
  }

  function openEventStream(request: IncomingMessage, response: ServerResponse): void {
    const backend = options.backend();
    if (!backend) throw new EngineUnavailableError();
    // Subscribe before the headers go out: a client that has the response is guaranteed
    // to see every later event (`sundial run --wait` relies on it).
    // A client slower than a run's output must not make the daemon buffer without end, nor
    // lose the outcome: past the cap, output events are dropped and counted, and the count
    // goes out just before the next event that is written. State events always go out; only a
    // client that reads nothing at all for long is cut off (at `maxStreamBufferBytes`).
    let dropped: StreamDroppedEvent | null = null;
    const unsubscribe = backend.subscribe((event) => {
      if (event.type === "run.output" && response.writableLength > outputCapBytes) {
        dropped ??= { type: "stream.dropped", count: 0, runIds: [] };
        dropped.count++;
        if (!dropped.runIds.includes(event.runId)) dropped.runIds.push(event.runId);
        return;
      }
      if (dropped) {
        response.write(`${JSON.stringify(dropped)}\n`);
        dropped = null;
      }
      response.write(`${JSON.stringify(event)}\n`);
      if (response.writableLength > maxStreamBufferBytes) response.destroy();
    });
    response.writeHead(200, {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    response.flushHeaders();
    streams.add(response);
    const ping = setInterval(() => response.write("\n"), pingIntervalMs);
    ping.unref();
    const cleanUp = () => {
      clearInterval(ping);
      unsubscribe();
      streams.delete(response);
    };
    request.on("close", cleanUp);
    response.on("close", cleanUp);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://sundial.invalid");
    const path = url.pathname.replace(/\/+$/, "");
    const method = request.method ?? "GET";

    const isRead = method === "GET" || method === "HEAD";
    const segments = isRead ? decodedSegments(path) : [];
    const alias = isRead && segments[0] === "api" ? getRoute(segments.slice(1), url.searchParams) : null;

    // `/api/status` is both a method (POST) and a documented read (GET): the read wins for GET.
    const postMethod = POST_ROUTES.get(path);
    if (postMethod && !alias) {
      if (method !== "POST") throw new ApiRequestError(`Use POST for ${path}`, 405);
      if (!isJsonContentType(request.headers["content-type"])) {
        throw new ApiRequestError("Content-Type must be application/json", 415);
      }
      const body = await readBody(request, postMethod === "importJobs" ? maxImportBodyBytes : maxBodyBytes);
      return callMethod(response, postMethod, argumentsFromBody(body));
    }

    if (!isRead) throw new ApiRequestError(`No route ${method} ${path}`, 404);
    if (path === "/api/ping") return sendJson(response, 200, { result: { ...options.host, ready: options.backend() !== null } });
    if (path === "/api/events") return openEventStream(request, response);
    if (!alias) throw new ApiRequestError(`No route ${method} ${path}`, 404);
    if (alias.args[0] && typeof alias.args[0] === "object") {
      const query = alias.args[0] as { job?: string; limit?: number };
      if (query.limit !== undefined && !Number.isFinite(query.limit)) throw new ApiRequestError("limit must be a number");
    }
    return callMethod(response, alias.method, alias.args);
  }

  return {
    handle(request, response) {
      route(request, response).catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        sendError(request, response, error);
      });
    },
    closeStreams() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

/** The path's segments, percent-decoded; a broken escape (`%E0%A4%A`) is the client's error. */
function decodedSegments(path: string): string[] {
  try {
    return path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new ApiRequestError(`The path ${JSON.stringify(path)} has a malformed percent escape`);
  }
}

function argumentsFromBody(body: string): unknown[] {
  if (body.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiRequestError("The request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiRequestError('The request body must be an object: { "args": [...] }');
  }
  const args = (parsed as { args?: unknown }).args;
  if (args === undefined) return [];
  if (!Array.isArray(args)) throw new ApiRequestError('"args" must be an array');
  return args;
}

function isJsonContentType(header: string | undefined): boolean {
  return (header ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new ApiRequestError(`The request body is larger than ${maxBytes} bytes`, 413);
    // A declared size over the limit is refused before a byte of the body is read.
    if (Number(request.headers["content-length"]) > maxBytes) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop reading: the 413 goes out and the connection closes (sendError).
      request.off("data", onData);
      request.pause();
      reject(tooLarge());
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  response.end(text);
}
