import { describe, expect, it } from "vitest";
import { cronKeywords } from "../../electron/shared/wording.js";

describe("the everyday words a cron schedule is searched by", () => {
  it("calls Monday to Friday weekdays, in numbers, names or with seconds", () => {
    expect(cronKeywords("30 8 * * 1-5")).toContain("weekdays");
    expect(cronKeywords("30 8 * * MON-FRI")).toContain("weekdays");
    expect(cronKeywords("30 8 * * 1,2,3,4,5")).toContain("weekdays");
    expect(cronKeywords("0 30 8 * * 1-5")).toContain("weekdays");
  });

  it("calls Saturday and Sunday weekends, Sunday written 0 or 7", () => {
    expect(cronKeywords("0 10 * * 0,6")).toContain("weekends");
    expect(cronKeywords("0 10 * * 6-7")).toContain("weekends");
    expect(cronKeywords("0 10 * * sat,sun")).toContain("weekends");
  });

  it("calls a fixed time every day daily, and a fixed minute every hour hourly", () => {
    expect(cronKeywords("0 3 * * *")).toEqual(["daily", "every day"]);
    expect(cronKeywords("@daily")).toEqual(["daily", "every day"]);
    expect(cronKeywords("15 * * * *")).toEqual(["hourly", "every hour"]);
  });

  it("adds nothing for other schedules or for what it cannot read", () => {
    expect(cronKeywords("*/15 * * * *")).toEqual([]);
    expect(cronKeywords("30 8 * * 1-4")).toEqual([]);
    expect(cronKeywords("0 0 1 * *")).toEqual([]);
    expect(cronKeywords("0 3 * * 5L")).toEqual([]);
    expect(cronKeywords("nonsense")).toEqual([]);
  });
});
