/**
 * Issue 10, item 1, the scheduler's own defence: whatever a trigger answers — NaN, a time
 * past year 275760, a time that does not move forward, an exception — the job is finished
 * and shown as broken with the reason, a warning is logged, and the engine goes on.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { IntervalTrigger } from "../../../electron/core/triggers/index.js";
import { createHarness, jobInput, MINUTE } from "../../support/scheduler-harness.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a trigger that answers an impossible next run time", () => {
  it.each<[string, () => Date]>([
    ["NaN (an Invalid Date)", () => new Date(Number.NaN)],
    ["a time past year 275760", () => new Date(8.64e15 + 1)],
    ["a time past year 9999", () => new Date(Date.UTC(10_000, 0, 1))],
    ["a time that does not move forward", () => new Date("2026-03-02T09:00:00Z")],
    ["an exception", () => {
      throw new RangeError("Invalid time value");
    }],
  ])("%s: the job is broken with the reason, views work, the other jobs run", async (_what, answer) => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "healthy", trigger: { type: "cron", expression: "*/5 * * * *" } }));
    await h.service.addJob(jobInput({ name: "odd", trigger: { type: "interval", everySeconds: 60 } }));
    // From now on the interval answers nonsense: the next time the scheduler asks is after its first run.
    vi.spyOn(IntervalTrigger.prototype, "next").mockImplementation(answer);
    await h.advance(5 * MINUTE);

    const broken = await h.service.getJob("odd");
    expect(broken.nextRunAt).toBeNull();
    expect(broken.finished).toBe(false);
    expect(broken.problem).toMatch(/trigger (gave an impossible next run time|failed)/);
    expect(h.log.join("\n")).toMatch(/job "odd" .* will not run/);
    expect((await h.service.listJobs()).map((job) => job.name).sort()).toEqual(["healthy", "odd"]);
    expect((await h.service.status()).nextRun?.jobName).toBe("healthy");
    const runs = await h.service.history({ limit: 100 });
    expect(runs.map((run) => run.jobName).sort()).toEqual(["healthy", "odd"]);
  });
});
