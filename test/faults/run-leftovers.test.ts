/**
 * A run's processes do not outlive Sundial's record of it: after a kill -9 of the daemon the
 * run is recorded as interrupted at the next start, and that start ends what the run left
 * running — its process group (orphaned, not killed, by the crash) and a sleeper that left the
 * group with setsid (found by SUNDIAL_RUN_ID in its environment). Real daemon, real processes.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, sleep, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";
import { killQuietly, processesMarkedWith } from "../support/executor-harness.js";

beforeAll(ensureBuilt, 180_000);
const leftovers: number[] = [];
afterAll(async () => {
  for (const pid of leftovers) killQuietly(pid);
  await stopAllDaemons();
  removeTempHomes();
});

describe.runIf(process.platform === "linux")("what a run leaves running when the daemon is killed -9", () => {
  test("is ended at the next start (its process group and a setsid'd sleeper), and the run is interrupted", async () => {
    const home = tempHome("leftovers");
    const daemon = await startDaemon(home);
    // The shell, a plain background sleeper (same group) and a setsid'd one (own session).
    const added = await sundial(["add", "escaper", "--every", "1h", "--", "setsid sleep 300 >/dev/null 2>&1 & sleep 301 & echo started; sleep 302"], { home });
    expect(added.code, added.stderr).toBe(0);
    const started = await sundial(["run", "escaper"], { home });
    expect(started.code, started.stderr).toBe(0);
    const runId = /Started run (\S+)/.exec(started.stdout)![1]!;
    const pids = await waitFor(() => {
      const marked = processesMarkedWith(runId);
      return marked.length >= 4 ? marked : null;
    }, 10_000, "the run's four processes");
    leftovers.push(...pids);

    await daemon.kill9();
    // A crash ends none of them: the group is orphaned (no terminal, so no SIGHUP) and runs on.
    await sleep(300);
    expect(processesMarkedWith(runId).sort()).toEqual([...pids].sort());

    const again = await startDaemon(home);
    await waitFor(() => processesMarkedWith(runId).length === 0 || null, 10_000, "the interrupted run's processes to be ended");
    expect(again.stderr()).toMatch(new RegExp(`ending process \\d+ left running by interrupted run ${runId}`));
    const [run] = await sundialJson<Run[]>(["history", "escaper"], { home });
    expect(run).toMatchObject({ id: runId, status: "interrupted" });
    await again.stop();
  }, 120_000);
});
