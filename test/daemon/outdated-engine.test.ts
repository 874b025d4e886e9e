/**
 * After an upgrade while the daemon kept running, the new `sundial` talks to the old engine.
 * An engine from before schema v2 sends jobs with one `trigger` instead of `triggers`: the
 * CLI says to restart it, in one line, instead of crashing on the job it cannot read.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { claimControlSocket, type ControlSocket } from "../../electron/daemon/control-socket.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, sundial, tempHome } from "../support/cli.js";

let home: string;
let socket: ControlSocket;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("outdated-engine");
  const oldJob = { id: "j_00000001", name: "backup", trigger: { type: "cron", version: 1, expression: "0 3 * * *" }, command: "true", paused: false, nextRunAt: null, lastRun: null };
  const answers: Record<string, unknown> = {
    "/api/listJobs": [oldJob],
    "/api/getJob": oldJob,
    "/api/status": { pid: 4242, home, version: "0.1.0", allPaused: false },
    "/api/ping": { pid: 4242, home, version: "0.1.0", ready: true },
  };
  socket = await claimControlSocket({
    home,
    handler: (request, response) => {
      request.resume();
      request.on("end", () => {
        const path = request.url ?? "";
        response.setHeader("Content-Type", "application/json");
        if (path in answers) response.end(JSON.stringify({ result: answers[path] }));
        else response.writeHead(404).end(JSON.stringify({ error: { name: "Error", message: `no ${path}` } }));
      });
    },
  });
});

afterAll(async () => {
  await socket?.close();
  removeTempHomes();
});

describe("a sundial command and an engine older than it", () => {
  test.each([["list"], ["show", "backup"]])("%s says to restart the engine, exit 1, no stack trace", async (...args) => {
    const result = await sundial(args, { home });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "The running Sundial engine (pid 4242) is older than this sundial command: restart it (quit the desktop app and open it again, or stop sundial daemon and start it again)",
    );
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});
