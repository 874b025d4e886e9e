import { describe, expect, it } from "vitest";
import { createHarness, jobInput, HOUR, MINUTE } from "../../support/scheduler-harness.js";

describe("pause and resume", () => {
  it("a paused job does not run, and resuming does not catch up the paused slots", async () => {
    const h = await createHarness({ start: "2026-03-02T09:30:00Z" });
    await h.service.addJob(jobInput({ name: "p", catchUp: "all", trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    const paused = await h.service.pauseJob("p");
    expect(paused.paused).toBe(true);
    expect(paused.nextRunAt).toBeNull();
    await h.advance(3 * HOUR);
    expect(h.executor.executions).toHaveLength(0);
    const resumed = await h.service.resumeJob("p");
    expect(resumed.nextRunAt).toBe("2026-03-02T13:00:00+00:00");
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(0);
    await h.advance(HOUR);
    expect(h.executor.executions).toHaveLength(1);
  });

  it("a resumed job does not catch up its paused slots after a restart either", async () => {
    const h = await createHarness({ start: "2026-03-02T09:30:00Z" });
    await h.service.addJob(jobInput({ name: "p", catchUp: "all", trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" } }));
    await h.service.pauseJob("p");
    await h.advance(3 * HOUR);
    await h.service.resumeJob("p");
    const after = await h.restart();
    expect(after.executor.executions).toHaveLength(0);
  });

  it("pause all for an hour resumes by itself", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
    await h.service.addJob(jobInput({ trigger: { type: "cron", expression: "* * * * *", timezone: "UTC" } }));
    const status = await h.service.pauseAll("2026-03-02T11:00:00Z");
    expect(status.allPaused).toBe(true);
    await h.advance(HOUR - MINUTE);
    expect(h.executor.executions).toHaveLength(0);
    await h.advance(3 * MINUTE);
    expect((await h.service.status()).allPaused).toBe(false);
    expect(h.executor.executions.length).toBeGreaterThanOrEqual(1);
    expect(h.executor.executions[0]!.request.env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-02T11:01:00.000Z");
  });

  it("resume all starts from now", async () => {
    const h = await createHarness({ start: "2026-03-02T09:55:00Z" });
    await h.service.addJob(jobInput({ catchUp: "all", trigger: { type: "cron", expression: "*/10 * * * *", timezone: "UTC" } }));
    await h.service.pauseAll();
    await h.advance(HOUR);
    await h.service.resumeAll();
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(0);
    await h.advance(10 * MINUTE);
    expect(h.executor.executions).toHaveLength(1);
  });
});
