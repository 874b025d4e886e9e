/**
 * Alert rules on the scheduler's own timer (issue 16), with a fake clock: the dead-man's
 * switch falls due at its window and is re-armed only by a success, a suspend or a restart
 * neither repeats nor loses it, missed slots after a wake make one summary, and `slowerThan:
 * auto` waits for five successes.
 */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../electron/shared/contract.js";
import { createHarness, jobInput, DAY, HOUR, MINUTE, SECOND, type Harness } from "../../support/scheduler-harness.js";
import { settle } from "../../support/fake-clock.js";

const kinds = (h: Harness): string[] => h.alerts!.list({ limit: 1000 }).map((alert: Alert) => alert.kind).reverse();

async function succeedOnce(h: Harness, job: string): Promise<void> {
  await h.service.runNow(job);
  await settle();
  h.executor.running.at(-1)!.exit(0);
  await settle();
}

describe("the dead-man's switch", () => {
  it("alerts once when the window passes without a success, on the scheduler's timer, and again only after a success", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z", alerts: true });
    await h.service.addJob(jobInput({ name: "backup", paused: true, trigger: { type: "interval", everySeconds: DAY / SECOND }, alerts: { expectSuccessWithin: HOUR / SECOND } }));
    await h.advance(HOUR - SECOND);
    expect(kinds(h)).toEqual([]);
    await h.advance(SECOND);
    expect(kinds(h)).toEqual(["no-success"]);
    expect(h.notifier.sent.map((sent) => sent.title)).toEqual(["backup: no success for 1 hour"]);
    expect((await h.service.getJob("backup")).openAlert).toMatchObject({ kind: "no-success", since: "2026-03-02T10:00:00.000Z" });

    await h.advance(5 * HOUR);
    expect(kinds(h)).toEqual(["no-success"]);

    await succeedOnce(h, "backup");
    expect((await h.service.getJob("backup")).openAlert).toBeNull();
    await h.advance(HOUR - SECOND);
    expect(kinds(h)).toEqual(["no-success"]);
    await h.advance(SECOND);
    expect(kinds(h)).toEqual(["no-success", "no-success"]);
  });

  it("is not raised twice by a restart, and is raised at once by a start after the window passed", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z", alerts: true });
    await h.service.addJob(jobInput({ name: "backup", paused: true, trigger: { type: "interval", everySeconds: DAY / SECOND }, alerts: { expectSuccessWithin: HOUR / SECOND } }));
    await h.advance(HOUR);
    expect(kinds(h)).toEqual(["no-success"]);
    const again = await h.restart();
    await again.advance(10 * MINUTE);
    expect(kinds(again)).toEqual(["no-success"]);

    await again.service.addJob(jobInput({ name: "sync", paused: true, trigger: { type: "interval", everySeconds: DAY / SECOND }, alerts: { expectSuccessWithin: HOUR / SECOND } }));
    await again.scheduler.stop();
    // Down for two hours: the next start finds the window passed.
    await again.clock.advance(2 * HOUR);
    const third = await again.restart();
    await settle();
    expect(kinds(third)).toEqual(["no-success", "no-success"]);
    expect(third.alerts!.list({ limit: 1 })[0]).toMatchObject({ jobName: "sync", title: "sync: no success for 2 hours" });
  });

  it("notices a suspend by the clock jump: one alert for the window, and one summary of the slots missed while asleep", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z", alerts: true });
    await h.service.addJob(jobInput({ name: "backup", trigger: { type: "interval", everySeconds: HOUR / SECOND }, catchUp: "once", alerts: { expectSuccessWithin: DAY / SECOND } }));
    await h.service.addJob(jobInput({ name: "report", trigger: { type: "interval", everySeconds: HOUR / SECOND }, catchUp: "skip" }));
    await h.advance(10 * MINUTE);
    // Asleep for three days: the wall clock moves, the monotonic clock does not.
    h.clock.jumpWall(3 * DAY);
    await h.advance(MINUTE);
    expect(kinds(h).sort()).toEqual(["missed-summary", "no-success"]);
    const titles = h.notifier.sent.map((sent) => sent.title);
    expect(titles).toContain("2 jobs missed while asleep: 1 caught up, 1 skipped");
    expect(titles).toContain("backup: no success for 3 days");
    expect(titles.filter((title) => title.includes("missed"))).toHaveLength(1);
  });
});

describe("failures in a row and recovery", () => {
  it("alerts at the Nth failure only, stays quiet per run under the rule, and says once when it recovers", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z", alerts: true });
    await h.service.addJob(jobInput({ name: "flaky", paused: true, trigger: { type: "interval", everySeconds: HOUR / SECOND }, alerts: { afterFailures: 2, recovered: true } }));
    for (let run = 0; run < 5; run++) {
      await h.service.runNow("flaky");
      await settle();
      h.executor.running.at(-1)!.exit(1);
      await settle();
    }
    expect(kinds(h)).toEqual(["failures"]);
    expect((await h.service.getJob("flaky")).openAlert).toMatchObject({ kind: "failures", failures: 5 });
    await succeedOnce(h, "flaky");
    await succeedOnce(h, "flaky");
    expect(kinds(h)).toEqual(["failures", "recovered"]);
    // One alert per streak: no per-run failure notices under the rule.
    expect(h.notifier.sent.map((sent) => sent.title)).toEqual(["flaky failed 2 times in a row", "flaky succeeded again"]);
  });
});

describe("slowerThan: auto", () => {
  it("says nothing before five successes, then alerts a run going past 3x the median", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z", alerts: true });
    await h.service.addJob(jobInput({ name: "build", paused: true, trigger: { type: "interval", everySeconds: HOUR / SECOND }, alerts: { slowerThan: "auto" } }));
    const runFor = async (ms: number, end = true) => {
      await h.service.runNow("build");
      await settle();
      await h.advance(ms);
      if (end) h.executor.running.at(-1)!.exit(0);
      await settle();
    };
    await runFor(10 * MINUTE); // the first run has no history to compare with
    for (let run = 0; run < 4; run++) await runFor(10 * SECOND);
    expect(kinds(h)).toEqual([]);
    // Five successes now (median 10 s): the limit is 30 s.
    await runFor(29 * SECOND, false);
    expect(kinds(h)).toEqual([]);
    await h.advance(SECOND);
    expect(kinds(h)).toEqual(["slow"]);
    expect(h.notifier.sent.at(-1)!.title).toBe("build is still running after 30 seconds");
    expect((await h.service.getJob("build")).openAlert).toMatchObject({ kind: "slow" });
  });
});

describe("the settings' default rules", () => {
  it("apply to a job without its own rule (default-alert-after, default-alert-recovered), and 0 turns the default off", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z", alerts: true });
    await h.service.addJob(jobInput({ name: "plain", paused: true, trigger: { type: "interval", everySeconds: HOUR / SECOND } }));
    await h.service.updateSettings({ "default-alert-after": 2, "default-alert-recovered": true });
    expect((await h.service.getSettings()).values).toMatchObject({ "default-alert-after": 2, "default-alert-recovered": true });
    const fail = async () => {
      await h.service.runNow("plain");
      await settle();
      h.executor.running.at(-1)!.exit(1);
      await settle();
    };
    await fail();
    await fail();
    await succeedOnce(h, "plain");
    expect(kinds(h)).toEqual(["failures", "recovered"]);

    await h.service.updateSettings({ "default-alert-after": 0 });
    expect(h.store.data.settings.defaultAlerts).toEqual({ recovered: true });
    await fail();
    await fail();
    await fail();
    expect(kinds(h)).toEqual(["failures", "recovered"]);
    // Without the rule, each failure notifies under the job's notify policy again.
    expect(h.notifier.sent.filter((sent) => sent.title === "plain failed")).toHaveLength(3);
  });
});
