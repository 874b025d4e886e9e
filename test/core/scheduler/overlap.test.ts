import { describe, expect, it } from "vitest";
import { createHarness, jobInput, MINUTE } from "../../support/scheduler-harness.js";
import type { OverlapPolicy } from "../../../electron/shared/schemas.js";

async function slowJob(overlap: OverlapPolicy) {
  const h = await createHarness({ start: "2026-03-02T10:00:30Z" });
  await h.service.addJob(jobInput({ name: "slow", overlap, trigger: { type: "cron", expression: "* * * * *", timezone: "UTC" } }));
  await h.advance(30_000); // 10:01 starts and keeps running
  await h.advance(MINUTE); // 10:02 is due while 10:01 runs
  return h;
}

describe("overlap: a run is due while the previous one still runs", () => {
  it("skip: records a skipped run and starts nothing", async () => {
    const h = await slowJob("skip");
    expect(h.executor.executions).toHaveLength(1);
    const skipped = h.history.list({}).filter((run) => run.status === "skipped");
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.scheduledAt).toBe("2026-03-02T10:02:00.000Z");
  });

  it("queue: starts the waiting run when the first one ends", async () => {
    const h = await slowJob("queue");
    expect(h.executor.executions).toHaveLength(1);
    h.executor.executions[0]!.exit(0);
    await h.advance(1000);
    expect(h.executor.executions).toHaveLength(2);
    expect(h.executor.executions[1]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-02T10:02:00.000Z");
  });

  it("parallel: starts another run beside the first", async () => {
    const h = await slowJob("parallel");
    expect(h.executor.running).toHaveLength(2);
  });

  it("replace: cancels the running run and starts the new one", async () => {
    const h = await slowJob("replace");
    expect(h.executor.executions).toHaveLength(2);
    expect(h.executor.executions[0]!.ended).toBe(true);
    await h.advance(10);
    const first = h.history.get(h.executor.executions[0]!.request.runId)!;
    expect(first.status).toBe("cancelled");
    expect(first.error).toMatch(/replaced/);
  });

  it("run now is refused while a skip job runs, and allowed for a parallel one", async () => {
    const skip = await slowJob("skip");
    await expect(skip.service.runNow("slow")).rejects.toThrow(/already running/);
    const parallel = await slowJob("parallel");
    await parallel.service.runNow("slow");
    expect(parallel.executor.running).toHaveLength(3);
  });
});
