import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, sleep, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const runsOf = async (home: string, job: string) => sundialJson<Run[]>(["history", job], { home });

// Each test has its own home and daemon, and mostly waits on the clock: run them side by side.
describe.concurrent("while the daemon was down", () => {
  test("catch-up once runs exactly one catch-up run for the missed slots; skip runs none", async () => {
    const home = tempHome("catchup");
    let daemon = await startDaemon(home);
    for (const policy of ["once", "skip"]) {
      const added = await sundial(["add", policy, "--every", "2s", "--catch-up", policy, "--", "true"], { home });
      expect(added.code, added.stderr).toBe(0);
    }
    // Let both fire once, so the missed slots are counted from a slot that really ran.
    await waitFor(async () => (await runsOf(home, "once")).length > 0 && (await runsOf(home, "skip")).length > 0, 10_000, "first runs");
    expect(await daemon.stop()).toBe(0);

    // The clock has to pass the slots: at least two missed of each job (catch-up once folds them into one run).
    await sleep(5_000);
    const restartedAt = Date.now();
    daemon = await startDaemon(home);
    // Until both are back on their normal schedule (a busy machine may take a few seconds).
    const ranAfterRestart = (runs: Run[]) => runs.some((run) => run.reason === "schedule" && Date.parse(run.startedAt ?? "0") > restartedAt);
    await waitFor(async () => ranAfterRestart(await runsOf(home, "once")) && ranAfterRestart(await runsOf(home, "skip")), 20_000, "scheduled runs after the restart");

    const once = await runsOf(home, "once");
    const skip = await runsOf(home, "skip");
    const catchUps = (runs: Run[]) => runs.filter((run) => run.reason === "catch-up");
    expect(catchUps(once)).toHaveLength(1);
    expect(catchUps(once)[0]!.status).toBe("succeeded");
    expect(Date.parse(catchUps(once)[0]!.startedAt!)).toBeGreaterThanOrEqual(restartedAt - 1_000);
    expect(catchUps(skip)).toHaveLength(0);
    // After the restart both are back on their normal schedule, and nothing ran twice for a slot.
    for (const runs of [once, skip]) {
      const slots = runs.filter((run) => run.reason === "schedule" && run.status !== "missed").map((run) => run.scheduledAt);
      expect(new Set(slots).size).toBe(slots.length);
      expect(ranAfterRestart(runs)).toBe(true);
    }
    await daemon.stop();
  }, 60_000);

  test("a job 40 days out does not fire early, and is still 40 days out after a restart", async () => {
    const home = tempHome("far");
    let daemon = await startDaemon(home);
    const target = new Date(Date.now() + 40 * 86_400_000);
    target.setUTCSeconds(0, 0);
    const cron = `${target.getUTCMinutes()} ${target.getUTCHours()} ${target.getUTCDate()} ${target.getUTCMonth() + 1} *`;
    const at = await sundialJson<JobView>(["add", "far-date", "--at", target.toISOString(), "--", "echo fired"], { home });
    const yearly = await sundialJson<JobView>(["add", "far-cron", "--cron", cron, "--tz", "UTC", "--", "echo fired"], { home });
    expect(Date.parse(at.nextRunAt!)).toBe(target.getTime());
    expect(Date.parse(yearly.nextRunAt!)).toBe(target.getTime());

    await sleep(1_500);
    expect(await daemon.stop()).toBe(0);
    daemon = await startDaemon(home);
    await sleep(1_500);

    const jobs = await sundialJson<JobView[]>(["list"], { home });
    expect(jobs.map((job) => Date.parse(job.nextRunAt!))).toEqual([target.getTime(), target.getTime()]);
    expect(await sundialJson<Run[]>(["history"], { home })).toEqual([]);
    const table = await sundial(["list"], { home });
    expect(table.stdout).toMatch(/in (39 d 23 h|40 d)/);
    await daemon.stop();
  }, 60_000);
});
