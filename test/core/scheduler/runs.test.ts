import { describe, expect, it } from "vitest";
import { MemoryRunHistory } from "../../../electron/core/store/memory-run-history.js";
import type { Run } from "../../../electron/shared/schemas.js";
import { finishedRun } from "../../support/run-records.js";
import { createHarness, jobInput, MINUTE } from "../../support/scheduler-harness.js";

describe("runs", () => {
  it("run now uses the same environment, cwd and logging as a scheduled run", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
    await h.service.addJob(jobInput({ name: "env", cwd: "/tmp", env: { GREETING: "hi" }, trigger: { type: "cron", expression: "0 10 * * *", timezone: "UTC" } }));
    const manual = await h.service.runNow("env");
    h.executor.executions[0]!.exit(0, "hello\n");
    await h.advance(MINUTE);
    const [first, second] = h.executor.executions.map((execution) => execution.request);
    expect(first!.cwd).toBe("/tmp");
    expect(second!.cwd).toBe("/tmp");
    expect(first!.env.GREETING).toBe("hi");
    expect(second!.env.GREETING).toBe("hi");
    expect(first!.env.SUNDIAL_REASON).toBe("manual");
    expect(second!.env.SUNDIAL_REASON).toBe("schedule");
    expect(first!.env.SUNDIAL_RUN_ID).toBe(manual.id);
    expect(first!.env.SUNDIAL_JOB_NAME).toBe("env");
    expect((await h.service.runLog(manual.id)).text).toBe("hello\n");
  });

  it("records outcomes: succeeded, failed with exit code, timed out", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "o", overlap: "parallel", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    const runs = [await h.service.runNow("o"), await h.service.runNow("o"), await h.service.runNow("o")];
    h.executor.executions[0]!.exit(0);
    h.executor.executions[1]!.exit(3);
    h.executor.executions[2]!.timeOut();
    await h.advance(10);
    const recorded = runs.map((run) => h.history.get(run.id)!);
    expect(recorded.map((run) => [run.status, run.exitCode])).toEqual([
      ["succeeded", 0],
      ["failed", 3],
      ["timed_out", null],
    ]);
  });

  it("publishes events for job changes and runs", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "e", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    await h.service.updateJob("e", { command: "echo changed" });
    await h.service.runNow("e");
    h.executor.executions[0]!.exit(0);
    await h.advance(10);
    await h.service.removeJob("e");
    expect(h.events.map((event) => event.type)).toEqual(["job.added", "job.updated", "run.started", "run.finished", "job.removed"]);
  });

  it("notifies on failure only by default", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "n", overlap: "parallel", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    await h.service.runNow("n");
    await h.service.runNow("n");
    h.executor.executions[0]!.exit(0);
    h.executor.executions[1]!.exit(2);
    await h.advance(10);
    expect(h.notifier.sent).toHaveLength(1);
    expect(h.notifier.sent[0]!.title).toMatch(/n/);
  });

  it("stop ends running runs and records them as interrupted, without notifying", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "long", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    const run = await h.service.runNow("long");
    const stopping = h.scheduler.stop();
    await h.advance(10);
    h.executor.executions[0]!.cancel();
    await stopping;
    expect(h.history.get(run.id)!.status).toBe("interrupted");
    expect(h.notifier.sent).toHaveLength(0);
  });

  it("an edited trigger starts from now and the new schedule shows at once", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "t", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    const updated = await h.service.updateJob("t", { trigger: { type: "cron", expression: "30 10 * * *", timezone: "UTC" } });
    expect(updated.nextRunAt).toBe("2026-03-02T10:30:00+00:00");
  });
});

describe("run ids", () => {
  it("every run of a crowded slot gets its own id, record and log (1,000 jobs in one millisecond)", async () => {
    const h = await createHarness({ start: "2026-03-02T09:59:00Z" });
    const jobs = 1_000;
    for (let index = 0; index < jobs; index++) {
      await h.service.addJob(jobInput({ name: `crowd-${index}`, trigger: { type: "cron", expression: "0 10 * * *", timezone: "UTC" } }));
    }
    await h.advance(MINUTE);
    const ids = h.executor.executions.map((execution) => execution.request.runId);
    expect(ids).toHaveLength(jobs);
    expect(new Set(ids).size).toBe(jobs);
    expect(h.history.list({ limit: 10 * jobs })).toHaveLength(jobs);
    for (const execution of h.executor.executions) execution.exit(0, `${execution.request.runId}\n`);
    await h.advance(10);
    for (const id of ids) expect((await h.service.runLog(id)).text).toBe(`${id}\n`);
  });

  it("an id the history already holds is never handed out again", async () => {
    /** A history that says the first id it is asked about already exists (as if another process made it). */
    class FirstIdTaken extends MemoryRunHistory {
      asked: string[] = [];
      override get(runId: string): Run | null {
        this.asked.push(runId);
        return this.asked.length === 1 ? finishedRun({ id: runId }) : super.get(runId);
      }
    }
    const history = new FirstIdTaken();
    await history.open(new Date("2026-03-02T10:00:00Z"));
    const h = await createHarness({ start: "2026-03-02T10:00:00Z", history });
    await h.service.addJob(jobInput({ name: "taken", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" } }));
    const run = await h.service.runNow("taken");
    expect(history.asked.length).toBeGreaterThanOrEqual(2);
    expect(run.id).not.toBe(history.asked[0]);
    expect(history.asked).toContain(run.id);
  });
});
