/**
 * The web UI cannot be used to starve the engine without the token (issue 10, item 4): a
 * daemon with `ulimit -n 256` and `--ui` gets 300 hostile connections (declared 100 MB
 * bodies without a token, headers trickled a byte at a time); refusals close their
 * connection, the open count stays under the cap, and a job due every second keeps running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Run } from "../../electron/shared/schemas.js";
import { BIN, ensureBuilt, removeTempHomes, ROOT, sleep, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";
import { ensureRendererBuilt, UI_LINK } from "../support/web-ui.js";

const FD_LIMIT = 256;

let home: string;
let daemon: ChildProcess;
let port: number;
let token: string;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  await Promise.all([ensureBuilt(), ensureRendererBuilt()]);
  home = tempHome("flood");
  // `ulimit -n` as a user would set it: the daemon learns its limit the way it would in the field.
  daemon = spawn("/bin/sh", ["-c", `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`, process.execPath, BIN, "daemon", "--home", home, "--ui", "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  daemon.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  daemon.stderr!.resume();
  const link = await waitFor(() => UI_LINK.exec(stdout), 30_000, "the web UI link");
  port = Number(link[2]);
  token = link[3]!;
  expect((await sundial(["add", "tick", "--every", "1s", "--", "echo tick"], { home })).code).toBe(0);
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  daemon.kill("SIGKILL");
  await new Promise((resolve) => daemon.once("exit", resolve));
  removeTempHomes();
});

/** Sockets the daemon holds open (listeners, connections, pipes to runs excluded). */
function daemonSocketCount(): number {
  return fs.readdirSync(`/proc/${daemon.pid}/fd`).filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/${daemon.pid}/fd/${fd}`).startsWith("socket:");
    } catch {
      return false;
    }
  }).length;
}

interface Hostile {
  socket: net.Socket;
  response: string;
  closed: boolean;
}

/** A connection that sends `head` at once, then one byte of `trickle` every 500 ms. */
function hostile(head: string, trickle: string): Hostile {
  const socket = net.connect({ host: "127.0.0.1", port });
  sockets.push(socket);
  const state: Hostile = { socket, response: "", closed: false };
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (state.response += chunk));
  socket.on("error", () => undefined);
  socket.on("close", () => (state.closed = true));
  socket.write(head);
  let index = 0;
  const timer = setInterval(() => {
    if (state.closed) return clearInterval(timer);
    socket.write(trickle[index++ % trickle.length]!);
  }, 500);
  socket.on("close", () => clearInterval(timer));
  return state;
}

function authorizedGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers: { Authorization: `Bearer ${token}` }, agent: false, timeout: 5_000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

describe("a flood of connections without the token", () => {
  test("is refused and capped while scheduled runs keep succeeding and event streams keep flowing", async () => {
    const host = `127.0.0.1:${port}`;
    // An open event stream (the web UI's), to check it outlives the flood and the body time limit.
    const streamed: string[] = [];
    const events = http.get({ host: "127.0.0.1", port, path: "/api/events", headers: { Authorization: `Bearer ${token}` }, agent: false });
    events.on("response", (response) => response.setEncoding("utf8").on("data", (chunk: string) => streamed.push(chunk)));
    const streamOpenedAt = Date.now();
    await waitFor(() => streamed.join("").includes('"run.finished"'), 15_000, "a tick on the event stream");
    const baseline = daemonSocketCount();

    const hugeBody = () =>
      hostile(`POST /api/importJobs HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n`, '[{"name":"x"}]');
    // A refusal is answered and its connection closed at once: the body is never read.
    const alone = hugeBody();
    await waitFor(() => alone.closed, 10_000, "the refused connection to close");
    expect(alone.response).toMatch(/^HTTP\/1\.1 401/);

    // In a flood, a refused connection is answered 401 or, when newer ones arrive before its
    // request is read, evicted by the cap: either way it is closed, never held.
    const floodStart = new Date();
    const bodies = Array.from({ length: 100 }, hugeBody);
    const tricklers = Array.from({ length: 200 }, () => hostile(`GET / HTTP/1.1\r\nHost: ${host}\r\n`, "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaa\r\n"));
    await waitFor(() => bodies.every((connection) => connection.closed), 10_000, "the refused connections to close");
    for (const connection of bodies) expect(connection.response === "" || connection.response.startsWith("HTTP/1.1 401")).toBe(true);

    // For a while the tricklers keep trying: the daemon never holds more than its cap.
    const counts: number[] = [];
    for (let second = 0; second < 8; second++) {
      counts.push(daemonSocketCount());
      // The token holder still gets in.
      expect(await authorizedGet("/api/status")).toBe(200);
      await sleep(1_000);
    }
    expect(Math.max(...counts) - baseline).toBeLessThanOrEqual(FD_LIMIT / 8 + 2);
    // Trickled headers are cut within 10 s (and evicted sooner when others wait).
    await waitFor(() => tricklers.every((connection) => connection.closed), 15_000, "the trickling connections to be closed");

    const runs = await sundialJson<Run[]>(["history", "tick", "--limit", "200"], { home });
    const during = runs.filter((run) => run.startedAt !== null && Date.parse(run.startedAt) >= floodStart.getTime());
    expect(during.filter((run) => run.status !== "succeeded" && run.status !== "running" && run.status !== "skipped")).toEqual([]);
    expect(during.filter((run) => run.status === "succeeded").length).toBeGreaterThanOrEqual(6);

    // The event stream is still open past the 30 s a request body may take, and still live.
    await sleep(Math.max(0, streamOpenedAt + 32_000 - Date.now()));
    const before = streamed.length;
    await waitFor(() => streamed.length > before && streamed.slice(before).join("").includes('"run.finished"'), 10_000, "a tick after 30 s");
    events.destroy();
  }, 120_000);
});
