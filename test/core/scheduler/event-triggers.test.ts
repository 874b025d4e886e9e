import { describe, expect, it } from "vitest";
import { createHarness, HOUR, MINUTE, SECOND } from "../../support/scheduler-harness.js";

const reasons = (h: { executor: { executions: { request: { env: Record<string, string> } }[] } }) => h.executor.executions.map((execution) => execution.request.env.SUNDIAL_REASON);

describe("several triggers on one job", () => {
  it("runs at the earliest of its time triggers, and each time trigger still fires on its own slots", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    const job = await h.service.addJob({
      name: "report",
      command: "true",
      triggers: [
        { type: "cron", expression: "0 10 * * *", timezone: "UTC" },
        { type: "interval", everySeconds: 3600, start: "2026-03-02T09:30:00Z" },
      ],
    });
    expect(job.nextRunAt).toBe("2026-03-02T09:30:00+00:00");
    await h.advance(30 * MINUTE);
    expect(reasons(h)).toEqual(["schedule"]);
    h.executor.executions[0]!.exit(0);
    expect((await h.service.getJob("report")).nextRunAt).toBe("2026-03-02T10:00:00+00:00");
    await h.advance(30 * MINUTE);
    expect(h.executor.executions).toHaveLength(2);
  });

  it("without a trigger is a manual job: no next run, not finished, runs from Run now", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    const job = await h.service.addJob({ name: "deploy", command: "true", triggers: [] });
    expect(job).toMatchObject({ nextRunAt: null, finished: false, problem: null });
    await h.advance(HOUR);
    expect(h.executor.executions).toHaveLength(0);
    await h.service.runNow("deploy");
    expect(reasons(h)).toEqual(["manual"]);
  });
});

describe("startup and wake triggers", () => {
  it("a startup trigger runs the job once per engine start, its delaySeconds after the start", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob({ name: "mail", command: "true", triggers: [{ type: "startup", delaySeconds: 30 }] });
    await h.advance(HOUR);
    expect(h.executor.executions).toHaveLength(0);

    const again = await h.restart();
    await again.advance(29 * SECOND);
    expect(again.executor.executions).toHaveLength(0);
    await again.advance(SECOND);
    expect(reasons(again)).toEqual(["startup"]);
    again.executor.executions[0]!.exit(0);
    await again.advance(HOUR);
    expect(again.executor.executions).toHaveLength(1);
    expect(again.history.list({})[0]).toMatchObject({ reason: "startup", scheduledAt: null, status: "succeeded" });
  });

  it("a paused job ignores its events", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob({ name: "mail", command: "true", paused: true, triggers: [{ type: "startup" }, { type: "wake" }] });
    const again = await h.restart();
    again.scheduler.wake();
    await again.advance(MINUTE);
    expect(again.executor.executions).toHaveLength(0);
  });

  it("a wake runs each wake job once; a second signal within a minute is the same wake, a later one another", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob({ name: "vpn", command: "true", triggers: [{ type: "wake" }] });
    h.scheduler.wake();
    await h.advance(SECOND);
    h.scheduler.wake();
    await h.advance(SECOND);
    expect(reasons(h)).toEqual(["wake"]);
    h.executor.executions[0]!.exit(0);
    await h.advance(2 * MINUTE);
    h.scheduler.wake();
    await h.advance(SECOND);
    expect(reasons(h)).toEqual(["wake", "wake"]);
  });

  it("an event while the job still runs goes through its overlap policy: skip records a skipped run", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob({ name: "vpn", command: "true", triggers: [{ type: "wake" }] });
    await h.service.runNow("vpn");
    h.scheduler.wake();
    await h.advance(SECOND);
    expect(h.executor.executions).toHaveLength(1);
    expect(h.history.list({}).find((run) => run.status === "skipped")).toMatchObject({ reason: "wake", error: "the previous run was still running" });
  });
});

describe("after triggers", () => {
  it("a chained run that fails is retried with its parent's variables; the next link runs after the last attempt only", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob({ name: "fetch", command: "true", triggers: [] });
    await h.service.addJob({ name: "parse", command: "true", triggers: [{ type: "after", job: "fetch" }], retries: { count: 1, delaySeconds: 10, backoff: 1 } });
    await h.service.addJob({ name: "alarm", command: "true", triggers: [{ type: "after", job: "parse", on: "failure" }] });

    const fetch = await h.service.runNow("fetch");
    h.executor.executions[0]!.exit(0);
    await h.advance(0);
    const parse = h.executor.executions[1]!;
    expect(parse.request.env).toMatchObject({ SUNDIAL_REASON: "after", SUNDIAL_PARENT_JOB: "fetch", SUNDIAL_PARENT_RUN_ID: fetch.id, SUNDIAL_PARENT_STATUS: "succeeded", SUNDIAL_PARENT_EXIT_CODE: "0" });
    parse.exit(2);
    await h.advance(SECOND);
    expect(h.executor.executions).toHaveLength(2);

    await h.advance(9 * SECOND);
    const retry = h.executor.executions[2]!;
    expect(retry.request.env).toMatchObject({ SUNDIAL_REASON: "retry", SUNDIAL_PARENT_JOB: "fetch", SUNDIAL_PARENT_RUN_ID: fetch.id });
    retry.exit(5);
    await h.advance(0);
    const alarm = h.executor.executions[3]!;
    expect(alarm.request.env).toMatchObject({ SUNDIAL_REASON: "after", SUNDIAL_PARENT_JOB: "parse", SUNDIAL_PARENT_STATUS: "failed", SUNDIAL_PARENT_EXIT_CODE: "5" });
  });

  it("a chain step's failure notifies like any run", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob({ name: "fetch", command: "true", triggers: [] });
    await h.service.addJob({ name: "parse", command: "true", triggers: [{ type: "after", job: "fetch" }] });
    await h.service.runNow("fetch");
    h.executor.executions[0]!.exit(0);
    await h.advance(0);
    h.executor.executions[1]!.exit(4);
    await h.advance(SECOND);
    expect(h.notifier.sent.map((notification) => notification.title)).toEqual(["parse failed"]);
  });

  it("a cancelled parent run ends the chain, even for always", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    await h.service.addJob({ name: "fetch", command: "true", triggers: [] });
    await h.service.addJob({ name: "report", command: "true", triggers: [{ type: "after", job: "fetch", on: "always" }] });
    const run = await h.service.runNow("fetch");
    const cancelling = h.service.cancelRun(run.id);
    h.executor.executions[0]!.cancel();
    await cancelling;
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(1);
  });

  it("is stored by the parent's id, so renaming the parent keeps the chain", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    const parent = await h.service.addJob({ name: "fetch", command: "true", triggers: [] });
    const child = await h.service.addJob({ name: "parse", command: "true", triggers: [{ type: "after", job: "fetch" }] });
    expect(child.triggers).toEqual([{ type: "after", version: 1, job: parent.id, on: "success" }]);
    await h.service.updateJob("fetch", { name: "download" });
    await h.service.runNow("download");
    h.executor.executions[0]!.exit(0);
    await h.advance(0);
    expect(h.executor.executions[1]!.request.env.SUNDIAL_PARENT_JOB).toBe("download");
  });

  it("an import may chain its own jobs, by name; a loop inside the import is refused", async () => {
    const h = await createHarness({ start: "2026-03-02T09:00:00Z" });
    const added = await h.service.importJobs([
      { name: "upload", command: "true", triggers: [{ type: "after", job: "backup" }] },
      { name: "backup", command: "true", triggers: [] },
    ]);
    expect(added[0]!.triggers[0]).toMatchObject({ type: "after", job: added[1]!.id });
    await expect(
      h.service.importJobs([
        { name: "a", command: "true", triggers: [{ type: "after", job: "b" }] },
        { name: "b", command: "true", triggers: [{ type: "after", job: "a" }] },
      ]),
    ).rejects.toMatchObject({ issues: [{ field: "jobs[0].triggers[0].job", message: "would form a cycle a → b → a" }, { field: "jobs[1].triggers[0].job", message: "would form a cycle b → a → b" }] });
  });
});
