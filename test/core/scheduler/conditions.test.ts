/**
 * Run conditions in the scheduler (issue 15), with a fake clock and a fake SystemState: an
 * unmet condition skips with its reason or makes the run wait, a waiting run starts the
 * moment its conditions hold (by the clock, or on a power event) under the same id, gives up
 * at its limit, folds later slots into itself, and Run now is never held back.
 */
import { describe, expect, it } from "vitest";
import type { Run } from "../../../electron/shared/schemas.js";
import { createHarness, jobInput, HOUR, MINUTE, SECOND, type Harness } from "../../support/scheduler-harness.js";
import { FakeSystemState } from "../../support/fake-system-state.js";
import { settle } from "../../support/fake-clock.js";

const daily18 = { type: "cron", expression: "0 18 * * *", timezone: "UTC" } as const;
const runsOf = (h: Harness, job: string): Run[] => h.history.list({ jobId: h.scheduler.jobs().find((each) => each.name === job)!.id, limit: 100 });
const summary = (run: Run) => ({ status: run.status, error: run.error, scheduledAt: run.scheduledAt });

describe("a run due outside its window", () => {
  it("under skip, is recorded skipped with the condition's words and nothing runs", async () => {
    const h = await createHarness({ start: "2026-12-07T17:59:00Z" });
    await h.service.addJob(jobInput({ name: "report", trigger: daily18, conditions: { between: "09:00-17:00" } }));
    await h.advance(MINUTE);
    expect(h.executor.executions).toHaveLength(0);
    expect(runsOf(h, "report").map(summary)).toEqual([{ status: "skipped", error: "outside 09:00-17:00", scheduledAt: "2026-12-07T18:00:00.000Z" }]);
  });

  it("under wait, is recorded waiting, then starts at 09:00 under the same id", async () => {
    const h = await createHarness({ start: "2026-12-07T17:59:00Z" });
    await h.service.addJob(jobInput({ name: "report", trigger: daily18, conditions: { between: "09:00-17:00" }, whenUnmet: "wait" }));
    await h.advance(MINUTE);
    const [waiting] = runsOf(h, "report");
    expect(summary(waiting!)).toEqual({ status: "waiting", error: "waiting: outside 09:00-17:00", scheduledAt: "2026-12-07T18:00:00.000Z" });
    expect((await h.service.getJob("report")).waiting).toMatchObject({ run: { id: waiting!.id }, until: null });
    expect(h.events.some((event) => event.type === "run.waiting" && event.run.id === waiting!.id)).toBe(true);

    await h.advance(15 * HOUR - SECOND);
    expect(h.executor.executions).toHaveLength(0);
    await h.advance(SECOND);
    expect(h.executor.executions).toHaveLength(1);
    expect(h.clock.now()).toBe(Date.parse("2026-12-08T09:00:00Z"));
    const [started] = runsOf(h, "report");
    expect(started).toMatchObject({ id: waiting!.id, status: "running", reason: "schedule", scheduledAt: "2026-12-07T18:00:00.000Z", startedAt: "2026-12-08T09:00:00.000Z" });
    expect((await h.service.getJob("report")).waiting).toBeNull();
    h.executor.running.at(-1)!.exit(0);
    await settle();
    expect(runsOf(h, "report").map((run) => [run.id, run.status])).toEqual([[waiting!.id, "succeeded"]]);
  });

  it("under wait up to a limit, is recorded skipped when the limit passes first", async () => {
    const h = await createHarness({ start: "2026-12-07T17:59:00Z" });
    await h.service.addJob(jobInput({ name: "report", trigger: daily18, conditions: { between: "09:00-17:00" }, whenUnmet: "wait", waitUpToSeconds: 3600 }));
    await h.advance(MINUTE);
    expect((await h.service.getJob("report")).waiting?.until).toBe("2026-12-07T19:00:00+00:00");
    await h.advance(HOUR);
    expect(runsOf(h, "report").map(summary)).toEqual([{ status: "skipped", error: "outside 09:00-17:00 (waited 1 h)", scheduledAt: "2026-12-07T18:00:00.000Z" }]);
    await h.advance(14 * HOUR);
    expect(h.executor.executions).toHaveLength(0);
  });

  it("folds the slots that fall due while it waits into itself: one run when the window opens", async () => {
    const h = await createHarness({ start: "2026-12-07T17:59:00Z" });
    await h.service.addJob(jobInput({ name: "hourly", trigger: { type: "cron", expression: "0 * * * *", timezone: "UTC" }, conditions: { between: "09:00-17:00" }, whenUnmet: "wait" }));
    await h.advance(15 * HOUR + MINUTE);
    expect(h.executor.executions).toHaveLength(1);
    expect(runsOf(h, "hourly").map(summary)).toEqual([{ status: "running", error: null, scheduledAt: "2026-12-07T18:00:00.000Z" }]);
  });
});

describe("skip dates and days", () => {
  it("a skip date's slot is recorded skipped, the next day's runs", async () => {
    const h = await createHarness({ start: "2026-12-23T23:59:00Z" });
    await h.service.addJob(jobInput({ name: "backup", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" }, conditions: { skipDates: ["2026-12-24"] } }));
    await h.advance(3 * HOUR + MINUTE);
    expect(runsOf(h, "backup").map(summary)).toEqual([{ status: "skipped", error: "skip date 2026-12-24", scheduledAt: "2026-12-24T03:00:00.000Z" }]);
    await h.advance(24 * HOUR);
    expect(h.executor.executions).toHaveLength(1);
  });

  it("a day not listed is recorded with its name", async () => {
    const h = await createHarness({ start: "2026-12-12T02:59:00Z" });
    await h.service.addJob(jobInput({ name: "backup", trigger: { type: "cron", expression: "0 3 * * *", timezone: "UTC" }, conditions: { days: ["mon", "tue", "wed", "thu", "fri"] } }));
    await h.advance(MINUTE);
    expect(runsOf(h, "backup").map((run) => run.error)).toEqual(["not on Sat"]);
  });
});

describe("power", () => {
  it("on battery under skip, the run is recorded skipped: on battery", async () => {
    const system = new FakeSystemState({ onAcPower: false });
    const h = await createHarness({ start: "2026-12-07T17:59:00Z", system });
    await h.service.addJob(jobInput({ name: "sync", trigger: daily18, conditions: { acPower: true } }));
    await h.advance(MINUTE);
    expect(runsOf(h, "sync").map(summary)).toEqual([{ status: "skipped", error: "on battery", scheduledAt: "2026-12-07T18:00:00.000Z" }]);
    expect(system.listeners).toBe(0);
  });

  it("on battery under wait, the run starts when AC returns, and the engine stops listening", async () => {
    const system = new FakeSystemState({ onAcPower: false });
    const h = await createHarness({ start: "2026-12-07T17:59:00Z", system });
    await h.service.addJob(jobInput({ name: "sync", trigger: daily18, conditions: { acPower: true }, whenUnmet: "wait" }));
    await h.advance(MINUTE);
    expect(runsOf(h, "sync").map((run) => run.status)).toEqual(["waiting"]);
    expect(system.listeners).toBe(1);
    await h.advance(10 * MINUTE);
    expect(h.executor.executions).toHaveLength(0);
    system.set({ onAcPower: true });
    await settle();
    expect(h.executor.executions).toHaveLength(1);
    expect(runsOf(h, "sync")[0]).toMatchObject({ status: "running", startedAt: "2026-12-07T18:10:00.000Z" });
    expect(system.listeners).toBe(0);
  });

  it("offline, the run is recorded skipped: offline; a machine that cannot tell runs", async () => {
    const system = new FakeSystemState({ online: false });
    const h = await createHarness({ start: "2026-12-07T17:59:00Z", system });
    await h.service.addJob(jobInput({ name: "upload", trigger: daily18, conditions: { online: true } }));
    await h.advance(MINUTE);
    expect(runsOf(h, "upload").map((run) => run.error)).toEqual(["offline"]);
    system.set({ online: null });
    await h.advance(24 * HOUR);
    expect(h.executor.executions).toHaveLength(1);
  });
});

describe("what conditions do not hold back, and what ends a wait", () => {
  it("Run now starts at once outside the window", async () => {
    const h = await createHarness({ start: "2026-12-07T20:00:00Z" });
    await h.service.addJob(jobInput({ name: "report", trigger: daily18, conditions: { between: "09:00-17:00" } }));
    const run = await h.service.runNow("report");
    expect(run.status).toBe("running");
    expect(h.executor.executions).toHaveLength(1);
  });

  it("a paused job's waiting run is recorded skipped, and clearing the conditions starts a waiting run at once", async () => {
    const h = await createHarness({ start: "2026-12-07T17:59:00Z" });
    await h.service.addJob(jobInput({ name: "a", trigger: daily18, conditions: { between: "09:00-17:00" }, whenUnmet: "wait" }));
    await h.service.addJob(jobInput({ name: "b", trigger: daily18, conditions: { between: "09:00-17:00" }, whenUnmet: "wait" }));
    await h.advance(MINUTE);
    await h.service.updateJob("a", { paused: true });
    expect(runsOf(h, "a").map(summary)).toEqual([{ status: "skipped", error: "the job was paused while it waited (outside 09:00-17:00)", scheduledAt: "2026-12-07T18:00:00.000Z" }]);
    await h.service.updateJob("b", { conditions: null });
    await h.advance(0);
    expect(runsOf(h, "b").map((run) => run.status)).toEqual(["running"]);
  });

  it("a waiting run left by a stop is recorded skipped, not as a failure", async () => {
    const h = await createHarness({ start: "2026-12-07T17:59:00Z" });
    await h.service.addJob(jobInput({ name: "report", trigger: daily18, conditions: { between: "09:00-17:00" }, whenUnmet: "wait" }));
    await h.advance(MINUTE);
    const again = await h.restart();
    expect(runsOf(again, "report").map((run) => [run.status, run.error])).toEqual([["skipped", "Sundial stopped while it waited (outside 09:00-17:00)"]]);
    expect(again.notifier.sent).toEqual([]);
  });
});

describe("runs an event trigger starts", () => {
  it("a startup run on battery waits under wait, and starts with reason startup when AC returns", async () => {
    const system = new FakeSystemState({ onAcPower: false });
    const h = await createHarness({ start: "2026-12-07T10:00:00Z", system });
    await h.service.addJob({ name: "sync", command: "true", triggers: [{ type: "startup" }], conditions: { acPower: true }, whenUnmet: "wait" });
    const again = await h.restart();
    await settle();
    const [waiting] = runsOf(again, "sync");
    expect(waiting).toMatchObject({ status: "waiting", reason: "startup", error: "waiting: on battery" });
    system.set({ onAcPower: true });
    await settle();
    expect(runsOf(again, "sync")[0]).toMatchObject({ id: waiting!.id, status: "running", reason: "startup" });
  });

  it("under skip, a startup run outside the window is recorded skipped at the moment it came", async () => {
    const h = await createHarness({ start: "2026-12-07T20:00:00Z" });
    await h.service.addJob({ name: "greet", command: "true", triggers: [{ type: "startup" }], conditions: { between: "09:00-17:00" } });
    const again = await h.restart();
    await settle();
    expect(runsOf(again, "greet").map((run) => [run.status, run.reason, run.error, run.scheduledAt])).toEqual([["skipped", "startup", "outside 09:00-17:00", "2026-12-07T20:00:00.000Z"]]);
    expect(again.executor.executions).toHaveLength(0);
  });
});
