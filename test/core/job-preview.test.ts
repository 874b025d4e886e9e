/**
 * A job's preview (issue 15): the engine's own triggers, the earliest over them, with the
 * job's conditions applied, as `sundial next` shows it. 2026-12-11 is a Friday.
 */
import { describe, expect, it } from "vitest";
import { previewJob } from "../../electron/core/job-preview.js";

describe("a job's preview (the engine's triggers with its conditions)", () => {
  it("takes the earliest over its time triggers, then applies the conditions", () => {
    const job = {
      triggers: [
        { type: "cron", version: 1, expression: "0 8 * * *", timezone: "UTC" },
        { type: "cron", version: 1, expression: "0 12 * * *", timezone: "UTC" },
      ] as const,
      conditions: { days: ["mon", "tue", "wed", "thu", "fri"] as ("mon" | "tue" | "wed" | "thu" | "fri")[], between: "10:00-17:00" },
    };
    // Friday 2026-12-11: 08:00 is outside the window, 12:00 is in; the weekend is skipped.
    const times = previewJob({ ...job, triggers: [...job.triggers] }, new Date("2026-12-11T00:00:00Z"), 2).map((time) => time.toISOString());
    expect(times).toEqual(["2026-12-11T12:00:00.000Z", "2026-12-14T12:00:00.000Z"]);
  });
});
