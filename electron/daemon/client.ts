/**
 * The CLI's side of the control socket: `SchedulerApi` over HTTP + JSON (docs/API.md), with
 * the engine's error classes rebuilt, plus the live event stream.
 */
import { promises as fs } from "node:fs";
import http from "node:http";
import net from "node:net";
import { homePaths } from "../core/home.js";
import { assertPrivate, describeFileKind } from "../core/store/durable-file.js";
import { SCHEDULER_METHODS, type SchedulerApi, type SerializedError, type StreamEvent } from "../shared/contract.js";
import type { JobView } from "../shared/schemas.js";
import type { HostInfo } from "./api-server.js";
import { ConnectionLostError, EngineNotRunningError, EngineOutdatedError, EngineUnavailableError, UntrustedSocketError } from "../shared/errors.js";
import { deserializeError } from "../shared/wire.js";

/** Live events (and the stream's `stream.dropped` notes); iterate with `for await`, stop with `close()`. */
export interface EventStream extends AsyncIterableIterator<StreamEvent> {
  close(): void;
  /** Removes and returns the events received but not yet iterated. */
  takeBuffered(): StreamEvent[];
  /** Set when the stream ended because the engine went away (not because of `close()`). */
  readonly lost: boolean;
}

export interface SchedulerClient extends SchedulerApi {
  /** Opens the event stream; resolves once the engine is subscribed, so no later event is missed. */
  events(): Promise<EventStream>;
  /** Who owns the home, answered even while the engine is still opening. */
  ping(): Promise<HostInfo & { ready: boolean }>;
}

export interface ClientOptions {
  home: string;
  /** Whether the user chose the home (`--home`), so the "not running" hint repeats it. */
  homeGiven?: boolean;
  /** How long to wait for an engine that is still opening its stores. */
  startupWaitMs?: number;
}

export function connectClient(options: ClientOptions): SchedulerClient {
  const socketPath = homePaths(options.home).socket;
  const startupWaitMs = options.startupWaitMs ?? 10_000;

  const notRunning = () => new EngineNotRunningError(options.home, options.homeGiven ?? false);
  /**
   * Each request on a fresh connection to the socket, without an http.Agent: an agent works
   * out a TLS server name for every request, and its first IP check compiles Node's IPv6
   * pattern, ~15 ms of a CLI command that does nothing else with networks.
   */
  const connect = () => net.createConnection(socketPath);

  /**
   * Before a byte is sent: the home must be private (only this user can create files in it)
   * and the socket a socket this user owns. Otherwise whoever planted it would receive the
   * request, e.g. a job's env from `sundial add` (issue 10, item 3). Throws
   * HomeNotPrivateError, UntrustedSocketError or EngineNotRunningError.
   */
  async function verifySocket(): Promise<void> {
    if (process.platform === "win32") return;
    await assertPrivate(options.home, "folder");
    const stat = await fs.lstat(socketPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
      throw error;
    });
    if (!stat) throw notRunning();
    if (!stat.isSocket()) throw new UntrustedSocketError(socketPath, `is not a socket (${describeFileKind(stat)}); move it away if Sundial is not running`);
    const uid = process.getuid!();
    if (stat.uid !== uid) throw new UntrustedSocketError(socketPath, `is owned by uid ${stat.uid}, not by you (uid ${uid}): another user may be listening on it`);
  }

  async function request(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    await verifySocket();
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = payload === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) };
      const outgoing = http.request({ createConnection: connect, path, method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", () => reject(new ConnectionLostError(options.home)));
        response.on("end", () => {
          let parsed: { result?: unknown; error?: SerializedError };
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof parsed;
          } catch {
            reject(new Error(`Sundial on ${options.home} sent an unreadable answer (HTTP ${response.statusCode})`));
            return;
          }
          if (parsed.error) reject(deserializeError(parsed.error));
          else resolve(parsed.result);
        });
      });
      outgoing.on("error", (error: NodeJS.ErrnoException) => reject(translateConnectError(error)));
      outgoing.end(payload);
    });
  }

  function translateConnectError(error: NodeJS.ErrnoException): Error {
    if (error.code === "ENOENT" || error.code === "ECONNREFUSED") return notRunning();
    if (error.code === "ECONNRESET" || error.code === "EPIPE") return new ConnectionLostError(options.home);
    return error;
  }

  /** Retries while the engine is opening (the daemon claims the socket first, then loads). */
  async function withStartupWait<T>(operation: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + startupWaitMs;
    for (;;) {
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof EngineUnavailableError) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  function call(method: string, args: unknown[]): Promise<unknown> {
    return withStartupWait(() => request("POST", `/api/${method}`, { args }));
  }

  async function openEvents(): Promise<EventStream> {
    await verifySocket();
    return new Promise((resolve, reject) => {
      const outgoing = http.request({ createConnection: connect, path: "/api/events", method: "GET" }, (response) => {
        if (response.statusCode !== 200) {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            try {
              const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error: SerializedError };
              reject(deserializeError(body.error));
            } catch {
              reject(new Error(`Could not open the event stream (HTTP ${response.statusCode})`));
            }
          });
          return;
        }
        resolve(eventStream(response, () => outgoing.destroy()));
      });
      outgoing.on("error", (error: NodeJS.ErrnoException) => reject(translateConnectError(error)));
      outgoing.end();
    });
  }

  const api = Object.fromEntries(SCHEDULER_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)])) as unknown as SchedulerApi;
  return {
    ...api,
    // Every job view of this version has its list of triggers: one without it comes from an
    // engine started before an upgrade, and would break whatever reads it.
    listJobs: async () => checkedJobViews(await api.listJobs(), api),
    getJob: async (ref) => (await checkedJobViews([await api.getJob(ref)], api))[0]!,
    events: () => withStartupWait(openEvents),
    ping: () => request("GET", "/api/ping") as Promise<HostInfo & { ready: boolean }>,
  };
}

/** The views as they are, or EngineOutdatedError when the engine sent views of an older format. */
async function checkedJobViews(jobs: JobView[], api: SchedulerApi): Promise<JobView[]> {
  if (jobs.every((job) => Array.isArray((job as Partial<JobView>).triggers))) return jobs;
  const pid = await api.status().then(
    (status) => status.pid,
    () => null,
  );
  throw new EngineOutdatedError(pid);
}

/** Turns a newline-delimited JSON response into an async iterator (blank lines are pings). */
function eventStream(response: http.IncomingMessage, abort: () => void): EventStream {
  const queue: StreamEvent[] = [];
  const waiting: ((result: IteratorResult<StreamEvent>) => void)[] = [];
  let done = false;
  let closedByUs = false;
  let pending = "";

  const finish = () => {
    if (done) return;
    done = true;
    for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
  };

  response.setEncoding("utf8");
  response.on("data", (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (!line) continue;
      let event: StreamEvent;
      try {
        event = JSON.parse(line) as StreamEvent;
      } catch {
        continue;
      }
      const resolve = waiting.shift();
      if (resolve) resolve({ value: event, done: false });
      else queue.push(event);
    }
  });
  response.on("end", finish);
  response.on("close", finish);
  response.on("error", finish);

  const stream: EventStream = {
    get lost() {
      return done && !closedByUs;
    },
    next() {
      const event = queue.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return() {
      stream.close();
      return Promise.resolve({ value: undefined, done: true });
    },
    takeBuffered() {
      return queue.splice(0);
    },
    close() {
      closedByUs = true;
      abort();
      finish();
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}

