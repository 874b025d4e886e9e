/**
 * Run conditions on the real daemon, driven by the real CLI (issue 15). Time: libfaketime
 * moves the daemon's wall clock (a timestamp file of seconds past real time, as in
 * test/faults/clock-jumps.test.ts), so an 18:00 slot and the next 09:00 arrive in seconds.
 * Power: `SUNDIAL_SYSTEM_STATE_FILE` points the daemon's SystemState at a JSON file the test
 * rewrites (electron/core/system-state/file-system-state.ts). 2026-12-07 is a Monday.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { addJob, ensureBuilt, haveFaketime, LIBFAKETIME, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const runsOf = (home: string, job: string) => sundialJson<Run[]>(["history", job], { home });
const lastRunOf = async (home: string, job: string) => (await runsOf(home, job))[0];
/** Waits until the job's newest run has `status`, and returns it. */
const runWithStatus = (home: string, job: string, status: Run["status"]): Promise<Run> =>
  waitFor(async () => {
    const run = await lastRunOf(home, job);
    return run?.status === status ? run : undefined;
  }, 30_000, `a ${status} run of ${job}`) as Promise<Run>;

describe.runIf(haveFaketime)("a window, and a skip date, on a daemon whose clock is moved", () => {
  let home: string;
  /** Sets the daemon's wall clock to `iso` (from now on it runs at real speed from there). */
  let setClock: (iso: string) => void;

  beforeAll(async () => {
    home = tempHome("conditions-clock");
    const timestampFile = path.join(home, "..", `${path.basename(home)}.faketime`);
    setClock = (iso) => fs.writeFileSync(timestampFile, `+${Math.round((Date.parse(iso) - Date.now()) / 1000)}\n`);
    setClock("2026-12-07T17:59:50Z");
    await startDaemon(home, { env: { LD_PRELOAD: LIBFAKETIME, FAKETIME_TIMESTAMP_FILE: timestampFile, FAKETIME_NO_CACHE: "1", DONT_FAKE_MONOTONIC: "1" } });
    const daily18 = ["--cron", "0 18 * * *", "--tz", "UTC"];
    await addJob(home, "report-skip", ...daily18, "--between", "09:00-17:00", "--", "echo report");
    await addJob(home, "report-wait", ...daily18, "--between", "09:00-17:00", "--if-unmet", "wait", "--", "echo report");
    await addJob(home, "holiday", ...daily18, "--skip-dates", "2026-12-24,2026-12-07", "--", "echo holiday");
    // Busy every second, so the clock being moved is noticed at once (not at the next minute's wake-up).
    await addJob(home, "heartbeat", "--every", "1s", "--catch-up", "skip", "--", "true");
  }, 120_000);

  test("an 18:00 slot outside 09:00-17:00 is recorded skipped with the reason, in history, list and show", async () => {
    const skipped = await runWithStatus(home, "report-skip", "skipped");
    expect(skipped).toMatchObject({ status: "skipped", error: "outside 09:00-17:00", reason: "schedule", scheduledAt: "2026-12-07T18:00:00.000Z", startedAt: null });

    const history = await sundial(["history", "report-skip"], { home });
    expect(history.stdout).toMatch(/\breport-skip\s+skipped: outside 09:00-17:00\s+Scheduled\b/);
    const list = await sundial(["list"], { home });
    expect(list.stdout).toMatch(/skipped: outside 09:00-17:00\s+report-skip\s/);
    const show = await sundial(["show", "report-skip"], { home });
    expect(show.stdout).toMatch(/^Conditions:\s+between 09:00-17:00, else skip$/m);
    expect(show.stdout).toMatch(/^Last run:\s+r_\S+ skipped: outside 09:00-17:00,/m);
  });

  test("a skip date's slot is recorded skipped: skip date 2026-12-07", async () => {
    const skipped = await runWithStatus(home, "holiday", "skipped");
    expect(skipped).toMatchObject({ error: "skip date 2026-12-07", scheduledAt: "2026-12-07T18:00:00.000Z" });
  });

  test("with --if-unmet wait, the 18:00 run waits, visibly, and starts at 09:00 under the same id", async () => {
    const waiting = await runWithStatus(home, "report-wait", "waiting");
    expect(waiting).toMatchObject({ status: "waiting", error: "waiting: outside 09:00-17:00", scheduledAt: "2026-12-07T18:00:00.000Z", startedAt: null });
    const job = await sundialJson<JobView>(["show", "report-wait"], { home });
    expect(job.waiting).toMatchObject({ run: { id: waiting.id, status: "waiting" }, until: null });
    expect((await sundial(["list"], { home })).stdout).toMatch(/waiting: outside 09:00-17:00\s+report-wait\s/);
    expect((await sundial(["show", "report-wait"], { home })).stdout).toMatch(new RegExp(`^Waiting:\\s+run ${waiting.id}, outside 09:00-17:00, since `, "m"));
    expect((await sundial(["history", "report-wait"], { home })).stdout).toMatch(/\bwaiting: outside 09:00-17:00\s+Scheduled\b/);

    setClock("2026-12-08T08:59:57Z");
    const ran = await runWithStatus(home, "report-wait", "succeeded");
    expect(ran).toMatchObject({ id: waiting.id, reason: "schedule", scheduledAt: "2026-12-07T18:00:00.000Z" });
    // It started when the window opened, not before (the clock was moved to 08:59:57).
    expect(Date.parse(ran.startedAt!)).toBeGreaterThanOrEqual(Date.parse("2026-12-08T09:00:00Z"));
    expect(Date.parse(ran.startedAt!)).toBeLessThan(Date.parse("2026-12-08T09:01:00Z"));
    expect((await runsOf(home, "report-wait")).map((run) => run.id)).toEqual([waiting.id]);
    expect((await sundialJson<JobView>(["show", "report-wait"], { home })).waiting).toBeNull();
  });
});

describe("power, from a state file the test controls", () => {
  let home: string;
  let stateFile: string;
  const setPower = (onAcPower: boolean) => fs.writeFileSync(stateFile, JSON.stringify({ onAcPower, online: true }));

  beforeAll(async () => {
    home = tempHome("conditions-power");
    stateFile = path.join(home, "..", `${path.basename(home)}.system-state.json`);
    setPower(false);
    await startDaemon(home, { env: { SUNDIAL_SYSTEM_STATE_FILE: stateFile } });
  }, 120_000);

  test("on battery: --ac-power skips the run (on battery); with --if-unmet wait it starts when AC returns", async () => {
    // Far enough ahead that two adds on a busy machine still come before it.
    const soon = new Date(Date.now() + 10_000).toISOString();
    await addJob(home, "skip-on-battery", "--at", soon, "--ac-power", "--", "echo plugged");
    await addJob(home, "wait-for-ac", "--at", soon, "--ac-power", "--if-unmet", "wait", "--", "echo plugged");
    const skipped = await runWithStatus(home, "skip-on-battery", "skipped");
    expect(skipped.error).toBe("on battery");
    const waiting = await runWithStatus(home, "wait-for-ac", "waiting");
    expect(waiting.error).toBe("waiting: on battery");
    expect((await sundial(["list"], { home })).stdout).toMatch(/waiting: on battery\s+wait-for-ac\s/);

    setPower(true);
    const ran = await runWithStatus(home, "wait-for-ac", "succeeded");
    expect(ran.id).toBe(waiting.id);
    expect((await sundial(["logs", ran.id], { home })).stdout).toBe("plugged\n");
  });

  test("Run now is not held back by an unmet condition", async () => {
    setPower(false);
    await addJob(home, "manual-on-battery", "--cron", "0 3 * * *", "--ac-power", "--", "echo anyway");
    const result = await sundial(["run", "manual-on-battery", "--wait"], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("anyway\n");
  });

  test("next --job previews the job's start times with its conditions applied", async () => {
    await addJob(home, "evening", "--cron", "0 18 * * *", "--tz", "UTC", "--between", "09:00-17:00", "--if-unmet", "wait", "--", "true");
    const times = await sundialJson<string[]>(["next", "--job", "evening", "--from", "2026-12-07T00:00", "-n", "2"], { home });
    expect(times).toEqual(["2026-12-08T09:00:00+00:00", "2026-12-09T09:00:00+00:00"]);
    const words = await sundial(["next", "--job", "evening", "--from", "2026-12-07T00:00", "-n", "1"], { home });
    expect(words.stdout).toMatch(/^evening: .*\(between 09:00-17:00, else wait\); times in UTC:$/m);
  });

  test("export and import keep a job's conditions", async () => {
    await addJob(home, "exported", "--cron", "0 3 * * *", "--between", "22:00-06:00", "--skip-dates", "2026-12-24..2026-12-26", "--ac-power", "--if-unmet", "wait:30m", "--", "true");
    const file = path.join(home, "..", `${path.basename(home)}.export.json`);
    const exported = await sundial(["export", file], { home });
    expect(exported.code, exported.stderr).toBe(0);
    const other = tempHome("conditions-import");
    await startDaemon(other);
    const imported = await sundial(["import", file], { home: other });
    expect(imported.code, imported.stderr).toBe(0);
    expect(await sundialJson<JobView>(["show", "exported"], { home: other })).toMatchObject({
      conditions: { between: "22:00-06:00", skipDates: ["2026-12-24..2026-12-26"], acPower: true },
      whenUnmet: "wait",
      waitUpToSeconds: 1800,
    });
  });

  test("edit sets and clears conditions: --clear conditions leaves none, and the unmet policy goes back to skip", async () => {
    await addJob(home, "editable", "--cron", "0 3 * * *", "--", "true");
    const edited = await sundialJson<JobView>(["edit", "editable", "--days", "sat-sun", "--online", "--if-unmet", "wait:2h"], { home });
    expect(edited).toMatchObject({ conditions: { days: ["sat", "sun"], online: true }, whenUnmet: "wait", waitUpToSeconds: 7200 });
    const narrowed = await sundialJson<JobView>(["edit", "editable", "--clear", "online", "--between", "22:00-06:00"], { home });
    expect(narrowed.conditions).toEqual({ days: ["sat", "sun"], between: "22:00-06:00" });
    expect((await sundial(["show", "editable"], { home })).stdout).toMatch(/^Conditions:\s+between 22:00-06:00, on Sat, Sun, else wait up to 2 hours$/m);
    const cleared = await sundialJson<JobView>(["edit", "editable", "--clear", "conditions"], { home });
    expect(cleared.conditions).toBeUndefined();
    expect(cleared.whenUnmet).toBeUndefined();
    expect(cleared.waitUpToSeconds).toBeUndefined();
  });
});
