/**
 * Processes that leave the run's process group (`setsid`) are still ended with the run: on
 * Linux they are found by the `SUNDIAL_RUN_ID=<run id>` their environment inherited. Real
 * shells, real `setsid`, real /proc.
 */
import os from "node:os";
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { ChildProcessExecutor } from "../../../electron/core/executor/child-process-executor.js";
import type { ExecutionRequest } from "../../../electron/core/executor/executor.js";
import { definedEnv, killQuietly, processesMarkedWith, processState, startCollecting, uniqueRunId, waitFor } from "../../support/executor-harness.js";
import { removeTempFolders, tempFolder } from "../../support/temp-folders.mjs";

const executor = new ChildProcessExecutor({ log: () => undefined });
const spawned: number[] = [];

afterEach(() => {
  for (const pid of spawned.splice(0)) killQuietly(pid);
  removeTempFolders();
});

/** Starts an escaped sleeper (new session, new group), then waits in the foreground. */
const ESCAPING_COMMAND = "setsid sleep 300 >/dev/null 2>&1 & sleep 300 & echo started; sleep 300";

function runRequest(runId: string, extra: Partial<ExecutionRequest> = {}): Partial<ExecutionRequest> & { command: string } {
  return { runId, command: ESCAPING_COMMAND, env: { ...definedEnv(), SUNDIAL_RUN_ID: runId }, killGraceMs: 1_000, ...extra };
}

/** Waits for the run's three processes (shell, background sleep, setsid sleep), remembering them for clean-up. */
async function waitForMarked(runId: string, count: number): Promise<number[]> {
  await waitFor(() => processesMarkedWith(runId).length >= count, 5_000, `${count} processes marked with ${runId}`);
  const pids = processesMarkedWith(runId);
  spawned.push(...pids);
  return pids;
}

describe.runIf(process.platform === "linux")("processes that left the run's process group", () => {
  it("are ended when the run times out: nothing marked with the run's id remains", async () => {
    const runId = uniqueRunId("timeout");
    const run = startCollecting(executor, runRequest(runId, { timeoutMs: 1_000 }));
    await waitForMarked(runId, 3);
    const result = await run.done;
    expect(result.outcome).toBe("timed_out");
    expect(processesMarkedWith(runId)).toEqual([]);
  }, 15_000);

  it("are ended when the run is cancelled", async () => {
    const runId = uniqueRunId("cancel");
    const run = startCollecting(executor, runRequest(runId));
    await waitForMarked(runId, 3);
    run.execution.cancel();
    const result = await run.done;
    expect(result.outcome).toBe("cancelled");
    expect(processesMarkedWith(runId)).toEqual([]);
  }, 15_000);

  it("are SIGKILLed after the grace when they ignore SIGTERM", async () => {
    const runId = uniqueRunId("stubborn");
    const run = startCollecting(executor, runRequest(runId, { command: "setsid sh -c \"trap '' TERM; while :; do sleep 0.05; done\" >/dev/null 2>&1 & sleep 300", timeoutMs: 300, killGraceMs: 500 }));
    await waitForMarked(runId, 3);
    const result = await run.done;
    expect(result.outcome).toBe("timed_out");
    expect(result.durationMs).toBeGreaterThanOrEqual(800);
    expect(processesMarkedWith(runId)).toEqual([]);
  }, 15_000);

  it("are ended for a prepared run too (the gate exports the run id before exec'ing the job's shell)", async () => {
    const runId = uniqueRunId("prepared");
    // Prepared without the run id, as the launcher does: it only exists at the slot.
    const prepared = executor.prepare({ command: ESCAPING_COMMAND, cwd: os.tmpdir(), env: definedEnv(), lateVariable: "SUNDIAL_RUN_ID" });
    expect(prepared?.usable).toBe(true);
    const request: ExecutionRequest = {
      runId,
      command: ESCAPING_COMMAND,
      cwd: os.tmpdir(),
      env: { ...definedEnv(), SUNDIAL_RUN_ID: runId },
      timeoutMs: 1_000,
      killGraceMs: 1_000,
      onOutputBytes: () => undefined,
    };
    const execution = executor.start(request, prepared!);
    const pids = await waitForMarked(runId, 3);
    // The command runs in the gate's process, which exec'd the job's shell with the run id.
    expect(pids).toContain(execution.pid);
    const result = await execution.done;
    expect(result.outcome).toBe("timed_out");
    expect(processesMarkedWith(runId)).toEqual([]);
  }, 15_000);

  it("are ended for a prepared bash run, whose shell carries the run id from the start", async () => {
    const runId = uniqueRunId("prepared-bash");
    const gated = new ChildProcessExecutor({ log: () => undefined, gateFolder: tempFolder("gate-home") });
    // As the launcher prepares it: the run id, made ahead, is in the environment given.
    const prepared = gated.prepare({ command: ESCAPING_COMMAND, shell: "/bin/bash", cwd: os.tmpdir(), env: { ...definedEnv(), SUNDIAL_RUN_ID: runId }, lateVariable: "SUNDIAL_RUN_ID" });
    expect(prepared?.usable).toBe(true);
    const request: ExecutionRequest = { runId, command: ESCAPING_COMMAND, shell: "/bin/bash", cwd: os.tmpdir(), env: { ...definedEnv(), SUNDIAL_RUN_ID: runId }, timeoutMs: 1_000, killGraceMs: 1_000, onOutputBytes: () => undefined };
    const execution = gated.start(request, prepared!);
    const pids = await waitForMarked(runId, 3);
    expect(pids).toContain(execution.pid);
    expect((await execution.done).outcome).toBe("timed_out");
    expect(processesMarkedWith(runId)).toEqual([]);
  }, 15_000);

  it("never touches a process marked with another run's id, even one that starts with this id", async () => {
    const runId = uniqueRunId("neighbour");
    const neighbours = [`${runId}0`, `x${runId}`, runId.slice(0, -1)].map((other) => {
      const child = spawn("sleep", ["300"], { env: { ...definedEnv(), SUNDIAL_RUN_ID: other }, stdio: "ignore", detached: true });
      spawned.push(child.pid!);
      return child.pid!;
    });
    const run = startCollecting(executor, runRequest(runId, { timeoutMs: 500 }));
    await waitForMarked(runId, 3);
    expect((await run.done).outcome).toBe("timed_out");
    expect(processesMarkedWith(runId)).toEqual([]);
    for (const pid of neighbours) expect(processState(pid)).toBe("running");
  }, 15_000);

  it.runIf(process.getuid?.() === 0)("never touches another user's process, even one marked with this run's id", async () => {
    const runId = uniqueRunId("other-user");
    // As root, the test can start a process as nobody that carries this very run id.
    const stranger = spawn("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "sleep", "300"], { env: { ...definedEnv(), SUNDIAL_RUN_ID: runId }, stdio: "ignore", detached: true });
    spawned.push(stranger.pid!);
    await waitFor(() => processesMarkedWith(runId).includes(stranger.pid!), 5_000, "the other user's process");
    const run = startCollecting(executor, runRequest(runId, { timeoutMs: 500 }));
    await waitForMarked(runId, 4);
    expect((await run.done).outcome).toBe("timed_out");
    expect(processesMarkedWith(runId)).toEqual([stranger.pid]);
  }, 15_000);
});
