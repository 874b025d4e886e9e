import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe.concurrent("one engine per home", () => {
  test("a second daemon on the same home is refused, naming the running pid", async () => {
    const home = tempHome("twice");
    const first = await startDaemon(home);
    const second = await sundial(["daemon"], { home });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`Sundial is already running on ${home} (pid ${first.pid})`);
    expect(hasStackTrace(second.stderr)).toBe(false);
    // The first one is untouched and still answers.
    expect((await sundial(["list"], { home })).code).toBe(0);
    expect(fs.existsSync(homePaths(home).socket)).toBe(true);
    expect(await first.stop()).toBe(0);
    expect(fs.existsSync(homePaths(home).socket)).toBe(false);
  }, 30_000);

  test("the home folder is 0700 and the control socket 0600", async () => {
    const home = `${tempHome("modes")}/nested/home`;
    const daemon = await startDaemon(home);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expect(fs.statSync(homePaths(home).socket).mode & 0o777).toBe(0o600);
    await daemon.stop();
  }, 30_000);
});

describe.concurrent("a corrupt jobs.json", () => {
  test.each([
    ["cut-off JSON", '{"version":1,"settings":{},"jobs":[{"id":"j_1","na'],
    ["a job without a trigger", JSON.stringify({ version: 1, settings: {}, jobs: [{ id: "j_1", name: "x", command: "true" }] })],
    ["not an object", "[]"],
  ])("(%s) is reported, naming the file, and kept byte for byte", async (_label, content) => {
    const home = tempHome("corrupt");
    const jobsFile = homePaths(home).jobs;
    fs.writeFileSync(jobsFile, content);
    const before = fs.readFileSync(jobsFile);

    const result = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(jobsFile);
    expect(result.stderr).toMatch(/left untouched/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(fs.readFileSync(jobsFile).equals(before)).toBe(true);
    // It did not leave a socket behind that would look like a running engine.
    expect(fs.existsSync(homePaths(home).socket)).toBe(false);
  }, 30_000);
});
