/**
 * A run's processes do not outlive Sundial's record of it: after a kill -9 of the daemon the
 * run is recorded as interrupted at the next start, and that start ends what the run left
 * running — its process group (orphaned, not killed, by the crash) and a sleeper that left the
 * group with setsid (found by SUNDIAL_RUN_ID in its environment). Real daemon, real processes.
 */
import fs from "node:fs";
import path from "node:path";
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

  test("of a scheduled bash job, whose process was prepared ahead as bash itself, is ended too: the shell does not go on", async () => {
    const home = tempHome("leftovers-bash");
    const go = path.join(home, "go");
    const after = path.join(home, "went-on.txt");
    const daemon = await startDaemon(home);
    const command = `[ -e ${go} ] || exit 0; sleep 301 & sleep 302; echo went on > ${after}`;
    const added = await sundial(["add", "prepared-escaper", "--cron", "* * * * * *", "--shell", "/bin/bash", "--overlap", "skip", "--", command], { home });
    expect(added.code, added.stderr).toBe(0);
    // A few quick runs first: by then each slot's process is prepared ahead.
    await waitFor(async () => (await sundialJson<Run[]>(["history", "prepared-escaper"], { home })).length >= 5 || null, 15_000, "five quick runs");
    fs.writeFileSync(go, "");
    const run = await waitFor(async () => (await sundialJson<Run[]>(["history", "prepared-escaper"], { home })).find((entry) => entry.status === "running") ?? null, 10_000, "a long run");
    // bash itself (prepared: its starting environment names the gate file) and its two sleepers carry the run id.
    const pids = await waitFor(() => {
      const marked = processesMarkedWith(run.id);
      return marked.length >= 3 ? marked : null;
    }, 10_000, "the run's three processes");
    leftovers.push(...pids);
    const namesGateFile = (pid: number) => fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").some((entry) => entry.startsWith("SUNDIAL_GATE_FILE="));
    expect(pids.filter(namesGateFile), `run ${JSON.stringify(run)}; processes ${pids.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, "latin1")).join(" | ")}`).toHaveLength(1);

    await daemon.kill9();
    const again = await startDaemon(home);
    await waitFor(() => processesMarkedWith(run.id).length === 0 || null, 10_000, "the interrupted run's processes to be ended");
    await sleep(300);
    expect(fs.existsSync(after)).toBe(false);
    const recorded = (await sundialJson<Run[]>(["history", "prepared-escaper"], { home })).find((entry) => entry.id === run.id);
    expect(recorded?.status).toBe("interrupted");
    await again.stop();
  }, 120_000);
});
