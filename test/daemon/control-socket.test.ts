import { spawn } from "node:child_process";
import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createApiHandler } from "../../electron/daemon/api-server.js";
import { claimControlSocket, probeSocket } from "../../electron/daemon/control-socket.js";
import { homePaths } from "../../electron/core/home.js";
import { EngineLockedError } from "../../electron/shared/errors.js";
import { tempFolder } from "../support/temp-folders.mjs";

const posix = process.platform !== "win32";

describe.runIf(posix)("the control socket as the single-instance guard", () => {
  let home: string;
  beforeEach(() => {
    home = tempFolder("sock");
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const handlerFor = (pid: number) => createApiHandler({ backend: () => null, host: { pid, home, version: "test" } }).handle;

  test("is created with mode 0600 and removed on close", async () => {
    const socket = await claimControlSocket({ home, handler: handlerFor(process.pid) });
    expect(fs.statSync(socket.path).mode & 0o777).toBe(0o600);
    await socket.close();
    expect(fs.existsSync(socket.path)).toBe(false);
  });

  test("refuses a second claim on the same home, naming the owner's pid", async () => {
    const first = await claimControlSocket({ home, handler: handlerFor(31337) });
    const second = await claimControlSocket({ home, handler: handlerFor(1) }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(EngineLockedError);
    expect((second as Error).message).toBe(`Sundial is already running on ${home} (pid 31337)`);
    await first.close();
  });

  test("lets exactly one of several simultaneous claims win", async () => {
    const claims = await Promise.allSettled([1, 2, 3, 4].map((pid) => claimControlSocket({ home, handler: handlerFor(pid) })));
    const won = claims.filter((claim) => claim.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const claim of claims) if (claim.status === "rejected") expect(claim.reason).toBeInstanceOf(EngineLockedError);
    await (won[0] as PromiseFulfilledResult<{ close(): Promise<void> }>).value.close();
  });

  test("replaces a stale socket left by a process killed with SIGKILL", async () => {
    const socketPath = homePaths(home).socket;
    const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${JSON.stringify(socketPath)}, () => console.log("up"))`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise((resolve) => child.stdout.once("data", resolve));
    expect(await probeSocket(socketPath, 500)).toMatchObject({ alive: true });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(fs.existsSync(socketPath)).toBe(true);
    expect(await probeSocket(socketPath)).toEqual({ alive: false });

    const socket = await claimControlSocket({ home, handler: handlerFor(process.pid) });
    expect(await probeSocket(socketPath)).toEqual({ alive: true, pid: process.pid });
    await socket.close();
  });

  test("deleting the socket file does not free the home: a second claim is still refused, naming the pid", async () => {
    const first = await claimControlSocket({ home, handler: handlerFor(process.pid) });
    fs.rmSync(first.path);
    const second = await claimControlSocket({ home, handler: handlerFor(1) }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(EngineLockedError);
    expect((second as Error).message).toBe(`Sundial is already running on ${home} (pid ${process.pid})`);
    await first.close();
    // Closed: the home is free again.
    const third = await claimControlSocket({ home, handler: handlerFor(process.pid) });
    await third.close();
  });

  test("a socket file deleted while it is claimed is made again (0600), and answers", async () => {
    const lines: string[] = [];
    const socket = await claimControlSocket({ home, handler: handlerFor(4242), log: (line) => lines.push(line) });
    fs.rmSync(socket.path);
    const deadline = Date.now() + 5_000;
    while (!fs.existsSync(socket.path) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await probeSocket(socket.path)).toEqual({ alive: true, pid: 4242 });
    expect(fs.statSync(socket.path).mode & 0o777).toBe(0o600);
    expect(lines.join("\n")).toContain("was deleted; made it again");
    await socket.close();
    expect(fs.existsSync(socket.path)).toBe(false);
  });

  test("a regular file at sundial.sock is refused, naming it, and kept", async () => {
    const socketPath = homePaths(home).socket;
    fs.writeFileSync(socketPath, "notes\n");
    const error = await claimControlSocket({ home, handler: handlerFor(process.pid) }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`${socketPath} is not a socket (a regular file)`);
    expect(fs.readFileSync(socketPath, "utf8")).toBe("notes\n");
    // The home was not left locked by the refused claim.
    fs.rmSync(socketPath);
    const socket = await claimControlSocket({ home, handler: handlerFor(process.pid) });
    await socket.close();
  });
});
