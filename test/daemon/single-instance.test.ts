import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, tempHome, waitFor } from "../support/cli.js";

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

  test("deleting sundial.sock does not let a second daemon start: it exits 3 naming the first, which runs each slot once", async () => {
    const home = tempHome("deleted-socket");
    const first = await startDaemon(home);
    const slots = path.join(home, "slots.txt");
    const added = await sundial(["add", "tick", "--every", "1s", "--", `echo "$SUNDIAL_SCHEDULED_AT" >> ${slots}`], { home });
    expect(added.code, added.stderr).toBe(0);
    fs.rmSync(homePaths(home).socket);

    const second = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`Sundial is already running on ${home} (pid ${first.pid})`);
    expect(hasStackTrace(second.stderr)).toBe(false);

    // A few more slots: each ran exactly once (two engines would write every slot twice).
    const slotLines = () => (fs.existsSync(slots) ? fs.readFileSync(slots, "utf8").trim().split("\n").filter(Boolean) : []);
    const enough = Math.max(3, slotLines().length + 2);
    const lines = await waitFor(() => (slotLines().length >= enough ? slotLines() : null), 20_000, `${enough} slots written`);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(new Set(lines).size).toBe(lines.length);
    // The running engine made its socket again: the CLI reaches it.
    expect((await sundial(["status"], { home })).stdout).toContain(String(first.pid));
    expect(await first.stop()).toBe(0);
  }, 60_000);

  test("a regular file at sundial.sock is not deleted as a stale socket: the daemon refuses, naming it", async () => {
    const home = tempHome("file-at-socket");
    fs.writeFileSync(homePaths(home).socket, "my notes\n");
    const result = await sundial(["daemon"], { home, timeoutMs: 20_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${homePaths(home).socket} is not a socket (a regular file); it was left untouched`);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(fs.readFileSync(homePaths(home).socket, "utf8")).toBe("my notes\n");
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
    ["cut-off JSON", '{"version":2,"settings":{},"jobs":[{"id":"j_1","na'],
    ["a job without a trigger", JSON.stringify({ version: 2, settings: {}, jobs: [{ id: "j_1", name: "x", command: "true" }] })],
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
