/**
 * A slot whose run was cut by a kill -9 of the engine has run: at the next start the run is
 * `interrupted`, and the slot is not "caught up" (issue 10, item 2: after a crash a slot was
 * run again while its first run still went on). Catch-up "all" is the policy most eager to
 * run a slot again, so each job uses it.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const runsOf = (home: string, job: string) => sundialJson<Run[]>(["history", job, "--limit", "100"], { home });

describe("kill -9 of the daemon during a scheduled run", () => {
  test("the cut run is interrupted at the next start and its slot is not run again", async () => {
    const home = tempHome("interrupted-slot");
    let daemon = await startDaemon(home);
    const at = new Date(Date.now() + 6_000); // room for a busy machine to run the next commands
    at.setMilliseconds(0);
    const once = await sundialJson<JobView>(["add", "once", "--at", at.toISOString(), "--catch-up", "all", "--", "sleep 30"], { home });
    expect(Date.parse(once.nextRunAt!)).toBe(at.getTime());
    expect((await sundial(["add", "hourly", "--every", "1h", "--catch-up", "all", "--", "sleep 30"], { home })).code).toBe(0);
    // A job that fires every second shows when the restarted engine has been scheduling a while.
    expect((await sundial(["add", "heartbeat", "--every", "1s", "--", "true"], { home })).code).toBe(0);
    expect((await sundial(["run", "hourly"], { home })).code).toBe(0);

    await waitFor(async () => (await runsOf(home, "once")).some((run) => run.status === "running"), 15_000, "the one-off run to start");
    await daemon.kill9();

    daemon = await startDaemon(home);
    const restartedAt = Date.now();
    // Three heartbeats after the restart: the engine has looked at every slot more than once.
    await waitFor(
      async () => (await runsOf(home, "heartbeat")).filter((run) => run.status === "succeeded" && Date.parse(run.startedAt!) > restartedAt).length >= 3,
      20_000,
      "heartbeats after the restart",
    );

    const onceRuns = await runsOf(home, "once");
    expect(onceRuns.map((run) => [run.reason, Date.parse(run.scheduledAt!), run.status])).toEqual([["schedule", at.getTime(), "interrupted"]]);
    const onceJob = await sundialJson<JobView>(["show", "once"], { home });
    expect(onceJob.nextRunAt).toBeNull();

    // A run started by hand is interrupted too, and does not make the hourly job run now.
    const hourlyRuns = await runsOf(home, "hourly");
    expect(hourlyRuns.map((run) => [run.reason, run.status])).toEqual([["manual", "interrupted"]]);
    await daemon.stop();
  }, 90_000);
});
