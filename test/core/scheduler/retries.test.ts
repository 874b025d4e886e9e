import { describe, expect, it } from "vitest";
import { createHarness, jobInput, MINUTE, SECOND } from "../../support/scheduler-harness.js";

describe("retries", () => {
  it("retries a failed run after its delay, with backoff, up to the count", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:59Z" });
    await h.service.addJob(jobInput({ name: "flaky", retries: { count: 2, delaySeconds: 10, backoff: 2 }, trigger: { type: "cron", expression: "0 10 * * *", timezone: "UTC" } }));
    await h.advance(SECOND);
    h.executor.executions[0]!.exit(1);
    await h.advance(9 * SECOND);
    expect(h.executor.executions).toHaveLength(1);
    await h.advance(SECOND);
    expect(h.executor.executions).toHaveLength(2);
    expect(h.executor.executions[1]!.request.env.SUNDIAL_REASON).toBe("retry");
    h.executor.executions[1]!.timeOut();
    await h.advance(19 * SECOND);
    expect(h.executor.executions).toHaveLength(2);
    await h.advance(SECOND);
    expect(h.executor.executions).toHaveLength(3);
    h.executor.executions[2]!.exit(1);
    await h.advance(10 * MINUTE);
    expect(h.executor.executions).toHaveLength(3);
    const attempts = h.history.list({}).map((run) => [run.attempt, run.status, run.reason]);
    expect(attempts).toEqual([
      [3, "failed", "retry"],
      [2, "timed_out", "retry"],
      [1, "failed", "schedule"],
    ]);
    expect(new Set(h.history.list({}).map((run) => run.scheduledAt))).toEqual(new Set(["2026-03-02T10:00:00.000Z"]));
  });

  it("does not retry a run the user cancelled", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "c", retries: { count: 3, delaySeconds: 1, backoff: 1 }, trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    const run = await h.service.runNow("c");
    const cancelling = h.service.cancelRun(run.id);
    h.executor.executions[0]!.cancel();
    expect((await cancelling).status).toBe("cancelled");
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(1);
  });

  it("does not retry a success", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "ok", retries: { count: 3, delaySeconds: 1, backoff: 1 }, trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    await h.service.runNow("ok");
    h.executor.executions[0]!.exit(0);
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(1);
  });
});
