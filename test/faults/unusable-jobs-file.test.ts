/**
 * A jobs.json the engine cannot use, on a real daemon: it refuses to start, says which file
 * and what is wrong, and leaves the file exactly as it was (never overwritten, never
 * replaced by an empty store).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { EXIT } from "../../electron/shared/exit-codes.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const runningAsRoot = process.getuid?.() === 0;

/** A jobs.json the engine itself wrote: three jobs, compact JSON. */
async function realJobsFile(): Promise<Buffer> {
  const home = tempHome("source");
  const daemon = await startDaemon(home);
  for (const name of ["backup", "sync", "report"]) {
    const added = await sundial(["add", name, "--cron", "0 3 * * *", "--", `echo ${name}`], { home });
    expect(added.code, added.stderr).toBe(0);
  }
  await daemon.stop();
  return fs.readFileSync(homePaths(home).jobs);
}

/** Everything a later look can compare: the bytes, or for a non-file its kind and contents. */
function snapshot(file: string): string {
  const stat = fs.lstatSync(file);
  if (stat.isSymbolicLink()) return `symlink → ${fs.readlinkSync(file)}`;
  if (stat.isDirectory()) return `folder [${fs.readdirSync(file).join(", ")}] mode ${(stat.mode & 0o777).toString(8)}`;
  if (stat.isFIFO()) return `fifo mode ${(stat.mode & 0o777).toString(8)}`;
  return `file mode ${(stat.mode & 0o777).toString(8)} mtime ${stat.mtimeMs} bytes ${fs.readFileSync(file).toString("base64")}`;
}

/** Starts `sundial daemon` on a home whose jobs.json was set up by `prepare`; expects a refusal. */
async function expectRefusal(prepare: (jobsFile: string) => void, problem: RegExp): Promise<void> {
  const home = tempHome("unusable");
  const jobsFile = homePaths(home).jobs;
  prepare(jobsFile);
  const before = snapshot(jobsFile);
  const result = await sundial(["daemon"], { home, timeoutMs: 20_000 });
  expect(result.code, result.stderr).toBe(EXIT.storeCorrupt);
  expect(result.stderr).toContain(`Cannot use ${jobsFile}: `);
  expect(result.stderr).toMatch(problem);
  expect(result.stderr).toMatch(/left untouched/);
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(snapshot(jobsFile)).toBe(before);
  expect(fs.readdirSync(home).filter((name) => name.startsWith("jobs.json") && name !== "jobs.json")).toEqual([]);
  // Nothing is left behind that would look like a running engine.
  expect(fs.existsSync(homePaths(home).socket)).toBe(false);
  const cli = await sundial(["list"], { home });
  expect(cli.stderr).toMatch(/Sundial is not running on/);
}

describe.concurrent("a jobs.json the engine cannot use, on a real daemon", () => {
  let real: Buffer;
  beforeAll(async () => {
    real = await realJobsFile();
  }, 60_000);

  test("a corrupt one (a separator flipped into garbage) is reported with its position and kept byte for byte", async () => {
    await expectRefusal((file) => {
      const bytes = Buffer.from(real);
      // The first comma past the middle separates fields (no value of these jobs has one).
      bytes[bytes.indexOf(",", Math.floor(bytes.length / 2))] = "#".charCodeAt(0);
      fs.writeFileSync(file, bytes, { mode: 0o600 });
    }, /not valid JSON .*at position \d+, line 1 column \d+/);
  });

  test("one that is not UTF-8 text (binary garbage) is reported and kept byte for byte", async () => {
    await expectRefusal((file) => fs.writeFileSync(file, Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x80, 0x7d]), { mode: 0o600 }), /not valid UTF-8 text/);
  });

  test("a truncated one (cut in the middle of a job) is reported as ending too early and kept byte for byte", async () => {
    await expectRefusal((file) => fs.writeFileSync(file, real.subarray(0, Math.floor(real.length * 0.6)), { mode: 0o600 }), /not valid JSON .*at position \d+/);
  });

  test("an empty one (0 bytes) is reported as empty and not replaced by an empty store", async () => {
    await expectRefusal((file) => fs.writeFileSync(file, "", { mode: 0o600 }), /the file is empty/);
  });

  test("one that holds only white space is reported as empty and kept", async () => {
    await expectRefusal((file) => fs.writeFileSync(file, "\n  \n", { mode: 0o600 }), /the file is empty \(only white space\)/);
  });

  test("one written by a newer Sundial is reported with both versions and kept", async () => {
    await expectRefusal((file) => fs.writeFileSync(file, real.toString("utf8").replace('"version":2', '"version":7'), { mode: 0o600 }), /written by a newer Sundial \(file version 7/);
  });

  test("a folder where jobs.json should be is reported and left alone with its contents", async () => {
    await expectRefusal((file) => {
      fs.mkdirSync(file, { mode: 0o700 });
      fs.writeFileSync(path.join(file, "note.txt"), "mine");
    }, /it is a folder, not a file/);
  });

  test("a FIFO where jobs.json should be is reported at once instead of hanging the engine", async () => {
    await expectRefusal((file) => execFileSync("mkfifo", ["-m", "600", file]), /it is not a regular file/);
  });

  test("a symbolic link to a missing file (an unmounted sync folder) is reported, not replaced by an empty store", async () => {
    await expectRefusal((file) => fs.symlinkSync("/nonexistent-sundial-mount/jobs.json", file), /symbolic link to \/nonexistent-sundial-mount\/jobs\.json, which does not exist/);
  });

  // Root reads a mode-000 file anyway (the folder, FIFO and link cases above are the
  // unreadable files root meets); as an ordinary user the permission problem is reported.
  test.skipIf(runningAsRoot)("one without read permission (mode 000) is reported as permission denied and kept", async () => {
    await expectRefusal((file) => fs.writeFileSync(file, real, { mode: 0o000 }), /permission denied \(EACCES\)/);
  });

  test.runIf(runningAsRoot)("one with mode 000 is still readable by root: it is used as it is, and not loosened", async () => {
    const home = tempHome("mode000");
    const jobsFile = homePaths(home).jobs;
    fs.writeFileSync(jobsFile, real, { mode: 0o000 });
    const daemon = await startDaemon(home);
    const jobs = await sundialJson<{ name: string }[]>(["list"], { home });
    expect(jobs.map((job) => job.name)).toEqual(["backup", "sync", "report"]);
    expect(fs.statSync(jobsFile).mode & 0o777).toBe(0o000);
    await daemon.stop();
  });
});
