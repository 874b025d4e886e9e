/**
 * The home is private (DESIGN.md, "Where the data lives"; issue 10, items 3 and 14): a home
 * folder or jobs.json that group or others can write, or that another user owns, is refused
 * at start (exit 2, naming the path and its mode, touching nothing), and the CLI sends nothing
 * to a control socket it cannot trust. An explicitly empty home is refused too.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { BIN, ensureBuilt, hasStackTrace, ROOT, removeTempHomes, startDaemon, stopAllDaemons, sundial, tempHome } from "../support/cli.js";
import { makeJob } from "../core/store/store-fixtures.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const posix = process.platform !== "win32";
const isRoot = posix && process.getuid!() === 0;
/** Another user's uid, for files "owned by someone else" (only root can give a file away). */
const OTHER_UID = 65534;
const HOME_NOT_PRIVATE = 2;

/** An env whose default home lies inside a temp folder, so a regression never touches the real one. */
function sandboxEnv(): NodeJS.ProcessEnv {
  const config = tempHome("xdg");
  return { XDG_CONFIG_HOME: config, HOME: config };
}

describe.runIf(posix).concurrent("a home that is not private is refused at start", () => {
  test("a home folder others can write: exit 2, the path and its mode named, nothing created in it", async () => {
    const home = tempHome("loose");
    fs.chmodSync(home, 0o777);
    const result = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(result.code).toBe(HOME_NOT_PRIVATE);
    expect(result.stderr).toContain(`${home} is writable by group and others (mode 0777); run chmod 700 ${home}`);
    expect(hasStackTrace(result.stderr)).toBe(false);
    // Refused, not repaired: the mode is the user's to fix, and nothing was written.
    expect(fs.statSync(home).mode & 0o777).toBe(0o777);
    expect(fs.readdirSync(home)).toEqual([]);
  }, 30_000);

  test("a home folder its group can write is refused too", async () => {
    const home = tempHome("group");
    fs.chmodSync(home, 0o770);
    const result = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(result.code).toBe(HOME_NOT_PRIVATE);
    expect(result.stderr).toContain(`${home} is writable by group (mode 0770); run chmod 700 ${home}`);
  }, 30_000);

  test("a jobs.json others can write: refused, and the planted job never runs", async () => {
    const home = tempHome("loose-jobs");
    const marker = path.join(home, "planted-ran");
    const planted = makeJob(0, {
      id: "j_planted",
      name: "planted",
      triggers: [{ type: "interval", version: 1, everySeconds: 1, anchor: new Date().toISOString() }],
      command: `touch ${marker}`,
      cwd: undefined,
      env: {},
    });
    const jobsFile = homePaths(home).jobs;
    fs.writeFileSync(jobsFile, JSON.stringify({ version: 2, settings: {}, jobs: [planted] }));
    fs.chmodSync(jobsFile, 0o666);
    const result = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(result.code).toBe(HOME_NOT_PRIVATE);
    expect(result.stderr).toContain(`${jobsFile} is writable by group and others (mode 0666); run chmod 600 ${jobsFile}`);
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(homePaths(home).socket)).toBe(false);
  }, 30_000);

  test.runIf(isRoot)("a home folder or jobs.json owned by another user (needs root to chown; skipped otherwise)", async () => {
    const home = tempHome("foreign");
    fs.chownSync(home, OTHER_UID, OTHER_UID);
    const folderResult = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(folderResult.code).toBe(HOME_NOT_PRIVATE);
    expect(folderResult.stderr).toContain(`${home} is owned by uid ${OTHER_UID}, not by you (uid 0)`);

    const other = tempHome("foreign-jobs");
    const jobsFile = homePaths(other).jobs;
    fs.writeFileSync(jobsFile, JSON.stringify({ version: 2, settings: {}, jobs: [] }), { mode: 0o600 });
    fs.chownSync(jobsFile, OTHER_UID, OTHER_UID);
    const fileResult = await sundial(["daemon"], { home: other, timeoutMs: 20_000 });
    expect(fileResult.code).toBe(HOME_NOT_PRIVATE);
    expect(fileResult.stderr).toContain(`${jobsFile} is owned by uid ${OTHER_UID}, not by you (uid 0)`);
  }, 30_000);

  test("a home Sundial creates itself is 0700, whatever the umask", async () => {
    const home = path.join(tempHome("fresh"), "a", "home");
    const daemon = await startDaemon(home);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expect(await daemon.stop()).toBe(0);
  }, 30_000);
});

/** A listener that records every byte anyone sends it. */
async function plantListener(socketPath: string): Promise<{ received: () => string; connections: () => number; close: () => Promise<void> }> {
  let received = "";
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on("data", (chunk) => (received += chunk.toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    received: () => received,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.runIf(posix).concurrent("the CLI checks the control socket before sending anything", () => {
  const secretAdd = ["add", "leak", "--every", "1h", "--env", "TOKEN=hunter2", "--", "true"];

  test.runIf(isRoot)("a listener on sundial.sock owned by another user receives nothing (needs root to chown; skipped otherwise)", async () => {
    const home = tempHome("planted");
    const socketPath = homePaths(home).socket;
    const listener = await plantListener(socketPath);
    fs.chownSync(socketPath, OTHER_UID, OTHER_UID);
    const result = await sundial(secretAdd, { home, timeoutMs: 10_000 });
    await listener.close();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${socketPath} is owned by uid ${OTHER_UID}, not by you (uid 0)`);
    expect(result.stderr).toMatch(/nothing was sent/i);
    expect(listener.connections()).toBe(0);
    expect(listener.received()).toBe("");
  }, 30_000);

  test("a listener in a home others can write receives nothing", async () => {
    const home = tempHome("planted-loose");
    const socketPath = homePaths(home).socket;
    const listener = await plantListener(socketPath);
    fs.chmodSync(home, 0o777);
    const result = await sundial(secretAdd, { home, timeoutMs: 10_000 });
    await listener.close();
    expect(result.code).toBe(HOME_NOT_PRIVATE);
    expect(result.stderr).toContain(`${home} is writable by group and others (mode 0777); run chmod 700 ${home}`);
    expect(listener.connections()).toBe(0);
    expect(listener.received()).toBe("");
  }, 30_000);

  test("a regular file at sundial.sock: refused, naming it, and left alone", async () => {
    const home = tempHome("not-a-socket");
    const socketPath = homePaths(home).socket;
    fs.writeFileSync(socketPath, "not a socket\n");
    const result = await sundial(secretAdd, { home, timeoutMs: 10_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${socketPath} is not a socket (a regular file)`);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(fs.readFileSync(socketPath, "utf8")).toBe("not a socket\n");
  }, 30_000);
});

/** `sundial <args…>` exactly as given (no `--home` added). */
function sundialRaw(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 10_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr: String(stderr) });
    });
  });
}

describe("an explicitly empty home is refused, never the default home", () => {
  test.each([
    ['list --home ""', ["list", "--home", ""], {}, "--home: must not be empty"],
    ["list --home=", ["list", "--home="], {}, "--home: must not be empty"],
    ['--home "" list', ["--home", "", "list"], {}, "--home: must not be empty"],
    ['SUNDIAL_HOME="" list', ["list"], { SUNDIAL_HOME: "" }, "SUNDIAL_HOME: must not be empty"],
    ['daemon --home ""', ["daemon", "--home", ""], {}, "--home: must not be empty"],
    ['SUNDIAL_HOME="" daemon', ["daemon"], { SUNDIAL_HOME: "" }, "SUNDIAL_HOME: must not be empty"],
  ])("%s: exit 2 naming it", async (_label, args, env, message) => {
    const sandbox = sandboxEnv();
    const { SUNDIAL_HOME: _inherited, ...base } = process.env;
    const result = await sundialRaw(args, { ...base, ...sandbox, SUNDIAL_DEBUG: "", ...env });
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
    expect(hasStackTrace(result.stderr)).toBe(false);
    // The default home (inside the sandbox) was never created or used.
    expect(fs.existsSync(path.join(sandbox.XDG_CONFIG_HOME!, "Sundial"))).toBe(false);
  }, 30_000);
});
