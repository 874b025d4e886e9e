/**
 * The disk fills up while the daemon writes jobs.json: the add fails with a clear error on the
 * CLI, the previous jobs.json is intact, and the daemon keeps serving (small writes that still
 * fit succeed). Two real limits: a file-size limit set on the running daemon (`prlimit`, the
 * `ulimit -f` of another process; EFBIG), and, where this machine lets us mount one, a tiny
 * tmpfs that is really full (ENOSPC).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { loadOrCreateToken } from "../../electron/daemon/web-host.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, type RunningDaemon } from "../support/cli.js";
import { tempFilesIn } from "./fault-support.js";
import { tempFolder } from "../support/temp-folders.mjs";

beforeAll(ensureBuilt, 180_000);

const mounts: string[] = [];
afterAll(async () => {
  await stopAllDaemons();
  for (const mountPoint of mounts) {
    execFileSync("umount", ["-l", mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  }
  removeTempHomes();
});

/** A tmpfs of `size` mounted on a fresh folder, or null where mounting is not allowed. */
function mountTinyFilesystem(size: string): string | null {
  const mountPoint = tempFolder("tinyfs");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", mountPoint], { stdio: "ignore" });
  } catch {
    fs.rmSync(mountPoint, { recursive: true, force: true });
    return null;
  }
  mounts.push(mountPoint);
  return mountPoint;
}

const canMount = (() => {
  const probe = mountTinyFilesystem("64k");
  if (probe === null) return false;
  execFileSync("umount", [probe]);
  mounts.splice(mounts.indexOf(probe), 1);
  fs.rmSync(probe, { recursive: true, force: true });
  return true;
})();

/**
 * A job command of about `bytes` bytes, in several shell words. The words are joined into the one
 * `sh -c` argument, so the whole command stays under the 128 KiB Sundial accepts.
 */
function bigCommand(bytes: number): string[] {
  const words = Math.ceil(bytes / 20_000);
  return Array.from({ length: words }, (_, index) => `${index}${"x".repeat(20_000)}`);
}

const names = async (home: string) => (await sundialJson<{ name: string }[]>(["list"], { home })).map((job) => job.name);

/**
 * With the limit in place: a big add fails on the CLI naming the file and the reason, the
 * previous jobs.json is byte-identical, no temp file is left, a small add still works, and
 * everything acknowledged survives a restart.
 */
async function expectFailedWriteThenRecovery(daemon: RunningDaemon, reason: RegExp): Promise<void> {
  const { home } = daemon;
  const jobsFile = homePaths(home).jobs;
  const before = fs.readFileSync(jobsFile);

  const failed = await sundial(["add", "too-big", "--every", "1h", "--", ...bigCommand(100_000)], { home });
  expect(failed.code).not.toBe(0);
  expect(failed.stderr).toContain(`Could not save ${jobsFile}: `);
  expect(failed.stderr).toMatch(reason);
  expect(failed.stderr).toMatch(/The previous version is intact/);
  expect(hasStackTrace(failed.stderr)).toBe(false);
  expect(fs.readFileSync(jobsFile).equals(before)).toBe(true);
  expect(tempFilesIn(home)).toEqual([]);

  // The engine kept running and forgot the failed add.
  expect(await names(home)).toEqual(["first"]);
  const small = await sundial(["add", "small-after", "--every", "1h", "--", "true"], { home });
  expect(small.code, small.stderr).toBe(0);
  expect(await names(home)).toEqual(["first", "small-after"]);
  expect(daemon.child.exitCode).toBeNull();

  expect(await daemon.stop()).toBe(0);
  const again = await startDaemon(home);
  expect(await names(home)).toEqual(["first", "small-after"]);
  await again.stop();
}

describe.concurrent("disk full while writing jobs.json", () => {
  test("at a file-size limit (ulimit -f of the running daemon): the add fails with EFBIG on the CLI, jobs.json is intact, the daemon carries on", async () => {
    const home = tempHome("efbig");
    const daemon = await startDaemon(home);
    expect((await sundial(["add", "first", "--every", "1h", "--", "true"], { home })).code).toBe(0);
    execFileSync("prlimit", ["--pid", String(daemon.pid), "--fsize=65536:65536"]);
    await expectFailedWriteThenRecovery(daemon, /file too large \(a size limit was hit\) \(EFBIG\)/);
  }, 60_000);

  test.runIf(canMount)("on a really full file system (a 1 MB tmpfs): the add fails with ENOSPC on the CLI, jobs.json is intact, the daemon carries on", async () => {
    const mountPoint = mountTinyFilesystem("1m")!;
    const home = path.join(mountPoint, "home");
    const daemon = await startDaemon(home);
    expect((await sundial(["add", "first", "--every", "1h", "--", "true"], { home })).code).toBe(0);
    // Leave about 48 KB: room for small writes, not for a 100 KB job.
    const { bavail, bsize } = fs.statfsSync(mountPoint);
    fs.writeFileSync(path.join(mountPoint, "filler"), Buffer.alloc(Math.max(0, bavail * bsize - 48 * 1024)));
    await expectFailedWriteThenRecovery(daemon, /no space left on device \(ENOSPC\)/);
  }, 60_000);
});

describe.runIf(canMount).concurrent("disk full at start", () => {
  /** A tmpfs with no free block left (new files can still be created: inodes are apart). */
  function fullFilesystem(): string {
    const mountPoint = mountTinyFilesystem("64k")!;
    const filler = path.join(mountPoint, "filler");
    const { bavail, bsize } = fs.statfsSync(mountPoint);
    fs.writeFileSync(filler, Buffer.alloc(bavail * bsize));
    return mountPoint;
  }

  test.each([
    ["an existing, empty home", true],
    ["a home it creates", false],
  ])("with %s: the daemon names the file it could not write, prints no stack, leaves no lock", async (_label, exists) => {
    const mountPoint = fullFilesystem();
    const home = path.join(mountPoint, "home");
    if (exists) fs.mkdirSync(home, { mode: 0o700 });
    const result = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(new RegExp(`${home}/[\\w.]+: no space left on device \\(ENOSPC\\)`));
    expect(hasStackTrace(result.stderr)).toBe(false);
    // Nothing that would look like a running engine or a held claim is left behind.
    expect(fs.readdirSync(home).filter((name) => name.startsWith("sundial."))).toEqual([]);
  }, 30_000);

  test("the web UI's token file: the error names it and no temp file is left", () => {
    const mountPoint = fullFilesystem();
    const tokenFile = path.join(mountPoint, "token");
    expect(() => loadOrCreateToken(tokenFile)).toThrow(`Could not write ${tokenFile}: no space left on device (ENOSPC)`);
    expect(fs.readdirSync(mountPoint)).toEqual(["filler"]);
  });
});
