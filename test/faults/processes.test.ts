/**
 * Process-level faults on a real daemon: two engines racing for one home, the socket a
 * kill -9 leaves behind, and commands that misbehave (a grandchild that ignores SIGTERM,
 * stdout closed early, output that is not UTF-8).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { EXIT } from "../../electron/shared/exit-codes.js";
import type { Run } from "../../electron/shared/schemas.js";
import { BIN, ensureBuilt, hasStackTrace, removeTempHomes, ROOT, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";
import { FIXTURES } from "./fault-support.js";

beforeAll(ensureBuilt, 180_000);
const leftovers: number[] = [];
afterAll(async () => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await stopAllDaemons();
  removeTempHomes();
});

interface RacingDaemon {
  pid: number;
  stderr: () => string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** `sundial daemon` without waiting for it to be ready (several may race). */
function launchDaemon(home: string): RacingDaemon {
  const child = spawn(process.execPath, [BIN, "daemon", "--home", home], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { pid: child.pid!, stderr: () => stderr, exited, kill: (signal) => child.kill(signal) };
}

/** Alive and not a zombie (a zombie is dead, only not reaped yet). */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

const runsOf = (home: string, job: string) => sundialJson<Run[]>(["history", job], { home });

/** Starts two daemons at the same moment; exactly one must win, the other must say who did. */
async function raceTwoDaemons(home: string): Promise<RacingDaemon> {
  const racers = [launchDaemon(home), launchDaemon(home)];
  const loserIndex = await Promise.race(racers.map((racer, index) => racer.exited.then(() => index)));
  const loser = racers[loserIndex]!;
  const winner = racers[1 - loserIndex]!;
  expect(await loser.exited, loser.stderr()).toBe(EXIT.locked);
  expect(loser.stderr()).toContain(`Sundial is already running on ${home} (pid ${winner.pid})`);
  expect(loser.stderr()).not.toMatch(/running on .* jobs?; control socket/);
  expect(hasStackTrace(loser.stderr())).toBe(false);
  const status = await waitFor(async () => {
    const result = await sundial(["status", "--json"], { home });
    return result.code === 0 ? (JSON.parse(result.stdout) as { pid: number }) : null;
  }, 20_000, "the winner to answer");
  expect(status.pid).toBe(winner.pid);
  return winner;
}

describe.concurrent("process faults on a real daemon", () => {
  test("two engines started at the same moment on one home: one runs, the other exits naming its pid, also over a stale socket", async () => {
    const home = tempHome("two");
    const first = await raceTwoDaemons(home);
    const added = await sundial(["add", "kept", "--every", "1h", "--", "true"], { home });
    expect(added.code, added.stderr).toBe(0);

    // The winner crashes: its socket file stays behind, and the next race happens over it.
    first.kill("SIGKILL");
    await first.exited;
    expect(fs.existsSync(homePaths(home).socket)).toBe(true);
    const second = await raceTwoDaemons(home);
    expect(second.stderr()).toMatch(/removed a stale control socket/);
    expect((await sundialJson<{ name: string }[]>(["list"], { home })).map((job) => job.name)).toEqual(["kept"]);
    second.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);

  test("after kill -9 with a run in progress, the stale socket is reported as not running, then replaced, and the run is recorded as interrupted", async () => {
    const home = tempHome("stale");
    const daemon = await startDaemon(home);
    expect((await sundial(["add", "long", "--every", "1h", "--", "echo pid $$; exec sleep 60"], { home })).code).toBe(0);
    const started = await sundial(["run", "long"], { home });
    expect(started.code, started.stderr).toBe(0);
    const runId = /Started run (\S+)/.exec(started.stdout)![1]!;
    const log = await waitFor(async () => (await sundial(["logs", runId], { home })).stdout.match(/pid (\d+)/), 10_000, "the run's pid");
    leftovers.push(Number(log[1]));

    await daemon.kill9();
    expect(fs.existsSync(homePaths(home).socket)).toBe(true);
    const offline = await sundial(["history"], { home });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toBe(`Sundial is not running on ${home}. Start the desktop app or run: sundial daemon --home ${home}\n`);

    const again = await startDaemon(home);
    expect(again.stderr()).toMatch(/removed a stale control socket/);
    const [run] = await runsOf(home, "long");
    expect(run).toMatchObject({ id: runId, status: "interrupted" });
    await again.stop();
  }, 120_000);

  test("a timed-out job whose grandchild ignores SIGTERM has its whole tree killed after the grace period", async () => {
    const home = tempHome("stubborn");
    const daemon = await startDaemon(home);
    expect((await sundial(["add", "stubborn", "--every", "1h", "--timeout", "1s", "--", `sh ${path.join(FIXTURES, "exec-ignore-term.sh")}`], { home })).code).toBe(0);
    const result = await sundial(["run", "stubborn", "--wait"], { home, timeoutMs: 30_000 });
    expect(result.code).toBe(1);
    const grandchild = Number(/stubborn (\d+)/.exec(result.stdout)?.[1]);
    leftovers.push(grandchild);

    const [run] = await runsOf(home, "stubborn");
    expect(run).toMatchObject({ status: "timed_out", error: "took longer than its timeout" });
    // SIGTERM could not end it: only the SIGKILL after the daemon's 5 s grace did.
    expect(run!.durationMs!).toBeGreaterThanOrEqual(1_000 + 5_000 - 50);
    expect(isAlive(grandchild)).toBe(false);
    await daemon.stop();
  }, 120_000);

  test("a job that closes its stdout early and keeps working ends normally with all its output logged", async () => {
    const home = tempHome("closed");
    const daemon = await startDaemon(home);
    expect((await sundial(["add", "closer", "--every", "1h", "--", `sh ${path.join(FIXTURES, "exec-close-stdout.sh")}`], { home })).code).toBe(0);
    const result = await sundial(["run", "closer", "--wait"], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("before close\n");
    expect(result.stderr).toContain("still working\n");

    const [run] = await runsOf(home, "closer");
    expect(run).toMatchObject({ status: "succeeded", exitCode: 0 });
    const logged = await sundial(["logs", run!.id], { home });
    expect(logged.stdout).toBe("before close\nstill working\n");
    await daemon.stop();
  }, 120_000);

  test("a job whose output is not UTF-8 is logged byte for byte and read back as readable text", async () => {
    const home = tempHome("bytes");
    const daemon = await startDaemon(home);
    expect((await sundial(["add", "binary", "--every", "1h", "--", `sh ${path.join(FIXTURES, "exec-invalid-utf8.sh")}`], { home })).code).toBe(0);
    const result = await sundial(["run", "binary", "--wait"], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("bad \uFFFD\uFFFD bytes \uFFFD here\ncut \uFFFD");

    const [run] = await runsOf(home, "binary");
    expect(run).toMatchObject({ status: "succeeded", outputBytes: 26 });
    // The log file keeps the raw bytes; reading it gives text with U+FFFD for the bad ones.
    const raw = fs.readFileSync(path.join(homePaths(home).logs, `${run!.id}.log`));
    expect(raw.equals(Buffer.from("bad \xff\xfe bytes \xc0 here\ncut \xe2\x82", "latin1"))).toBe(true);
    const logged = await sundial(["logs", run!.id], { home });
    expect(logged.code).toBe(0);
    expect(logged.stdout).toBe("bad \uFFFD\uFFFD bytes \uFFFD here\ncut \uFFFD");
    const shown = await sundialJson<{ lastRun: Run }>(["show", "binary"], { home });
    expect(shown.lastRun.id).toBe(run!.id);
    await daemon.stop();
  }, 120_000);
});
