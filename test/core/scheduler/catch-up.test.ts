import { describe, expect, it } from "vitest";
import { createHarness, jobInput, MINUTE, SECOND, DAY } from "../../support/scheduler-harness.js";
import type { CatchUpPolicy } from "../../../electron/shared/schemas.js";

async function downForThreeHours(catchUp: CatchUpPolicy, extra: { catchUpGraceSeconds?: number } = {}) {
  const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
  await h.service.addJob(jobInput({ name: "hourly", catchUp, ...extra, trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
  await h.advance(MINUTE); // 10:00 runs
  h.executor.executions[0]!.exit(0);
  await h.scheduler.stop();
  h.clock.setWall("2026-03-02T13:30:00Z"); // 11:00, 12:00 and 13:00 were missed
  const after = await h.restart();
  return after;
}

describe("catch-up after the engine was down", () => {
  it("once: runs exactly one catch-up run for the latest missed slot", async () => {
    const h = await downForThreeHours("once");
    expect(h.executor.executions).toHaveLength(1);
    expect(h.executor.executions[0]!.request.env.SUNDIAL_REASON).toBe("catch-up");
    expect(h.executor.executions[0]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-02T13:00:00.000Z");
    const missed = h.history.list({}).filter((run) => run.status === "missed");
    expect(missed).toHaveLength(1);
    expect(missed[0]!.missedCount).toBe(2);
  });

  it("skip: runs nothing, records the missed runs, and goes on with the next slot", async () => {
    const h = await downForThreeHours("skip");
    expect(h.executor.executions).toHaveLength(0);
    expect(h.history.list({}).find((run) => run.status === "missed")?.missedCount).toBe(3);
    expect((await h.service.getJob("hourly")).nextRunAt).toBe("2026-03-02T14:00:00+00:00");
  });

  it("all: runs every missed slot, one after another", async () => {
    const h = await downForThreeHours("all");
    expect(h.executor.running).toHaveLength(1);
    h.executor.running[0]!.exit(0);
    await h.advance(SECOND);
    h.executor.running[0]!.exit(0);
    await h.advance(SECOND);
    expect(h.executor.executions.map((e) => e.request.env.SUNDIAL_SCHEDULED_AT)).toEqual([
      "2026-03-02T11:00:00.000Z",
      "2026-03-02T12:00:00.000Z",
      "2026-03-02T13:00:00.000Z",
    ]);
  });

  it("does not catch up slots older than the grace window", async () => {
    const h = await downForThreeHours("all", { catchUpGraceSeconds: 2 * 3600 });
    h.executor.running[0]?.exit(0);
    await h.advance(SECOND);
    expect(h.executor.executions.map((e) => e.request.env.SUNDIAL_SCHEDULED_AT)).toEqual(["2026-03-02T12:00:00.000Z", "2026-03-02T13:00:00.000Z"]);
  });

  it("does not catch up a slot that was already handled before the restart", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
    await h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    await h.advance(MINUTE);
    h.executor.executions[0]!.exit(0);
    await h.advance(10 * MINUTE);
    const after = await h.restart();
    expect(after.executor.executions).toHaveLength(0);
  });

  it("a new job does not catch up slots from before it existed", async () => {
    const h = await createHarness({ start: "2026-03-02T10:30:00Z" });
    await h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    const after = await h.restart();
    expect(after.executor.executions).toHaveLength(0);
  });

  it("applies catch-up when the wall clock jumps three days forward (suspend)", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob(jobInput({ name: "daily", catchUp: "once", trigger: { type: "cron", expression: "0 12 * * *", timezone: "UTC" } }));
    h.clock.jumpWall(3 * DAY);
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(1);
    expect(h.executor.executions[0]!.request.env.SUNDIAL_REASON).toBe("catch-up");
    expect(h.executor.executions[0]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-04T12:00:00.000Z");
    expect(h.log.some((line) => /jumped forward/.test(line))).toBe(true);
  });

  it("runs a slightly late single slot as an ordinary run", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:58Z" });
    await h.service.addJob(jobInput({ catchUp: "skip", trigger: { type: "cron", expression: "0 10 * * *", timezone: "UTC" } }));
    h.clock.jumpWall(3 * SECOND); // the timer wakes at 10:00:03
    await h.advance(2 * SECOND);
    expect(h.executor.executions).toHaveLength(1);
    expect(h.executor.executions[0]!.request.env.SUNDIAL_REASON).toBe("schedule");
  });

  it("walks a dense schedule after a long outage without hanging", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "minutely", catchUp: "once", trigger: { type: "cron", expression: "* * * * *", timezone: "UTC" } }));
    await h.scheduler.stop();
    h.clock.setWall("2027-03-02T10:00:30Z");
    const after = await h.restart();
    expect(after.executor.executions).toHaveLength(1);
    expect(after.executor.executions[0]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2027-03-02T10:00:00.000Z");
    expect((await after.service.getJob("minutely")).nextRunAt).toBe("2027-03-02T10:01:00+00:00");
  });
});
