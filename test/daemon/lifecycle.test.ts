import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { EngineStatus } from "../../electron/shared/contract.js";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/;

/** Whether `at` lies on the interval grid anchor + k·every. */
function onGrid(at: string, anchor: string, everySeconds: number): boolean {
  return (Date.parse(at) - Date.parse(anchor)) % (everySeconds * 1000) === 0;
}

// Each test has its own home and daemon, and mostly waits on the clock: run them side by side.
describe.concurrent("a job's life through the CLI and a real daemon", () => {
  test("added, listed with its next run, run on schedule, kept with its anchor across a restart, removed", async () => {
    const home = tempHome("life");
    let daemon = await startDaemon(home);

    const added = await sundialJson<JobView>(["add", "tick", "--every", "2s", "--", "echo tick-$((1+1))"], { home });
    expect(added).toMatchObject({ name: "tick", paused: false, command: "echo tick-$((1+1))", triggers: [{ type: "interval", everySeconds: 2 }] });
    const anchor = (added.triggers[0] as { anchor?: string }).anchor!;
    expect(anchor).toBeTruthy();

    const [listed] = await sundialJson<JobView[]>(["list"], { home });
    expect(listed!.id).toBe(added.id);
    expect(listed!.nextRunAt).toMatch(ISO_WITH_OFFSET);
    expect(onGrid(listed!.nextRunAt!, anchor, 2)).toBe(true);
    expect(Date.parse(listed!.nextRunAt!) - Date.now()).toBeLessThanOrEqual(2_500);

    const table = await sundial(["list"], { home });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NEXT\s+LEFT\s+LAST\s+STATUS\s+NAME\s+SCHEDULE$/m);
    // It may already have run once (every 2 s; on a busy machine a slot may be skipped while the first run is reaped): LAST and STATUS say so.
    expect(table.stdout).toMatch(/\b(in \d s|now)\s+(-|just now|\d s ago)\s+(new|running|succeeded|skipped)\s+tick\s+Every 2 seconds$/m);

    const runs = await waitFor(async () => {
      const history = await sundialJson<Run[]>(["history", "tick"], { home });
      return history.filter((run) => run.status === "succeeded").length >= 2 ? history : null;
    }, 12_000, "two scheduled runs");
    for (const run of runs.filter((entry) => entry.status === "succeeded")) {
      expect(run).toMatchObject({ jobId: added.id, reason: "schedule", exitCode: 0 });
      expect(onGrid(run.scheduledAt!, anchor, 2)).toBe(true);
    }
    const log = await sundial(["logs", runs[0]!.id], { home });
    expect(log.stdout).toBe("tick-2\n");
    expect(daemon.stderr()).toMatch(new RegExp(`run ${runs[0]!.id} started: tick \\(schedule\\)`));

    expect(await daemon.stop()).toBe(0);
    daemon = await startDaemon(home);
    const restarted = await sundialJson<JobView>(["show", "tick"], { home });
    expect((restarted.triggers[0] as { anchor?: string }).anchor).toBe(anchor);
    expect(onGrid(restarted.nextRunAt!, anchor, 2)).toBe(true);
    expect(restarted.lastRun).not.toBeNull();

    const removed = await sundial(["remove", "tick"], { home });
    expect(removed).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^Removed job ${added.id} "tick"\n`)) });
    expect(await sundialJson<JobView[]>(["list"], { home })).toEqual([]);
    const gone = await sundial(["show", "tick"], { home });
    expect(gone).toMatchObject({ code: 1, stderr: 'No job with id or name "tick"\n' });
    const code = await daemon.stop();
    expect(code, `${JSON.stringify(await daemon.exited)}\n${daemon.stderr()}`).toBe(0);
  }, 60_000);

  test("a cron job in another zone gets the right next run, in words and as raw expression", async () => {
    const home = tempHome("cron");
    const daemon = await startDaemon(home);
    const job = await sundialJson<JobView>(["add", "tokyo", "--cron", "0 3 * * *", "--tz", "Asia/Tokyo", "--", "true"], { home });
    // 03:00 in Tokyo (UTC+9, no DST) is 18:00 UTC.
    const now = new Date();
    const expected = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 18));
    if (expected <= now) expected.setUTCDate(expected.getUTCDate() + 1);
    expect(Date.parse(job.nextRunAt!)).toBe(expected.getTime());

    const table = await sundial(["list"], { home });
    expect(table.stdout).toMatch(/\btokyo\s+At 03:00\b.*Asia\/Tokyo.*\(0 3 \* \* \*\)/);
    const shown = await sundial(["show", "tokyo"], { home });
    expect(shown.stdout).toMatch(/^Schedule: +At 03:00\b.*\(0 3 \* \* \*\)/m);

    const status = await sundialJson<EngineStatus>(["status"], { home });
    expect(status).toMatchObject({ pid: daemon.pid, home, jobs: 1, runningRuns: [] });
    expect(status.nextRun).toMatchObject({ jobId: job.id, jobName: "tokyo" });
    const text = await sundial(["status"], { home });
    expect(text.stdout).toContain(`(pid ${daemon.pid})`);

    const paused = await sundial(["pause", "tokyo"], { home });
    expect(paused).toMatchObject({ code: 0, stdout: `Paused job ${job.id} "tokyo"\n` });
    expect((await sundialJson<JobView>(["show", "tokyo"], { home })).nextRunAt).toBeNull();
    await sundial(["resume", "--all"], { home });
    await sundial(["resume", "tokyo"], { home });
    expect(Date.parse((await sundialJson<JobView>(["show", job.id], { home })).nextRunAt!)).toBe(expected.getTime());

    const edited = await sundialJson<JobView>(["edit", "tokyo", "--tz", "UTC", "--name", "utc"], { home });
    expect(edited).toMatchObject({ name: "utc", triggers: [{ expression: "0 3 * * *", timezone: "UTC" }] });
    expect(new Date(edited.nextRunAt!).getUTCHours()).toBe(3);

    // SIGINT (Ctrl-C) stops as cleanly as SIGTERM.
    daemon.child.kill("SIGINT");
    expect((await daemon.exited).code).toBe(0);
    expect(daemon.stderr()).toMatch(/SIGINT: stopping/);
  }, 30_000);
});
