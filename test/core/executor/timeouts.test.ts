import { describe, expect, it } from "vitest";
import { ChildProcessExecutor } from "../../../electron/core/executor/child-process-executor.js";
import { fixtureCommand, killQuietly, pidAfter, processState, startCollecting, waitFor } from "../../support/executor-harness.js";

const logged: string[] = [];
const executor = new ChildProcessExecutor({ log: (line) => logged.push(line) });

describe("a run that exceeds its timeout", () => {
  it("is ended with its whole process tree, grandchildren included, and reported timed_out", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-hang-with-grandchild.sh"), timeoutMs: 500, killGraceMs: 3_000 });
    await waitFor(() => run.text.stdout.includes("grandchild"), 5_000, "the grandchild's pid");
    const grandchild = pidAfter("grandchild", run.text.stdout);
    try {
      const result = await run.done;
      expect(result).toMatchObject({ outcome: "timed_out", exitCode: null, signal: "SIGTERM", error: null });
      expect(result.durationMs).toBeGreaterThanOrEqual(500);
      // SIGTERM was enough for everyone: no need to wait out the 3 s grace.
      expect(result.durationMs).toBeLessThan(2_000);
      // "gone" (ESRCH) where PID 1 reaps orphans; "zombie" (dead, unreaped) where it does not.
      expect(["gone", "zombie"]).toContain(processState(grandchild));
    } finally {
      killQuietly(grandchild);
    }
  });

  it("with a grandchild that ignores SIGTERM, is SIGKILLed after the grace and leaves nothing running", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-ignore-term.sh"), timeoutMs: 300, killGraceMs: 700 });
    await waitFor(() => run.text.stdout.includes("stubborn"), 5_000, "the stubborn grandchild's pid");
    const stubborn = pidAfter("stubborn", run.text.stdout);
    try {
      const result = await run.done;
      expect(result.outcome).toBe("timed_out");
      // The shell died of SIGTERM; the grandchild held on until SIGKILL at timeout + grace.
      expect(result.signal).toBe("SIGTERM");
      expect(result.durationMs).toBeGreaterThanOrEqual(300 + 700);
      expect(result.durationMs).toBeLessThan(3_000);
      expect(["gone", "zombie"]).toContain(processState(stubborn));
    } finally {
      killQuietly(stubborn);
    }
  });

  it("whose main process ignores SIGTERM is reported with SIGKILL", async () => {
    const run = startCollecting(executor, { command: "trap '' TERM; echo ready; while :; do sleep 0.05; done", timeoutMs: 200, killGraceMs: 300 });
    const result = await run.done;
    expect(result).toMatchObject({ outcome: "timed_out", signal: "SIGKILL" });
    expect(result.durationMs).toBeGreaterThanOrEqual(500);
    expect(result.tail).toBe("ready");
  });

  it("that finishes in time is not touched by its timeout", async () => {
    const result = await startCollecting(executor, { command: "sleep 0.1; exit 4", timeoutMs: 5_000 }).done;
    expect(result).toMatchObject({ outcome: "exited", exitCode: 4 });
    expect(result.durationMs).toBeLessThan(2_000);
  });
});

describe("cancel() on a grandchild that ignores SIGTERM", () => {
  it("escalates to SIGKILL after the grace and reports cancelled", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-ignore-term.sh"), killGraceMs: 400 });
    await waitFor(() => run.text.stdout.includes("stubborn"), 5_000, "the stubborn grandchild's pid");
    const stubborn = pidAfter("stubborn", run.text.stdout);
    try {
      const cancelledAt = performance.now();
      run.execution.cancel();
      const result = await run.done;
      expect(result.outcome).toBe("cancelled");
      expect(performance.now() - cancelledAt).toBeGreaterThanOrEqual(400);
      expect(["gone", "zombie"]).toContain(processState(stubborn));
    } finally {
      killQuietly(stubborn);
    }
  });
});
