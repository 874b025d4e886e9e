import { describe, expect, it } from "vitest";
import { FinelyWaitingClock } from "../../support/fake-clock.js";
import { createHarness, jobInput, DAY, HOUR, MINUTE, SECOND } from "../../support/scheduler-harness.js";

describe("the wake loop", () => {
  it("runs a cron job at its slot and computes the next one", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:30Z" });
    const job = await h.service.addJob(jobInput({ name: "hourly", trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    expect(job.nextRunAt).toBe("2026-03-02T10:00:00+00:00");

    await h.advance(29 * SECOND);
    expect(h.executor.executions).toHaveLength(0);
    await h.advance(1 * SECOND);
    expect(h.executor.executions).toHaveLength(1);
    expect(h.executor.executions[0]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-02T10:00:00.000Z");
    expect((await h.service.getJob("hourly")).nextRunAt).toBe("2026-03-02T11:00:00+00:00");
  });

  it("never sleeps longer than about a minute, so clock changes are noticed", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 3 1 * *", timezone: "UTC" } }));
    await h.advance(10 * MINUTE);
    expect(Math.max(...h.clock.requestedDelays)).toBeLessThanOrEqual(60 * SECOND);
  });

  it("does not fire a job 40 days out early, though timers cannot sleep that long", async () => {
    const h = await createHarness({ start: "2026-01-01T00:00:00Z" });
    await h.service.addJob(jobInput({ name: "far", trigger: { type: "date", at: "2026-02-10T00:00:00Z" } }));
    await h.advance(40 * DAY - MINUTE);
    expect(h.executor.executions).toHaveLength(0);
    expect(h.clock.requestedDelays.every((delay) => delay <= 2 ** 31 - 1)).toBe(true);
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(1);
  });

  it("wakes at most about once a minute while 1,000 jobs are hours away", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    for (let i = 0; i < 1000; i++) {
      await h.service.addJob(jobInput({ name: `j${i}`, trigger: { type: "cron", expression: `${i % 60} 3 * * *`, timezone: "UTC" } }));
    }
    const before = h.scheduler.wakeCount;
    await h.advance(10 * MINUTE);
    expect(h.scheduler.wakeCount - before).toBeLessThanOrEqual(11);
    expect(h.executor.executions).toHaveLength(0);
  });

  it("sleeps to 20 ms before a slot, then to 2 ms before it, and waits out those on the thread, where the clock can", async () => {
    const clock = new FinelyWaitingClock("2026-03-02T09:59:30Z");
    const h = await createHarness({ start: "", clock });
    await h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    await h.advance(30 * SECOND - 2);
    const approach = clock.requestedDelays.indexOf(30 * SECOND - 20);
    expect(approach).toBeGreaterThanOrEqual(0);
    expect(clock.requestedDelays.slice(approach)).toContain(18);
    expect(h.executor.executions).toHaveLength(1);
    expect(clock.waits).toEqual([2]);
    expect(h.executor.executions[0]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-02T10:00:00.000Z");
  });

  it("re-arms without running anything when the timer fires early", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
    await h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    // The wall clock lags the timer by 2 s (below the jump tolerance): the wake is early.
    h.clock.jumpWall(-1500);
    await h.advance(60 * SECOND);
    expect(h.executor.executions).toHaveLength(0);
    await h.advance(2 * SECOND);
    expect(h.executor.executions).toHaveLength(1);
  });

  it("starts 50 jobs due on the same second together", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:59Z" });
    for (let i = 0; i < 50; i++) await h.service.addJob(jobInput({ name: `s${i}`, trigger: { type: "cron", expression: "0 10 * * *", timezone: "UTC" } }));
    await h.advance(SECOND);
    expect(h.executor.executions).toHaveLength(50);
  });

  it("never runs a slot twice when the wall clock goes back an hour", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
    await h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 10 * * *", timezone: "UTC" } }));
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(1);
    h.executor.executions[0]!.exit(0);
    h.clock.jumpWall(-HOUR);
    await h.advance(2 * HOUR);
    expect(h.executor.executions).toHaveLength(1);
    expect(h.log.some((line) => /jumped back/.test(line))).toBe(true);
  });

  it("runs an interval job at a fixed rate from its anchor", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ trigger: { type: "interval", everySeconds: 300 } }));
    for (let i = 0; i < 3; i++) {
      await h.advance(5 * MINUTE);
      h.executor.executions[i]!.exit(0);
    }
    expect(h.executor.executions.map((e) => e.request.env.SUNDIAL_SCHEDULED_AT)).toEqual([
      "2026-03-02T10:05:00.000Z",
      "2026-03-02T10:10:00.000Z",
      "2026-03-02T10:15:00.000Z",
    ]);
  });

  it("runs a date job once and then shows it as finished", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "once", trigger: { type: "date", at: "2026-03-02T10:30:00Z" } }));
    await h.advance(HOUR);
    expect(h.executor.executions).toHaveLength(1);
    const view = await h.service.getJob("once");
    expect(view.finished).toBe(true);
    expect(view.nextRunAt).toBeNull();
  });
});
