import { describe, expect, it } from "vitest";
import { jobStatsOf } from "../../electron/core/job-stats.js";
import { STATS_RECENT_RUNS } from "../../electron/shared/contract.js";
import type { RunStatus } from "../../electron/shared/schemas.js";
import { median, percentile } from "../../electron/shared/stats.js";

const T0 = Date.parse("2026-03-02T09:00:00Z");
const run = (index: number, status: RunStatus, durationMs: number | null) => ({ runId: `r_${index}`, status, at: T0 + index * 60_000, durationMs });

describe("a job's stats (issue 17)", () => {
  it("rates success over the runs that succeeded or failed, and times only the runs that ran to an end", () => {
    const stats = jobStatsOf("j_a", [
      run(0, "succeeded", 100),
      run(1, "failed", 400),
      run(2, "cancelled", 50_000),
      run(3, "skipped", null),
      run(4, "succeeded", 200),
      run(5, "timed_out", 900),
      run(6, "running", null),
    ]);
    expect(stats).toMatchObject({ jobId: "j_a", runs: 7, succeeded: 2, failed: 2, successRate: 0.5, durationMedianMs: 300, durationP95Ms: 900 });
    expect(stats.recent.map((bar) => bar.runId)).toEqual(["r_0", "r_1", "r_2", "r_3", "r_4", "r_5", "r_6"]);
    expect(stats.recent[0]!.startedAt).toBe("2026-03-02T09:00:00.000Z");
  });

  it("has no rate or durations before any run ended, and charts only the newest runs", () => {
    expect(jobStatsOf("j_a", [])).toMatchObject({ runs: 0, successRate: null, durationMedianMs: null, durationP95Ms: null, recent: [] });
    const many = Array.from({ length: STATS_RECENT_RUNS + 5 }, (_, index) => run(index, "succeeded", index));
    expect(jobStatsOf("j_a", many).recent.map((bar) => bar.runId)).toEqual(many.slice(5).map((entry) => entry.runId));
  });

  it("takes the median as the middle value (the mean of the two middle ones) and the 95th percentile by nearest rank", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2], 95)).toBe(2);
    expect(percentile([], 95)).toBeNull();
  });
});
