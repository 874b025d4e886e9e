/**
 * Wall-clock jumps on a real daemon: Debian's libfaketime is preloaded into `sundial daemon`
 * with a timestamp file that the test rewrites mid-run (+1 h, −1 h, +3 days). The monotonic
 * clock stays real (DONT_FAKE_MONOTONIC), as on a machine whose clock is stepped by NTP or
 * by hand, so the engine can tell that the wall clock moved on its own.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Run } from "../../electron/shared/schemas.js";
import { addJob, ensureBuilt, haveFaketime, LIBFAKETIME, removeTempHomes, type RunningDaemon, sleep, startDaemon, stopAllDaemons, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

interface FakeClockDaemon {
  daemon: RunningDaemon;
  home: string;
  /** Moves the daemon's wall clock to real time plus `offset` (libfaketime syntax: "+1h", "-1h", "+3d", "+0"). */
  setOffset(offset: string): void;
}

async function startWithFakeClock(label: string): Promise<FakeClockDaemon> {
  const home = tempHome(label);
  const timestampFile = path.join(home, "..", `${path.basename(home)}.faketime`);
  const setOffset = (offset: string) => fs.writeFileSync(timestampFile, `${offset}\n`);
  setOffset("+0");
  const daemon = await startDaemon(home, {
    env: {
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME_TIMESTAMP_FILE: timestampFile,
      // Read the file at every clock reading, so a change applies at once.
      FAKETIME_NO_CACHE: "1",
      DONT_FAKE_MONOTONIC: "1",
    },
  });
  return { daemon, home, setOffset };
}

const runsOf = (home: string, job: string) => sundialJson<Run[]>(["history", job, "--limit", "10000"], { home });
const finished = (runs: Run[]) => runs.filter((run) => run.status !== "running");
const ran = (runs: Run[]) => runs.filter((run) => run.status !== "missed" && run.status !== "skipped");

/** Heartbeat runs that finished for a slot after `run` started. */
async function heartbeatsAfter(home: string, run: Run): Promise<number> {
  const startedAt = Date.parse(run.startedAt!);
  return (await runsOf(home, "heartbeat")).filter((each) => each.status === "succeeded" && Date.parse(each.scheduledAt!) > startedAt).length;
}

/** No slot ran twice: every run that executed has its own scheduled time. */
function expectNoSlotTwice(runs: Run[]): void {
  const slots = ran(runs).map((run) => run.scheduledAt);
  expect(new Set(slots).size, `slots: ${slots.join(", ")}`).toBe(slots.length);
}

describe.runIf(haveFaketime).concurrent("wall-clock jumps on a real daemon (libfaketime)", () => {
  test("+1 h: an every-10-minutes job with catch-up once runs exactly one catch-up run and accounts for the other 5 slots as missed", async () => {
    const { daemon, home, setOffset } = await startWithFakeClock("jump-hour");
    await addJob(home, "ten-minutes", "--every", "10m", "--catch-up", "once", "--", "echo ten");
    // A busy engine: something due every second, so the jump is noticed at the next wake-up.
    await addJob(home, "heartbeat", "--every", "1s", "--catch-up", "skip", "--", "true");
    await waitFor(async () => finished(await runsOf(home, "heartbeat")).length >= 2, 20_000, "heartbeat runs");
    expect(await runsOf(home, "ten-minutes")).toEqual([]);

    setOffset("+1h");
    const catchUp = await waitFor(async () => finished(await runsOf(home, "ten-minutes")).find((run) => run.reason === "catch-up"), 20_000, "the catch-up run");
    expect(catchUp.status).toBe("succeeded");
    // Until the missed slots are on record and the engine has run two heartbeat slots after
    // the catch-up: anything extra (a second catch-up, a repeat) would show up by then.
    await waitFor(async () => (await runsOf(home, "ten-minutes")).some((run) => run.status === "missed") && (await heartbeatsAfter(home, catchUp)) >= 2, 20_000, "the missed slots and two heartbeats after the catch-up");

    const runs = await runsOf(home, "ten-minutes");
    expect(runs.filter((run) => run.reason === "catch-up")).toHaveLength(1);
    expect(runs.filter((run) => run.reason === "schedule" && run.status !== "missed")).toEqual([]);
    const missed = runs.filter((run) => run.status === "missed");
    expect(missed).toHaveLength(1);
    // No lost slot: the hour held six; one ran, five are on record as missed.
    expect(missed[0]!.missedCount).toBe(5);
    expect(daemon.stderr()).toMatch(/the wall clock jumped forward by 3[56]\d\ds/);

    const heartbeat = await runsOf(home, "heartbeat");
    expectNoSlotTwice(heartbeat);
    const jumpedAt = Date.parse(catchUp.startedAt!);
    expect(ran(heartbeat).some((run) => run.reason === "schedule" && Date.parse(run.scheduledAt!) > jumpedAt)).toBe(true);
    await daemon.stop();
  }, 90_000);

  test("−1 h: no slot that already ran runs again, and the job carries on when the clock comes back", async () => {
    const { daemon, home, setOffset } = await startWithFakeClock("jump-back");
    await addJob(home, "every-2s", "--every", "2s", "--", "true");
    await waitFor(async () => finished(await runsOf(home, "every-2s")).length >= 3, 30_000, "three runs");

    setOffset("-1h");
    await waitFor(() => /the wall clock jumped back by 3[56]\d\ds/.test(daemon.stderr()), 20_000, "the engine noticing the jump");
    // A run that was starting at the moment of the jump has finished.
    const before = await waitFor(async () => {
      const runs = await runsOf(home, "every-2s");
      return runs.every((run) => run.status !== "running") ? runs : null;
    }, 20_000, "the runs before the jump to finish");
    const lastSlotBefore = Math.max(...before.map((run) => Date.parse(run.scheduledAt!)));

    // Nothing may run while the clock is an hour back: a window of a slot of real time (2 s)
    // and a margin for a run to be recorded; none may repeat an old slot.
    await sleep(3_000);
    const during = await runsOf(home, "every-2s");
    expect(during.map((run) => run.id).sort()).toEqual(before.map((run) => run.id).sort());

    // Back to real time. Every slot is still an hour ahead of the clock the engine last read,
    // so it is asleep for its longest sleep (the one-minute wake cap): that is how soon a
    // clock change with nothing due is noticed.
    setOffset("+0");
    await waitFor(async () => (await runsOf(home, "every-2s")).some((run) => Date.parse(run.scheduledAt!) > lastSlotBefore + 2_000), 80_000, "runs after the clock came back");
    // One slot more after the first new one: a repeat of an old slot would show up by then.
    const after = await waitFor(async () => {
      const runs = await runsOf(home, "every-2s");
      return runs.filter((run) => run.status === "succeeded" && Date.parse(run.scheduledAt!) > lastSlotBefore + 2_000).length >= 2 ? runs : null;
    }, 20_000, "two runs after the clock came back");
    expectNoSlotTwice(after);
    const newRuns = after.filter((run) => !before.some((old) => old.id === run.id));
    expect(newRuns.length).toBeGreaterThan(0);
    for (const run of newRuns) expect(Date.parse(run.scheduledAt!), `${run.id} ${run.reason}`).toBeGreaterThan(lastSlotBefore);
    await daemon.stop();
  }, 150_000);

  test("+3 days: a daily job with catch-up once runs exactly one catch-up run for the three days it missed", async () => {
    const { daemon, home, setOffset } = await startWithFakeClock("jump-days");
    await addJob(home, "daily", "--cron", "0 3 * * *", "--tz", "UTC", "--", "echo daily");
    await addJob(home, "heartbeat", "--every", "1s", "--catch-up", "skip", "--", "true");
    await waitFor(async () => finished(await runsOf(home, "heartbeat")).length >= 2, 20_000, "heartbeat runs");

    setOffset("+3d");
    const catchUp = await waitFor(async () => finished(await runsOf(home, "daily")).find((run) => run.reason === "catch-up"), 20_000, "the catch-up run");
    expect(catchUp.status).toBe("succeeded");
    await waitFor(async () => (await runsOf(home, "daily")).some((run) => run.status === "missed") && (await heartbeatsAfter(home, catchUp)) >= 2, 20_000, "the missed slots and two heartbeats after the catch-up");

    const runs = await runsOf(home, "daily");
    expect(runs.filter((run) => run.reason === "catch-up")).toHaveLength(1);
    const missed = runs.filter((run) => run.status === "missed");
    expect(missed).toHaveLength(1);
    expect(missed[0]!.missedCount).toBe(2);
    expect(runs).toHaveLength(2);
    expect(daemon.stderr()).toMatch(/the wall clock jumped forward by 259\d\d\ds/);
    expectNoSlotTwice(await runsOf(home, "heartbeat"));
    // The next daily run is a normal one, after the jumped-to now.
    const daily = await sundialJson<{ nextRunAt: string }>(["show", "daily"], { home });
    expect(Date.parse(daily.nextRunAt)).toBeGreaterThan(Date.parse(catchUp.startedAt!));
    await daemon.stop();
  }, 90_000);
  test("a forward gap left by a suspend runs each wake-triggered job once, with reason wake (issue 15)", async () => {
    const { daemon, home, setOffset } = await startWithFakeClock("wake-trigger");
    await addJob(home, "reconnect", "--on", "wake", "--", "echo woke");
    await addJob(home, "heartbeat", "--every", "1s", "--catch-up", "skip", "--", "true");
    await waitFor(async () => finished(await runsOf(home, "heartbeat")).length >= 2, 20_000, "heartbeat runs");
    expect(await runsOf(home, "reconnect")).toEqual([]);

    // The monotonic clock stands still while a computer sleeps: the wall clock seems to leap.
    setOffset("+2h");
    const woke = await waitFor(async () => finished(await runsOf(home, "reconnect"))[0], 20_000, "the wake run");
    expect(woke).toMatchObject({ reason: "wake", status: "succeeded", scheduledAt: null });
    // Two heartbeats later a second wake run (the jump noticed twice) would be on record.
    await waitFor(async () => (await heartbeatsAfter(home, woke)) >= 2, 20_000, "two heartbeats after the wake run");
    expect(await runsOf(home, "reconnect")).toHaveLength(1);
    expect(daemon.stderr()).toMatch(/the computer woke: running jobs with a wake trigger/);
    await daemon.stop();
  }, 90_000);
});
