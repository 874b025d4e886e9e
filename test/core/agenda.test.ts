import { describe, expect, it } from "vitest";
import { buildAgenda } from "../../electron/core/agenda.js";
import { AGENDA_RUNS_PER_JOB_PER_DAY } from "../../electron/shared/contract.js";
import type { JobView, TriggerSpec } from "../../electron/shared/schemas.js";
import { jobView, storedJob } from "../support/records.mjs";

const job = (name: string, triggers: TriggerSpec[], overrides: Partial<JobView> = {}): JobView => jobView(storedJob(0, { id: `j_${name}`, name, triggers }), overrides);
const cron = (expression: string, timezone?: string): TriggerSpec => ({ type: "cron", version: 1, expression, ...(timezone ? { timezone } : {}) });
const at = (list: { jobName: string; at: string }[]) => list.map((run) => `${run.at} ${run.jobName}`);

describe("the agenda (issue 17)", () => {
  it("counts days in the zone asked for, across a daylight-saving change (23-hour day)", () => {
    // Europe/Berlin springs forward on 2026-03-29 at 02:00.
    const agenda = buildAgenda([job("nightly", [cron("30 2 * * *", "Europe/Berlin")]), job("noon", [cron("0 12 * * *", "Europe/Berlin")])], {
      fromMs: Date.parse("2026-03-28T00:00:00+01:00"),
      days: 3,
      zone: "Europe/Berlin",
    });
    expect(agenda.days.map((day) => day.date)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(agenda.until).toBe("2026-03-31T00:00:00+02:00");
    // 02:30 does not exist on the 29th: the cron rule runs it at 03:00 (the gap's end).
    expect(agenda.days.map((day) => at(day.runs))).toEqual([
      ["2026-03-28T02:30:00+01:00 nightly", "2026-03-28T12:00:00+01:00 noon"],
      ["2026-03-29T03:00:00+02:00 nightly", "2026-03-29T12:00:00+02:00 noon"],
      ["2026-03-30T02:30:00+02:00 nightly", "2026-03-30T12:00:00+02:00 noon"],
    ]);
  });

  it("merges a job's triggers (one instant once) and caps a job's runs per day, saying there are more", () => {
    const busy = job("busy", [cron("*/5 * * * *", "UTC"), cron("0 * * * *", "UTC")]);
    const agenda = buildAgenda([busy], { fromMs: Date.parse("2030-01-01T00:00:00Z"), days: 1, zone: "UTC" });
    const runs = agenda.days[0]!.runs;
    expect(runs).toHaveLength(AGENDA_RUNS_PER_JOB_PER_DAY);
    expect(new Set(runs.map((run) => run.at)).size).toBe(runs.length);
    // Strictly after `from`; 01:00 and 02:00 come from both triggers and are listed once.
    expect(runs[0]!.at).toBe("2030-01-01T00:05:00+00:00");
    expect(runs.at(-1)!.at).toBe("2030-01-01T02:00:00+00:00");
    expect(agenda.days[0]!.more).toEqual([{ jobId: "j_busy", jobName: "busy" }]);
  });

  it("leaves out paused, finished, broken and event-only jobs, and every run before a global pause ends", () => {
    const jobs = [
      job("active", [cron("0 6 * * *", "UTC")]),
      job("paused", [cron("0 7 * * *", "UTC")], { paused: true }),
      job("finished", [{ type: "date", version: 1, at: "2029-12-31T00:00:00.000Z" }], { finished: true }),
      job("broken", [cron("0 8 * * *", "UTC")], { problem: "unknown time zone" }),
      job("on-login", [{ type: "startup", version: 1 }]),
      job("manual", []),
    ];
    const from = Date.parse("2030-01-01T00:00:00Z");
    expect(buildAgenda(jobs, { fromMs: from, days: 2, zone: "UTC" }).days.map((day) => at(day.runs))).toEqual([["2030-01-01T06:00:00+00:00 active"], ["2030-01-02T06:00:00+00:00 active"]]);
    const paused = buildAgenda(jobs, { fromMs: from, days: 2, zone: "UTC", pausedUntilMs: Date.parse("2030-01-01T12:00:00Z") });
    expect(paused.days.map((day) => at(day.runs))).toEqual([[], ["2030-01-02T06:00:00+00:00 active"]]);
    expect(buildAgenda(jobs, { fromMs: from, days: 2, zone: "UTC", pausedUntilMs: Infinity }).days.every((day) => day.runs.length === 0)).toBe(true);
  });

  it("with a limit, lists the soonest runs in all, the same as the full agenda's first ones, ties included", () => {
    const jobs = [
      job("hourly", [cron("0 * * * *", "UTC")]),
      job("quarter", [cron("*/15 * * * *", "UTC")]),
      job("night", [cron("0 2 * * *", "UTC")]),
      job("late", [cron("0 23 * * *", "UTC")]),
    ];
    const options = { fromMs: Date.parse("2030-01-01T00:20:00Z"), days: 2, zone: "UTC" };
    const full = buildAgenda(jobs, options).days.flatMap((day) => day.runs);
    for (const limit of [1, 3, 6]) {
      const limited = buildAgenda(jobs, { ...options, limit });
      expect(limited.days.flatMap((day) => day.runs)).toEqual(full.slice(0, limit));
      expect(limited.days).toHaveLength(2);
    }
    expect(at(buildAgenda(jobs, { ...options, limit: 3 }).days[0]!.runs)).toEqual(["2030-01-01T00:30:00+00:00 quarter", "2030-01-01T00:45:00+00:00 quarter", "2030-01-01T01:00:00+00:00 hourly"]);
  });
});
