import fs from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SilentNotifier } from "../../electron/core/notifier/silent-notifier.js";
import { homePaths } from "../../electron/core/home.js";
import { probeSocket } from "../../electron/daemon/control-socket.js";
import { engineLockedMessage, homeNotPrivateMessage, startEngineHost, type EngineHost } from "../../electron/main/engine-host.js";
import { EngineLockedError, HomeNotPrivateError } from "../../electron/shared/errors.js";
import { ensureBuilt, startDaemon, stopAllDaemons, sundial, sundialJson } from "../support/cli.js";
import { tempFolder } from "../support/temp-folders.mjs";

const posix = process.platform !== "win32";

/** The desktop app's engine host, on a temp home, without Electron; driven by the real CLI. */
describe.runIf(posix)("the app's engine host", () => {
  let home: string;
  let host: EngineHost | null = null;
  const lines: string[] = [];
  const start = () => startEngineHost({ home, log: (line) => lines.push(line), notifier: new SilentNotifier(), baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });

  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(() => {
    home = tempFolder("app-host");
  });
  afterEach(async () => {
    await host?.stop();
    host = null;
    fs.rmSync(home, { recursive: true, force: true });
  });
  afterAll(() => stopAllDaemons());

  it("serves the control socket, so sundial commands work while the app runs", async () => {
    host = await start();
    expect(host.socketPath).toBe(homePaths(home).socket);
    const added = await sundialJson<{ id: string; name: string }>(["add", "hello", "--every", "1h", "--", "echo hi"], { home });
    expect((await host.engine.service.listJobs()).map((job) => job.name)).toEqual(["hello"]);
    expect(added.name).toBe("hello");
    const status = await sundialJson<{ pid: number; home: string }>(["status"], { home });
    expect(status).toMatchObject({ pid: process.pid, home });
  });

  it("refuses to open a home a daemon owns, naming the daemon's pid, and leaves its store alone", async () => {
    const daemon = await startDaemon(home);
    const error = await start().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(EngineLockedError);
    expect(engineLockedMessage(error as EngineLockedError)).toBe(
      `Sundial is already running on ${home} (pid ${daemon.pid}) — quit the daemon first (or start Sundial with --home on another folder).`,
    );
    // The daemon still answers: the app did not take its socket over.
    expect(await probeSocket(homePaths(home).socket)).toEqual({ alive: true, pid: daemon.pid });
    expect(await daemon.stop()).toBe(0);
  });

  it("keeps a daemon from starting on the app's home", async () => {
    host = await start();
    const result = await sundial(["daemon"], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Sundial is already running on ${home} (pid ${process.pid})`);
  });

  it("refuses a home others can write before claiming anything, with a dialog text naming the path and mode", async () => {
    fs.chmodSync(home, 0o777);
    const error = await start().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(HomeNotPrivateError);
    expect(homeNotPrivateMessage(error as HomeNotPrivateError)).toMatch(new RegExp(`^${home} is writable by group and others \\(mode 0777\\); run chmod 700 ${home}\\.\\n`));
    expect(fs.existsSync(homePaths(home).socket)).toBe(false);
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it("records a run in progress as interrupted when it stops, then frees the socket", async () => {
    host = await start();
    const job = await host.engine.service.addJob({ name: "slow", trigger: { type: "interval", everySeconds: 3600 }, command: "sleep 30" });
    const run = await host.engine.service.runNow(job.id);
    await host.stop();
    host = null;
    expect(await probeSocket(homePaths(home).socket)).toEqual({ alive: false });
    // The next start (the app again, or a daemon) finds it recorded.
    host = await start();
    expect(await host.engine.service.getRun(run.id)).toMatchObject({ id: run.id, status: "interrupted" });
  });
});
