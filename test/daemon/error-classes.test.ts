/**
 * One table of error classes (ERROR_KINDS in electron/shared/errors.ts) drives every face: an
 * error thrown by the engine gets the table's HTTP status, crosses the control socket and IPC
 * with its ids as fields, is rebuilt as the same class with the same ids (never parsed out of
 * its message), and the CLI exits with the table's code and prints the engine's sentence.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiHandler } from "../../electron/daemon/api-server.js";
import { reportError } from "../../electron/daemon/cli.js";
import { EXIT } from "../../electron/shared/exit-codes.js";
import { connectClient } from "../../electron/daemon/client.js";
import { claimControlSocket, type ControlSocket } from "../../electron/daemon/control-socket.js";
import { createIpcRoutes } from "../../electron/main/ipc-routes.js";
import { SCHEDULER_METHODS, type SchedulerApi } from "../../electron/shared/contract.js";
import {
  AmbiguousJobError,
  ApiRequestError,
  CliInputError,
  EngineLockedError,
  EngineUnavailableError,
  ERROR_KINDS,
  FileWriteError,
  HomeNotPrivateError,
  JobBusyError,
  JobFinishedError,
  JobNotFoundError,
  RunNotActiveError,
  RunNotFoundError,
  StoreCorruptError,
  StoreWriteError,
  ValidationError,
} from "../../electron/shared/errors.js";
import { channelFor, type IpcResult } from "../../electron/shared/ipc.js";
import { deserializeError } from "../../electron/shared/wire.js";

/** One instance of every class that crosses the API, with awkward ids (quotes, spaces, commas). */
const SAMPLES: { error: Error; ids: Record<string, unknown> }[] = [
  { error: new ValidationError([{ field: "trigger.expression", message: "minute 61 is out of range (0-59)" }]), ids: { issues: [{ field: "trigger.expression", message: "minute 61 is out of range (0-59)" }] } },
  { error: new JobNotFoundError('say "hi"'), ids: { ref: 'say "hi"' } },
  { error: new AmbiguousJobError("back, up", ["j_1", "j_2"]), ids: { ref: "back, up", ids: ["j_1", "j_2"] } },
  { error: new RunNotFoundError("r_9"), ids: { runId: "r_9" } },
  { error: new RunNotActiveError('r_"x"'), ids: { runId: 'r_"x"' } },
  { error: new RunNotActiveError("r_done", "timed_out"), ids: { runId: "r_done", status: "timed_out" } },
  { error: new JobBusyError('the "nightly" backup'), ids: { jobName: 'the "nightly" backup' } },
  { error: new JobFinishedError("one-off report"), ids: { jobName: "one-off report" } },
  { error: new EngineLockedError("/home/ann/.config/Sundial", 4242), ids: { home: "/home/ann/.config/Sundial", pid: 4242 } },
  { error: new EngineUnavailableError(), ids: {} },
  { error: new StoreWriteError("/h/jobs.json", "no space left on device (ENOSPC)"), ids: { file: "/h/jobs.json", problem: "no space left on device (ENOSPC)" } },
  { error: new StoreCorruptError("/h/jobs.json", "line 3: unexpected token"), ids: { file: "/h/jobs.json", problem: "line 3: unexpected token" } },
  { error: new FileWriteError("/h/token", "read-only file system (EROFS)"), ids: { file: "/h/token", problem: "read-only file system (EROFS)" } },
  { error: new HomeNotPrivateError("/h", "is writable by group (mode 0775)"), ids: { path: "/h", problem: "is writable by group (mode 0775)" } },
  { error: new ApiRequestError("The request body is too large", 413), ids: { status: 413 } },
];

function request(socketPath: string, urlPath: string, body: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers = { "Content-Type": "application/json" };
    const outgoing = http.request({ socketPath, method: "POST", path: urlPath, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** A service whose getJob(i) throws SAMPLES[i]. */
const service = Object.fromEntries(
  SCHEDULER_METHODS.map((method) => [
    method,
    async (...args: unknown[]) => {
      throw SAMPLES[Number(args[0])]!.error;
    },
  ]),
) as unknown as SchedulerApi;

function cliOutcome(error: unknown): { code: number; stderr: string } {
  let stderr = "";
  const code = reportError(error, { write: (text) => void (stderr += text) }, {});
  return { code, stderr };
}

describe("the table of error classes", () => {
  let home: string;
  let socket: ControlSocket;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-errors-"));
    const handler = createApiHandler({ backend: () => ({ service, subscribe: () => () => undefined }), host: { pid: 1, home, version: "0.0.0" } });
    socket = await claimControlSocket({ home, handler: handler.handle, beforeClose: handler.closeStreams });
  });

  afterAll(async () => {
    await socket.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("lists every class the samples throw, and every class it lists for the API is sampled", () => {
    const onTheWire = Object.entries(ERROR_KINDS).filter(([, kind]) => kind.status !== undefined).map(([name]) => name);
    expect([...new Set(SAMPLES.map((sample) => sample.error.name))].sort()).toEqual(onTheWire.sort());
  });

  test.each(SAMPLES.map((sample, index) => [sample.error.name, index] as const))("%s: its status over HTTP, its ids on the wire, the same class and ids on the client", async (name, index) => {
    const { error, ids } = SAMPLES[index]!;
    const answer = await request(socket.path, "/api/getJob", JSON.stringify({ args: [String(index)] }));
    const expectedStatus = error instanceof ApiRequestError ? error.status : ERROR_KINDS[name]!.status;
    expect(answer.status).toBe(expectedStatus);
    const wire = (JSON.parse(answer.body) as { error: { name: string; message: string; details?: object; issues?: unknown } }).error;
    expect(wire).toMatchObject({ name, message: error.message });
    const { issues, ...details } = ids;
    if (issues) expect(wire.issues).toEqual(issues);
    if (Object.keys(details).length > 0) expect(wire.details).toEqual(details);

    const rebuilt = await connectClient({ home, startupWaitMs: 0 }).getJob(String(index)).catch((thrown: unknown) => thrown);
    expect(rebuilt).toBeInstanceOf(error.constructor);
    expect(rebuilt).toMatchObject({ name, message: error.message, ...ids });
  });

  test.each(SAMPLES.map((sample, index) => [sample.error.name, index] as const))("%s: the same class and ids after IPC, and the same CLI exit code and message as the engine's error", async (name, index) => {
    const { error, ids } = SAMPLES[index]!;
    const route = createIpcRoutes(service, () => true).get(channelFor("getJob"))!;
    const result = (await route({ sender: {} } as never, String(index))) as IpcResult;
    if (result.ok) throw new Error("expected an error");
    const rebuilt = deserializeError(result.error);
    expect(rebuilt).toBeInstanceOf(error.constructor);
    expect(rebuilt).toMatchObject({ name, message: error.message, ...ids });

    const cli = cliOutcome(rebuilt);
    expect(cli).toEqual(cliOutcome(error));
    expect(cli.code).toBe(EXIT[ERROR_KINDS[name]!.exit]);
    expect(cli.stderr).not.toMatch(/^error:/);
  });

  test("the CLI says bad input (2) for a field, an option or a home another user could change, and failed (1) for the rest", () => {
    expect(cliOutcome(new ValidationError([{ field: "name", message: "must not be empty" }]))).toEqual({ code: EXIT.badInput, stderr: "name: must not be empty\n" });
    expect(cliOutcome(new CliInputError(["--cron: must not be empty", "--tz: unknown time zone \"Mars/Base\""]))).toEqual({
      code: EXIT.badInput,
      stderr: '--cron: must not be empty\n--tz: unknown time zone "Mars/Base"\n',
    });
    expect(cliOutcome(new JobNotFoundError("backup"))).toEqual({ code: EXIT.failed, stderr: 'No job with id or name "backup"\n' });
  });

  test("an error outside the table is a 500 named InternalError, and the CLI labels it", async () => {
    const unexpected = new Error("EACCES: permission denied");
    expect(cliOutcome(unexpected)).toEqual({ code: EXIT.failed, stderr: "error: EACCES: permission denied\n" });
    expect(deserializeError({ name: "InternalError", message: "EACCES: permission denied" })).toMatchObject({ name: "InternalError", message: "EACCES: permission denied" });
  });
});
