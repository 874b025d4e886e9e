/**
 * The scheduler's two bounds on work piling up: catch-up "all" after a long outage runs at most
 * the newest 100 missed slots (the rest are recorded as missed), and an overlap "queue" holds
 * at most 100 waiting runs (more are dropped with a warning), so neither memory nor the
 * machine is flooded by a job that fell far behind.
 */
import { describe, expect, it } from "vitest";
import { createHarness, jobInput, MINUTE, SECOND } from "../../support/scheduler-harness.js";

describe("the scheduler's caps", () => {
  it("catch-up all after 300 missed hourly slots runs the newest 100 and records the other 200 as missed", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
    await h.service.addJob(jobInput({ name: "hourly", catchUp: "all", trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    await h.advance(MINUTE); // 10:00 runs
    h.executor.executions[0]!.exit(0);
    await h.scheduler.stop();
    h.clock.setWall("2026-03-14T22:30:00Z"); // 11:00 on 2 March to 22:00 on 14 March: 300 slots
    const after = await h.restart();

    const missed = after.history.list({}).filter((run) => run.status === "missed");
    expect(missed.map((run) => run.missedCount)).toEqual([200]);
    for (let ran = 0; ran < 100; ran++) {
      expect(after.executor.running).toHaveLength(1);
      after.executor.running[0]!.exit(0);
      await after.advance(SECOND);
    }
    expect(after.executor.running).toHaveLength(0);
    const caughtUp = after.executor.executions.filter((execution) => execution.request.env.SUNDIAL_REASON === "catch-up");
    expect(caughtUp).toHaveLength(100);
    expect(caughtUp[0]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-10T19:00:00.000Z");
    expect(caughtUp[99]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-14T22:00:00.000Z");
  });

  it("after a week of an every-minute job, catch-up all runs the newest 100 and counts the rest exactly, however busy the machine", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:30Z" });
    await h.service.addJob(jobInput({ name: "minutely", catchUp: "all", trigger: { type: "cron", expression: "* * * * *", timezone: "UTC" } }));
    await h.advance(SECOND * 30); // 10:00 runs
    h.executor.executions[0]!.exit(0);
    await h.scheduler.stop();
    h.clock.setWall("2026-03-09T10:00:30Z"); // 10:01 on 2 March to 10:00 on 9 March: 7 days of minutes
    const after = await h.restart();

    const slotsMissed = 7 * 24 * 60;
    const missed = after.history.list({}).filter((run) => run.status === "missed");
    expect(missed.map((run) => run.missedCount)).toEqual([slotsMissed - 100]);
    for (let ran = 0; ran < 100; ran++) {
      after.executor.running[0]!.exit(0);
      await after.advance(SECOND);
    }
    const caughtUp = after.executor.executions.filter((execution) => execution.request.env.SUNDIAL_REASON === "catch-up").map((execution) => execution.request.env.SUNDIAL_SCHEDULED_AT);
    expect(caughtUp).toHaveLength(100);
    expect(caughtUp[0]).toBe("2026-03-09T08:21:00.000Z");
    expect(caughtUp[99]).toBe("2026-03-09T10:00:00.000Z");
  });

  it("an overlap queue holds at most 100 waiting runs and warns when it drops one", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "stuck", overlap: "queue", trigger: { type: "interval", everySeconds: 1 } }));
    await h.advance(150 * SECOND + 500); // the first run never ends; about 150 slots come due
    expect(h.executor.running).toHaveLength(1);
    expect(h.log.some((line) => line.includes('"stuck": more than 100 runs waiting; dropping one'))).toBe(true);
    expect(h.events.some((event) => event.type === "engine.warning" && event.message.includes("more than 100 runs waiting"))).toBe(true);

    // Drain the queue without letting time pass (no new slot comes due meanwhile).
    for (let index = 0; index < 150 && h.executor.running.length > 0; index++) {
      h.executor.running[0]!.exit(0);
      await h.advance(0);
    }
    // The first run, then exactly the 100 the queue held.
    expect(h.executor.executions).toHaveLength(101);
  }, 20_000);
});
