import fs from "node:fs";
import http from "node:http";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createApiHandler, type ApiBackend } from "../../electron/daemon/api-server.js";
import { connectClient } from "../../electron/daemon/client.js";
import { claimControlSocket, type ControlSocket } from "../../electron/daemon/control-socket.js";
import { SCHEDULER_METHODS, type SchedulerApi, type SchedulerEvent } from "../../electron/shared/contract.js";
import { AmbiguousJobError, EngineNotRunningError, JobNotFoundError, ValidationError } from "../../electron/shared/errors.js";
import type { JobView } from "../../electron/shared/schemas.js";
import { tempFolder } from "../support/temp-folders.mjs";

const JOB = { id: "j_1", name: "backup", triggers: [] } as unknown as JobView;

/** A SchedulerApi whose methods record their calls; a few behave like the real service. */
function fakeBackend() {
  const calls: { method: string; args: unknown[] }[] = [];
  const listeners = new Set<(event: SchedulerEvent) => void>();
  const service = Object.fromEntries(
    SCHEDULER_METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        calls.push({ method, args });
        if (method === "getJob" && args[0] !== "backup") throw new JobNotFoundError(String(args[0]));
        if (method === "getJob") return JOB;
        if (method === "listJobs") return [JOB];
        if (method === "removeJob") return undefined;
        if (method === "pauseJob") throw new AmbiguousJobError(String(args[0]), ["j_1", "j_2"]);
        if (method === "addJob") throw new ValidationError([{ field: "trigger.expression", message: "bad minute field" }]);
        if (method === "status") throw Object.assign(new Error("disk on fire"), { stack: "Error: disk on fire\n    at /secret/path.js:1:1" });
        return { method, args };
      },
    ]),
  ) as unknown as SchedulerApi;
  const backend: ApiBackend = {
    service,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { backend, calls, listeners, emit: (event: SchedulerEvent) => listeners.forEach((listener) => listener(event)) };
}

function request(socketPath: string, method: string, urlPath: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = http.request({ socketPath, method, path: urlPath, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("the API server on the control socket", () => {
  let home: string;
  let socket: ControlSocket;
  let fake: ReturnType<typeof fakeBackend>;
  let ready: boolean;
  const logged: string[] = [];

  beforeEach(async () => {
    home = tempFolder("api");
    fake = fakeBackend();
    ready = true;
    const handler = createApiHandler({ backend: () => (ready ? fake.backend : null), host: { pid: 4242, home, version: "9.9.9" }, log: (line) => logged.push(line), pingIntervalMs: 50 });
    socket = await claimControlSocket({ home, handler: handler.handle, beforeClose: handler.closeStreams });
  });

  afterEach(async () => {
    await socket.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("routes POST /api/<method> onto the service with the given arguments", async () => {
    const client = connectClient({ home });
    await expect(client.getJob("backup")).resolves.toEqual(JOB);
    await expect(client.history({ job: "backup", limit: 3 })).resolves.toEqual({ method: "history", args: [{ job: "backup", limit: 3 }] });
    await expect(client.removeJob("backup")).resolves.toBeNull();
    expect(fake.calls.map((call) => call.method)).toEqual(["getJob", "history", "removeJob"]);
  });

  test("rebuilds the engine's error classes on the client, with their messages", async () => {
    const client = connectClient({ home });
    const notFound = await client.getJob("nope").catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(JobNotFoundError);
    expect((notFound as Error).message).toBe('No job with id or name "nope"');
    const invalid = await client.addJob({} as never).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues).toEqual([{ field: "trigger.expression", message: "bad minute field" }]);
    await expect(client.pauseJob("twin")).rejects.toBeInstanceOf(AmbiguousJobError);
  });

  test("answers with status codes by error class and never sends a stack trace", async () => {
    const post = (method: string, args: unknown[]) => request(socket.path, "POST", `/api/${method}`, JSON.stringify({ args }), { "Content-Type": "application/json" });
    expect((await post("getJob", ["nope"])).status).toBe(404);
    expect((await post("addJob", [{}])).status).toBe(400);
    expect((await post("pauseJob", ["twin"])).status).toBe(409);
    const crash = await post("status", []);
    expect(crash.status).toBe(500);
    expect(JSON.parse(crash.body)).toEqual({ error: { name: "InternalError", message: "disk on fire" } });
    expect(crash.body).not.toContain("secret/path");
    expect(logged.join("\n")).toContain("/secret/path.js");
  });

  test("refuses malformed requests before they reach the service", async () => {
    const json = { "Content-Type": "application/json" };
    expect((await request(socket.path, "POST", "/api/getJob", "{not json", json)).status).toBe(400);
    expect((await request(socket.path, "POST", "/api/getJob", JSON.stringify({ args: [42] }), json)).status).toBe(400);
    expect((await request(socket.path, "POST", "/api/getJob", JSON.stringify({ args: [] }), json)).status).toBe(400);
    expect((await request(socket.path, "POST", "/api/listJobs", JSON.stringify({ args: [1] }), json)).status).toBe(400);
    expect((await request(socket.path, "POST", "/api/getJob", JSON.stringify({ args: ["backup"] }), { "Content-Type": "text/plain" })).status).toBe(415);
    expect((await request(socket.path, "GET", "/api/addJob")).status).toBe(405);
    expect((await request(socket.path, "POST", "/api/deleteEverything", "{}", json)).status).toBe(404);
    expect(fake.calls).toEqual([]);
  });

  test("serves REST-style reads: GET /api/jobs, /api/jobs/:ref, /api/runs, /api/status", async () => {
    const jobs = await request(socket.path, "GET", "/api/jobs");
    expect(jobs.status).toBe(200);
    expect(JSON.parse(jobs.body)).toEqual({ result: [JOB] });
    expect((await request(socket.path, "GET", "/api/jobs/backup")).status).toBe(200);
    expect((await request(socket.path, "GET", "/api/jobs/nope")).status).toBe(404);
    await request(socket.path, "GET", "/api/runs?job=backup&limit=2");
    await request(socket.path, "GET", "/api/runs/r_1/log");
    expect(fake.calls.slice(-2)).toEqual([
      { method: "history", args: [{ job: "backup", limit: 2 }] },
      { method: "runLog", args: ["r_1"] },
    ]);
  });

  test("serves a job's stats and the agenda as reads too: GET /api/jobs/:ref/stats, /api/agenda?days=N (issue 17)", async () => {
    expect((await request(socket.path, "GET", "/api/jobs/backup/stats")).status).toBe(200);
    expect((await request(socket.path, "GET", "/api/agenda?days=3")).status).toBe(200);
    expect((await request(socket.path, "GET", "/api/agenda")).status).toBe(200);
    expect(fake.calls.slice(-3)).toEqual([
      { method: "jobStats", args: ["backup"] },
      { method: "agenda", args: [{ days: 3 }] },
      { method: "agenda", args: [{ days: undefined }] },
    ]);
  });

  test("answers 503 while the engine is opening, and ping names the pid all along", async () => {
    ready = false;
    const response = await request(socket.path, "POST", "/api/listJobs", "{}", { "Content-Type": "application/json" });
    expect(response.status).toBe(503);
    const ping = JSON.parse((await request(socket.path, "GET", "/api/ping")).body) as { result: { pid: number; ready: boolean } };
    expect(ping.result).toMatchObject({ pid: 4242, ready: false });
  });

  test("streams events as JSON lines from the moment the stream is open, and unsubscribes on disconnect", async () => {
    const client = connectClient({ home });
    const stream = await client.events();
    expect(fake.listeners.size).toBe(1);
    fake.emit({ type: "job.removed", jobId: "j_1" });
    fake.emit({ type: "engine.resumed" });
    await new Promise((resolve) => setTimeout(resolve, 120)); // a few pings go by, and are skipped
    expect((await stream.next()).value).toEqual({ type: "job.removed", jobId: "j_1" });
    expect((await stream.next()).value).toEqual({ type: "engine.resumed" });
    stream.close();
    await expect.poll(() => fake.listeners.size).toBe(0);
  });

  test("ends event streams when the socket closes, so followers see the engine go away", async () => {
    const client = connectClient({ home });
    const stream = await client.events();
    const next = stream.next();
    await socket.close();
    await expect(next).resolves.toMatchObject({ done: true });
    expect(stream.lost).toBe(true);
    socket = await claimControlSocket({ home, handler: () => undefined });
  });
});

describe("the client without an engine", () => {
  test("says in one line how to start one, repeating --home when it was given", async () => {
    const home = tempFolder("none");
    const error = await connectClient({ home, homeGiven: true }).listJobs().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineNotRunningError);
    expect((error as Error).message).toBe(`Sundial is not running on ${home}. Start the desktop app or run: sundial daemon --home ${home}`);
    expect((await connectClient({ home }).status().catch((caught: Error) => caught.message)) as string).not.toContain("--home");
    fs.rmSync(home, { recursive: true, force: true });
  });
});
