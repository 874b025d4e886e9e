/**
 * Controlling runs and the schedule from the real CLI against a real daemon (issue 13, items
 * 8 and 10): `pause --all --until`, `cancel RUN`, and Ctrl-C on `run --wait`, which stops the
 * waiting and never the run.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { EngineStatus } from "../../electron/shared/contract.js";
import type { Run } from "../../electron/shared/schemas.js";
import { BIN, ROOT, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

let home: string;

beforeAll(async () => {
  home = tempHome("run-control");
  await startDaemon(home);
}, 180_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const RUN_ID = /\br_[a-z0-9]+_[0-9a-f]+\b/;

async function status(): Promise<EngineStatus> {
  return sundialJson<EngineStatus>(["status"], { home });
}

describe("pause --all --until", () => {
  test("with a duration, pauses every job and resumes them by itself when it is over", async () => {
    await sundial(["add", "steady", "--every", "1h", "--", "true"], { home });
    const before = Date.now();
    // Long enough for the checks below on a busy machine, short enough to wait for.
    const paused = await sundial(["pause", "--all", "--until", "15s"], { home });
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/^Paused all jobs until .+ \(in \d+ s\); sundial resume --all resumes them sooner\.$/m);
    const during = await status();
    expect(during.allPaused).toBe(true);
    const until = Date.parse(during.pausedUntil!);
    expect(until).toBeGreaterThanOrEqual(before + 15_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 15_000);
    expect((await sundial(["list"], { home })).stdout).toContain("All jobs are paused until");

    await waitFor(async () => !(await status()).allPaused, 40_000, "the pause to end by itself");
    expect((await status()).pausedUntil).toBeNull();
    expect(Date.now()).toBeGreaterThanOrEqual(until);
  }, 90_000);

  test("with a date-time, pauses until that instant; resume --all ends it sooner", async () => {
    const paused = await sundial(["pause", "--all", "--until", "2099-06-01T12:00+02:00"], { home });
    expect(paused.code, paused.stderr).toBe(0);
    expect((await status()).pausedUntil).toBe("2099-06-01T10:00:00.000Z");
    expect((await sundial(["resume", "--all"], { home })).code).toBe(0);
    expect(await status()).toMatchObject({ allPaused: false, pausedUntil: null });
  });
});

describe("cancel RUN", () => {
  test("stops a running run's process tree; the run is recorded as cancelled", async () => {
    await sundial(["add", "long", "--cron", "0 0 1 1 *", "--", 'echo started; sleep 60; echo "never printed"'], { home });
    const started = await sundial(["run", "long"], { home });
    const runId = RUN_ID.exec(started.stdout)![0];
    await waitFor(async () => (await sundial(["logs", runId], { home })).stdout.includes("started"), 15_000, "the run's first line");

    const cancelled = await sundial(["cancel", runId], { home });
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^Run ${runId} cancelled\\b`));
    const [run] = await sundialJson<Run[]>(["history", "long"], { home });
    expect(run).toMatchObject({ id: runId, status: "cancelled" });
    expect((await sundial(["logs", runId], { home })).stdout).not.toContain("never printed");
  }, 60_000);

  test("a finished run is an error naming the run and how it ended (exit 1), and changes nothing", async () => {
    const finished = await sundial(["run", "steady", "--wait"], { home });
    const runId = RUN_ID.exec(finished.stderr)![0];
    const result = await sundial(["cancel", runId], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Run "${runId}" is not running (its status: succeeded)\n`);
    expect(result.stdout).toBe("");
    const [run] = await sundialJson<Run[]>(["history", "steady", "--limit", "1"], { home });
    expect(run).toMatchObject({ id: runId, status: "succeeded" });
  });
});

describe("Ctrl-C on run --wait", () => {
  test("says the run goes on and how to follow or cancel it, exits 130, and the run completes in the daemon", async () => {
    await sundial(["add", "patient", "--cron", "0 0 1 1 *", "--", "echo started; sleep 3; echo finished"], { home });
    const child = spawn(process.execPath, [BIN, "run", "--home", home, "patient", "--wait"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

    await waitFor(() => stdout.includes("started"), 20_000, "the run's output through --wait");
    child.kill("SIGINT");
    expect(await exited).toEqual({ code: 130, signal: null });

    const runId = RUN_ID.exec(stderr)![0];
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      `Started run ${runId} of "patient"`,
      `Stopped waiting. Run ${runId} of "patient" goes on in Sundial.`,
      `  Follow it: sundial logs ${runId} --follow --home ${home}`,
      `  Cancel it: sundial cancel ${runId} --home ${home}`,
    ]);
    expect(stdout).not.toContain("finished");

    // The printed follow command works as printed, and sees the run to its end.
    const followed = await sundial(lines[2]!.replace(/^ {2}Follow it: sundial /, "").split(" "), { home });
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toBe("started\nfinished\n");
    const [run] = await sundialJson<Run[]>(["history", "patient"], { home });
    expect(run).toMatchObject({ id: runId, status: "succeeded", exitCode: 0 });
  }, 60_000);
});
