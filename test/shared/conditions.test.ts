/**
 * The run conditions' rules (issue 15), pure: windows that wrap midnight, weekdays, skip
 * dates and ranges, DST days in a zone, when the clock conditions next hold, and how a
 * preview applies them. Fixed dates; 2026-12-07 is a Monday.
 */
import { describe, expect, it } from "vitest";
import {
  nextTimeConditionsMet,
  readDayList,
  readSkipDate,
  readTimeWindow,
  timesWithConditions,
  unmetCondition,
  unmetTimeCondition,
  type RunConditions,
} from "../../electron/shared/conditions.js";
import { conditionsInWords, unmetConditionWords } from "../../electron/shared/wording.js";
import { RunConditionsSchema } from "../../electron/shared/schemas.js";

const at = (iso: string) => Date.parse(iso);
const words = (conditions: RunConditions, iso: string, zone = "UTC") => {
  const unmet = unmetTimeCondition(conditions, at(iso), zone);
  return unmet ? unmetConditionWords(unmet) : null;
};
const ON = { onAcPower: true, online: true };

describe("between", () => {
  it("holds from its start up to, not including, its end", () => {
    const workHours = { between: "09:00-17:00" };
    expect(words(workHours, "2026-12-07T08:59:59Z")).toBe("outside 09:00-17:00");
    expect(words(workHours, "2026-12-07T09:00:00Z")).toBeNull();
    expect(words(workHours, "2026-12-07T16:59:59Z")).toBeNull();
    expect(words(workHours, "2026-12-07T17:00:00Z")).toBe("outside 09:00-17:00");
    expect(words(workHours, "2026-12-07T18:00:00Z")).toBe("outside 09:00-17:00");
  });

  it("wraps past midnight when it ends before it starts", () => {
    const night = { between: "22:00-06:00" };
    expect(words(night, "2026-12-07T21:59:00Z")).toBe("outside 22:00-06:00");
    expect(words(night, "2026-12-07T22:00:00Z")).toBeNull();
    expect(words(night, "2026-12-07T23:59:00Z")).toBeNull();
    expect(words(night, "2026-12-08T00:00:00Z")).toBeNull();
    expect(words(night, "2026-12-08T05:59:00Z")).toBeNull();
    expect(words(night, "2026-12-08T06:00:00Z")).toBe("outside 22:00-06:00");
  });

  it("is read in the job's zone", () => {
    // 14:00 UTC is 09:00 in New York (EST, UTC-5) and 15:00 in Paris.
    expect(words({ between: "09:00-17:00" }, "2026-12-07T14:00:00Z", "America/New_York")).toBeNull();
    expect(words({ between: "09:00-17:00" }, "2026-12-07T13:59:00Z", "America/New_York")).toBe("outside 09:00-17:00");
    expect(words({ between: "16:00-18:00" }, "2026-12-07T14:00:00Z", "Europe/Paris")).toBe("outside 16:00-18:00");
  });

  it("refuses a time that is not of the day, and a window of no length", () => {
    expect(readTimeWindow("25:00-26:00").problem).toBe('"25:00-26:00": 25:00 is not a time of day (00:00 to 23:59)');
    expect(readTimeWindow("09:60-10:00").problem).toMatch(/09:60 is not a time of day/);
    expect(readTimeWindow("9-17").problem).toBe('"9-17" must be HH:MM-HH:MM (e.g. 09:00-17:00)');
    expect(readTimeWindow("10:00-10:00").problem).toMatch(/starts and ends at the same time/);
    expect(readTimeWindow("9:30-17:00").window).toEqual({ startMinute: 570, endMinute: 1020 });
  });
});

describe("days", () => {
  it("reads names, lists and ranges, and a range that wraps the weekend", () => {
    expect(readDayList("mon-fri").days).toEqual(["mon", "tue", "wed", "thu", "fri"]);
    expect(readDayList("mon,wed,fri").days).toEqual(["mon", "wed", "fri"]);
    expect(readDayList("sat-sun").days).toEqual(["sat", "sun"]);
    expect(readDayList("fri-mon").days).toEqual(["mon", "fri", "sat", "sun"]);
    expect(readDayList("Monday, TUES").days).toEqual(["mon", "tue"]);
  });

  it("refuses an empty list and an unknown day, naming it", () => {
    expect(readDayList("").problem).toBe("must name at least one day (e.g. mon-fri, sat,sun)");
    expect(readDayList(" , ").problem).toBe("must name at least one day (e.g. mon-fri, sat,sun)");
    expect(readDayList("mon,funday").problem).toBe('"funday" is not a day; use mon, tue, wed, thu, fri, sat, sun (or a range such as mon-fri)');
    expect(readDayList("mon-xyz").problem).toMatch(/^"xyz" is not a day/);
  });

  it("holds on the listed days of the job's zone only", () => {
    const weekdays = { days: readDayList("mon-fri").days! };
    expect(words(weekdays, "2026-12-07T12:00:00Z")).toBeNull();
    expect(words(weekdays, "2026-12-12T12:00:00Z")).toBe("not on Sat");
    // Saturday 01:00 in UTC is still Friday evening in New York.
    expect(words(weekdays, "2026-12-12T01:00:00Z", "America/New_York")).toBeNull();
  });
});

describe("skip dates", () => {
  it("skips a date and every date of a range, both ends included", () => {
    const holidays = { skipDates: ["2026-12-24", "2026-12-31..2027-01-02"] };
    expect(words(holidays, "2026-12-23T12:00:00Z")).toBeNull();
    expect(words(holidays, "2026-12-24T00:00:00Z")).toBe("skip date 2026-12-24");
    expect(words(holidays, "2026-12-24T23:59:59Z")).toBe("skip date 2026-12-24");
    expect(words(holidays, "2026-12-31T08:00:00Z")).toBe("skip date 2026-12-31");
    expect(words(holidays, "2027-01-02T08:00:00Z")).toBe("skip date 2027-01-02");
    expect(words(holidays, "2027-01-03T08:00:00Z")).toBeNull();
  });

  it("refuses a range that ends before it starts, and a date not on the calendar", () => {
    expect(readSkipDate("2026-12-31..2026-12-24").problem).toBe('"2026-12-31..2026-12-24" ends before it starts');
    expect(readSkipDate("2026-02-30").problem).toBe('"2026-02-30" is not a date on the calendar');
    expect(readSkipDate("24.12.2026").problem).toBe('"24.12.2026" must be a date YYYY-MM-DD');
  });
});

describe("power and network", () => {
  it("is unmet on battery or offline, and holds when the machine cannot tell", () => {
    const both: RunConditions = { acPower: true, online: true };
    const unmet = (readings: { onAcPower: boolean | null; online: boolean | null }) => {
      const found = unmetCondition(both, at("2026-12-07T12:00:00Z"), "UTC", readings);
      return found ? unmetConditionWords(found) : null;
    };
    expect(unmet(ON)).toBeNull();
    expect(unmet({ onAcPower: false, online: true })).toBe("on battery");
    expect(unmet({ onAcPower: true, online: false })).toBe("offline");
    expect(unmet({ onAcPower: null, online: null })).toBeNull();
  });
});

describe("when the clock conditions next hold", () => {
  it("is the window's next start, the same day or the next", () => {
    const workHours = { between: "09:00-17:00" };
    expect(nextTimeConditionsMet(workHours, at("2026-12-07T18:00:00Z"), "UTC")).toBe(at("2026-12-08T09:00:00Z"));
    expect(nextTimeConditionsMet(workHours, at("2026-12-07T07:30:00Z"), "UTC")).toBe(at("2026-12-07T09:00:00Z"));
    expect(nextTimeConditionsMet(workHours, at("2026-12-07T10:00:00Z"), "UTC")).toBe(at("2026-12-07T10:00:00Z"));
  });

  it("steps over days not listed and skipped dates", () => {
    const conditions = { between: "09:00-17:00", days: readDayList("mon-fri").days!, skipDates: ["2026-12-14"] };
    // Friday 18:00 → Monday is skipped → Tuesday 09:00.
    expect(nextTimeConditionsMet(conditions, at("2026-12-11T18:00:00Z"), "UTC")).toBe(at("2026-12-15T09:00:00Z"));
    // Saturday, no window: Monday at midnight.
    expect(nextTimeConditionsMet({ days: ["mon"] }, at("2026-12-12T10:00:00Z"), "UTC")).toBe(at("2026-12-14T00:00:00Z"));
  });

  it("returns null when they do not hold before the limit", () => {
    expect(nextTimeConditionsMet({ between: "09:00-17:00" }, at("2026-12-07T18:00:00Z"), "UTC", at("2026-12-08T08:59:59Z"))).toBeNull();
  });

  it("on a spring-forward day, holds from the jump when the window starts in the gap", () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC). 02:30 does not exist.
    const early = { between: "02:30-04:00" };
    expect(nextTimeConditionsMet(early, at("2026-03-08T05:00:00Z"), "America/New_York")).toBe(at("2026-03-08T07:00:00Z"));
    expect(words(early, "2026-03-08T07:00:00Z", "America/New_York")).toBeNull();
  });

  it("on a fall-back day, holds through the repeated hour and from the window's first occurrence", () => {
    // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00 UTC); 01:xx happens twice.
    const repeated = { between: "01:00-02:00" };
    expect(nextTimeConditionsMet(repeated, at("2026-11-01T04:00:00Z"), "America/New_York")).toBe(at("2026-11-01T05:00:00Z"));
    expect(words(repeated, "2026-11-01T05:30:00Z", "America/New_York")).toBeNull();
    expect(words(repeated, "2026-11-01T06:30:00Z", "America/New_York")).toBeNull();
    expect(words(repeated, "2026-11-01T07:00:00Z", "America/New_York")).toBe("outside 01:00-02:00");
  });
});

describe("fire times with the conditions applied (sundial next)", () => {
  const hourly = Array.from({ length: 48 }, (_, hour) => at("2026-12-07T00:00:00Z") + hour * 3_600_000);

  it("skip leaves out the times outside the window", () => {
    const times = timesWithConditions(hourly, { between: "09:00-12:00" }, "skip", undefined, "UTC");
    expect(times.map((time) => new Date(time).toISOString())).toEqual([
      "2026-12-07T09:00:00.000Z",
      "2026-12-07T10:00:00.000Z",
      "2026-12-07T11:00:00.000Z",
      "2026-12-08T09:00:00.000Z",
      "2026-12-08T10:00:00.000Z",
      "2026-12-08T11:00:00.000Z",
    ]);
  });

  it("wait moves a time to the window's start, and the times that meet it make one run", () => {
    const daily18 = [at("2026-12-07T18:00:00Z"), at("2026-12-08T18:00:00Z")];
    expect(timesWithConditions(daily18, { between: "09:00-17:00" }, "wait", undefined, "UTC")).toEqual([at("2026-12-08T09:00:00Z"), at("2026-12-09T09:00:00Z")]);
    const times = timesWithConditions(hourly.slice(0, 12), { between: "09:00-12:00" }, "wait", undefined, "UTC");
    expect(times.map((time) => new Date(time).toISOString())).toEqual(["2026-12-07T09:00:00.000Z", "2026-12-07T10:00:00.000Z", "2026-12-07T11:00:00.000Z"]);
  });

  it("wait up to a limit leaves out a time that would wait longer", () => {
    const daily18 = [at("2026-12-07T18:00:00Z")];
    expect(timesWithConditions(daily18, { between: "09:00-17:00" }, "wait", 3600, "UTC")).toEqual([]);
    expect(timesWithConditions(daily18, { between: "09:00-17:00" }, "wait", 15 * 3600, "UTC")).toEqual([at("2026-12-08T09:00:00Z")]);
  });
});

describe("the schema and the words", () => {
  it("names the field of each problem", () => {
    const result = RunConditionsSchema.safeParse({ between: "25:00-26:00", days: [], skipDates: ["2026-12-31..2026-12-01", "2026-13-01"], acPower: false });
    expect(result.success).toBe(false);
    const problems = result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(problems).toEqual([
      'between: "25:00-26:00": 25:00 is not a time of day (00:00 to 23:59)',
      "days: must name at least one day (leave it out for every day)",
      'skipDates.0: "2026-12-31..2026-12-01" ends before it starts',
      'skipDates.1: "2026-13-01" is not a date on the calendar',
      "acPower: must be true (leave it out when power does not matter)",
    ]);
  });

  it("stores a window and days in one spelling", () => {
    expect(RunConditionsSchema.parse({ between: "9:00-17:00", days: ["fri", "mon", "mon"] })).toEqual({ between: "09:00-17:00", days: ["mon", "fri"] });
  });

  it("reads a job's conditions in words", () => {
    expect(conditionsInWords({ between: "09:00-17:00", days: ["mon", "tue", "wed", "thu", "fri"], skipDates: ["2026-12-24"], acPower: true, online: true }, "wait", 3600)).toEqual([
      "between 09:00-17:00",
      "on Mon-Fri",
      "not on 2026-12-24",
      "on AC power",
      "online",
      "else wait up to 1 hour",
    ]);
    expect(conditionsInWords({ days: ["sat", "sun"] })).toEqual(["on Sat, Sun", "else skip"]);
    expect(conditionsInWords(undefined)).toEqual([]);
  });
});
