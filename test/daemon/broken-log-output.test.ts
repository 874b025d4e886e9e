/**
 * The daemon's own output is best-effort (issue 10, item 7): with stderr on a full disk or
 * a pipe whose reader left, and stdout (the web UI link) likewise, the engine keeps
 * scheduling and answering.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Run } from "../../electron/shared/schemas.js";
import { BIN, ensureBuilt, removeTempHomes, ROOT, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";
import { ensureRendererBuilt } from "../support/web-ui.js";

const children: ChildProcess[] = [];

beforeAll(async () => {
  await Promise.all([ensureBuilt(), ensureRendererBuilt()]);
}, 240_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

afterAll(() => removeTempHomes());

/** Starts the daemon with stdout and stderr on `fd`, waits until it answers, and adds a job due every second. */
async function startWith(home: string, fd: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, "daemon", "--home", home, "--ui", "--port", "0"], { cwd: ROOT, stdio: ["ignore", fd, fd] });
  children.push(child);
  await waitFor(async () => (await sundial(["status"], { home })).code === 0, 20_000, "the daemon to answer");
  const added = await sundial(["add", "tick", "--every", "1s", "--", "echo tick"], { home });
  expect(added.code, added.stderr).toBe(0);
  return child;
}

/** A job every second: the daemon runs it at least four times, stays alive and answers. */
async function expectKeepsScheduling(home: string, child: ChildProcess): Promise<void> {
  const succeeded = async () => (await sundialJson<Run[]>(["history", "tick"], { home })).filter((run) => run.status === "succeeded").length;
  await waitFor(async () => child.exitCode !== null || child.signalCode !== null || (await succeeded()) >= 4, 20_000, "four runs of the job");
  expect(child.exitCode).toBeNull();
  expect(child.signalCode).toBeNull();
  expect(await succeeded()).toBeGreaterThanOrEqual(4);
  expect((await sundial(["status"], { home })).code).toBe(0);
}

describe("the daemon whose output cannot be written", () => {
  test("keeps running jobs every second with stdout and stderr on a full disk (/dev/full)", async () => {
    const home = tempHome("dev-full");
    const full = fs.openSync("/dev/full", "w");
    try {
      const child = await startWith(home, full);
      await expectKeepsScheduling(home, child);
    } finally {
      fs.closeSync(full);
    }
  }, 60_000);

  test("keeps running jobs every second after the reader of its stdout and stderr went away (2> >(head -c 200))", async () => {
    const home = tempHome("closed-pipe");
    const child = spawn(process.execPath, [BIN, "daemon", "--home", home, "--ui", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    // The first 200 bytes are read, then the reader goes away (stdout at once).
    child.stdout!.destroy();
    let seen = 0;
    child.stderr!.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen >= 200) child.stderr!.destroy();
    });
    await waitFor(async () => (await sundial(["status"], { home })).code === 0, 20_000, "the daemon to answer");
    expect((await sundial(["add", "tick", "--every", "1s", "--", "echo tick"], { home })).code).toBe(0);
    await expectKeepsScheduling(home, child);
  }, 60_000);
});
