import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { acquireHomeLock, lockFilePath, platformLockMechanism, processStartTime, type HomeLockMechanism } from "../../electron/core/home-lock.js";
import { EngineLockedError } from "../../electron/shared/errors.js";
import { ensureBuilt, ROOT } from "../support/cli.js";
import { tempFolder } from "../support/temp-folders.mjs";

const mechanisms: HomeLockMechanism[] = process.platform === "linux" ? ["abstract-socket", "lock-file"] : process.platform === "win32" ? [] : ["lock-file"];

describe.each(mechanisms)("the home lock (%s)", (mechanism) => {
  let home: string;
  beforeEach(() => {
    home = tempFolder("lock");
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  test("is held by one holder at a time; the second is told the first one's pid", async () => {
    const first = await acquireHomeLock(home, { mechanism, pid: process.pid });
    const second = await acquireHomeLock(home, { mechanism }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(EngineLockedError);
    expect((second as Error).message).toBe(`Sundial is already running on ${home} (pid ${process.pid})`);
    await first.release();
    const third = await acquireHomeLock(home, { mechanism });
    await third.release();
  });

  test("holds whatever is deleted from the home folder, apart from a lock file itself", async () => {
    const first = await acquireHomeLock(home, { mechanism });
    for (const name of fs.readdirSync(home)) if (mechanism !== "lock-file" || name !== path.basename(lockFilePath(home))) fs.rmSync(path.join(home, name), { force: true });
    await expect(acquireHomeLock(home, { mechanism })).rejects.toBeInstanceOf(EngineLockedError);
    await first.release();
  });

  test("is the same lock whichever path leads to the home (a symbolic link to it)", async () => {
    const link = `${home}-link`;
    fs.symlinkSync(home, link);
    try {
      const first = await acquireHomeLock(home, { mechanism });
      await expect(acquireHomeLock(link, { mechanism })).rejects.toBeInstanceOf(EngineLockedError);
      await first.release();
    } finally {
      fs.rmSync(link, { force: true });
    }
  });

  test("is free again once its holder is killed with SIGKILL", async () => {
    // The holder is another process running the compiled module (plain node).
    await ensureBuilt();
    const lockModule = path.join(ROOT, "dist", "electron", "core", "home-lock.js");
    const script = `import { acquireHomeLock } from ${JSON.stringify(lockModule)}; await acquireHomeLock(${JSON.stringify(home)}, { mechanism: ${JSON.stringify(mechanism)} }); console.log("held"); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise((resolve) => child.stdout.once("data", resolve));
    const refused = await acquireHomeLock(home, { mechanism }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EngineLockedError);
    expect((refused as EngineLockedError).pid).toBe(child.pid);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const lock = await acquireHomeLock(home, { mechanism });
    await lock.release();
  }, 180_000);
});

describe.runIf(process.platform !== "win32")("the lock file's staleness check", () => {
  test("a lock whose pid now belongs to a process started at another time is stale", async () => {
    const home = tempFolder("lock");
    try {
      // Our own pid, but a start time that is not ours: a reused pid.
      fs.writeFileSync(lockFilePath(home), JSON.stringify({ pid: process.pid, started: "not-this-process" }));
      const lock = await acquireHomeLock(home, { mechanism: "lock-file" });
      expect(JSON.parse(fs.readFileSync(lockFilePath(home), "utf8"))).toEqual({ pid: process.pid, started: processStartTime(process.pid) });
      await lock.release();
      expect(fs.existsSync(lockFilePath(home))).toBe(false);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  test("the platform picks an abstract socket on Linux, a lock file on macOS, the pipe alone on Windows", () => {
    expect(platformLockMechanism("linux")).toBe("abstract-socket");
    expect(platformLockMechanism("darwin")).toBe("lock-file");
    expect(platformLockMechanism("win32")).toBeNull();
  });
});
