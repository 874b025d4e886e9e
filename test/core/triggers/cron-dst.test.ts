import { describe, expect, it } from "vitest";
import { cron, cronFires } from "./helpers.js";

// Golden fire times across DST changes (DESIGN.md "Semantics to get right"). Transitions used:
// - America/New_York 2026: 03-08 02:00 EST → 03:00 EDT (07:00Z); 11-01 02:00 EDT → 01:00 EST (06:00Z)
// - Europe/Berlin 2026:    03-29 02:00 CET → 03:00 CEST (01:00Z); 10-25 03:00 CEST → 02:00 CET (01:00Z)
// - America/Havana 2026:   03-08 00:00 CST → 01:00 CDT (05:00Z); 11-01 01:00 CDT → 00:00 CST (05:00Z),
//   so midnight itself is skipped in March and repeated in November
// - America/Santiago 2026: 04-05 00:00 → 04-04 23:00 (−03 → −04); 09-06 00:00 → 01:00 (−04 → −03)
const NY = "America/New_York";
const BERLIN = "Europe/Berlin";
const HAVANA = "America/Havana";
const SANTIAGO = "America/Santiago";

function gapsInMinutes(expression: string, zone: string, fromIso: string, count: number): number[] {
  const trigger = cron(expression, zone);
  const gaps: number[] = [];
  let previous = new Date(fromIso);
  for (let i = 0; i < count; i++) {
    const next = trigger.next(previous)!;
    if (i > 0) gaps.push((next.getTime() - previous.getTime()) / 60_000);
    previous = next;
  }
  return gaps;
}

describe("a fixed-time job whose wall time falls in a spring-forward gap", () => {
  it("runs once at the instant of the jump (New York 02:30 → 03:00 EDT)", () => {
    expect(cronFires("30 2 * * *", NY, "2026-03-07T12:00:00Z", 3)).toEqual([
      "2026-03-08T03:00:00-04:00",
      "2026-03-09T02:30:00-04:00",
      "2026-03-10T02:30:00-04:00",
    ]);
  });

  it("runs once at the instant of the jump (Berlin 02:30 → 03:00 CEST)", () => {
    expect(cronFires("30 2 * * *", BERLIN, "2026-03-28T12:00:00Z", 2)).toEqual([
      "2026-03-29T03:00:00+02:00",
      "2026-03-30T02:30:00+02:00",
    ]);
  });

  it("runs once for several wall times lost in the same gap", () => {
    expect(cronFires("0,20,40 2 * * *", NY, "2026-03-07T12:00:00Z", 2)).toEqual([
      "2026-03-08T03:00:00-04:00",
      "2026-03-09T02:00:00-04:00",
    ]);
  });

  it("runs a lost wall time and a later wall time of that morning separately", () => {
    expect(cronFires("30 2,3 * * *", NY, "2026-03-07T12:00:00Z", 4)).toEqual([
      "2026-03-08T03:00:00-04:00",
      "2026-03-08T03:30:00-04:00",
      "2026-03-09T02:30:00-04:00",
      "2026-03-09T03:30:00-04:00",
    ]);
  });

  it("runs a midnight job at 01:00 where midnight itself is skipped (Havana, Santiago)", () => {
    expect(cronFires("@midnight", HAVANA, "2026-03-07T12:00:00Z", 2)).toEqual([
      "2026-03-08T01:00:00-04:00",
      "2026-03-09T00:00:00-04:00",
    ]);
    expect(cronFires("@daily", SANTIAGO, "2026-09-05T12:00:00Z", 2)).toEqual([
      "2026-09-06T01:00:00-03:00",
      "2026-09-07T00:00:00-03:00",
    ]);
  });
});

describe("a fixed-time job whose wall time repeats in a fall-back", () => {
  it("runs once, in the first occurrence (New York 01:30 EDT)", () => {
    expect(cronFires("30 1 * * *", NY, "2026-10-31T12:00:00Z", 2)).toEqual([
      "2026-11-01T01:30:00-04:00",
      "2026-11-02T01:30:00-05:00",
    ]);
  });

  it("runs once, in the first occurrence (Berlin 02:30 CEST)", () => {
    expect(cronFires("30 2 * * *", BERLIN, "2026-10-24T12:00:00Z", 2)).toEqual([
      "2026-10-25T02:30:00+02:00",
      "2026-10-26T02:30:00+01:00",
    ]);
  });

  it("does not run again when asked from inside the repeated hour (cron-parser 5.10 would)", () => {
    // 06:10Z is 01:10 EST, the second pass through 01:xx; 01:30 already ran at 05:30Z.
    expect(cronFires("30 1 * * *", NY, "2026-11-01T06:10:00Z", 1)).toEqual(["2026-11-02T01:30:00-05:00"]);
    // 05:40Z is 01:40 EDT, right after the run in the first pass.
    expect(cronFires("30 1 * * *", NY, "2026-11-01T05:40:00Z", 1)).toEqual(["2026-11-02T01:30:00-05:00"]);
    // 01:10Z is 02:10 CET, the second pass through Berlin's 02:xx.
    expect(cronFires("30 2 * * *", BERLIN, "2026-10-25T01:10:00Z", 1)).toEqual(["2026-10-26T02:30:00+01:00"]);
  });

  it("still runs in the first pass when asked before the wall time is reached", () => {
    expect(cronFires("30 1 * * *", NY, "2026-11-01T05:10:00Z", 1)).toEqual(["2026-11-01T01:30:00-04:00"]);
  });

  it("runs every listed minute of a fixed hour once, all in the first pass", () => {
    expect(cronFires("*/20 1 * * *", NY, "2026-11-01T04:50:00Z", 4)).toEqual([
      "2026-11-01T01:00:00-04:00",
      "2026-11-01T01:20:00-04:00",
      "2026-11-01T01:40:00-04:00",
      "2026-11-02T01:00:00-05:00",
    ]);
  });

  it("runs a midnight job at the first of two midnights (Havana; cron-parser 5.10 picks the second)", () => {
    expect(cronFires("0 0 * * *", HAVANA, "2026-10-31T12:00:00Z", 2)).toEqual([
      "2026-11-01T00:00:00-04:00",
      "2026-11-02T00:00:00-05:00",
    ]);
    expect(cronFires("@midnight", HAVANA, "2026-11-01T04:30:00Z", 1)).toEqual(["2026-11-02T00:00:00-05:00"]);
  });

  it("runs a midnight job once where 23:xx repeats before it, and 23:30 in the first pass (Santiago)", () => {
    expect(cronFires("0 0 * * *", SANTIAGO, "2026-04-03T12:00:00Z", 2)).toEqual([
      "2026-04-04T00:00:00-03:00",
      "2026-04-05T00:00:00-04:00",
    ]);
    expect(cronFires("30 23 * * *", SANTIAGO, "2026-04-04T12:00:00Z", 2)).toEqual([
      "2026-04-04T23:30:00-03:00",
      "2026-04-05T23:30:00-04:00",
    ]);
  });
});

describe("a job with a wildcard hour", () => {
  it("keeps real elapsed time across a spring-forward (New York */15)", () => {
    expect(cronFires("*/15 * * * *", NY, "2026-03-08T06:30:00Z", 3)).toEqual([
      "2026-03-08T01:45:00-05:00",
      "2026-03-08T03:00:00-04:00",
      "2026-03-08T03:15:00-04:00",
    ]);
    expect(gapsInMinutes("*/15 * * * *", NY, "2026-03-08T05:00:00Z", 12)).toEqual(Array(11).fill(15));
  });

  it("fires in both copies of the repeated hour in a fall-back (New York */15)", () => {
    expect(cronFires("*/15 * * * *", NY, "2026-11-01T05:30:00Z", 6)).toEqual([
      "2026-11-01T01:45:00-04:00",
      "2026-11-01T01:00:00-05:00",
      "2026-11-01T01:15:00-05:00",
      "2026-11-01T01:30:00-05:00",
      "2026-11-01T01:45:00-05:00",
      "2026-11-01T02:00:00-05:00",
    ]);
    expect(gapsInMinutes("*/15 * * * *", NY, "2026-11-01T04:00:00Z", 16)).toEqual(Array(15).fill(15));
  });

  it("continues in the second copy when asked from inside it", () => {
    expect(cronFires("*/15 * * * *", NY, "2026-11-01T06:20:00Z", 2)).toEqual([
      "2026-11-01T01:30:00-05:00",
      "2026-11-01T01:45:00-05:00",
    ]);
  });

  it("fires hourly on elapsed time through both changes (New York and Berlin)", () => {
    expect(cronFires("0 * * * *", NY, "2026-03-08T06:30:00Z", 2)).toEqual([
      "2026-03-08T03:00:00-04:00",
      "2026-03-08T04:00:00-04:00",
    ]);
    expect(cronFires("0 * * * *", NY, "2026-11-01T04:30:00Z", 3)).toEqual([
      "2026-11-01T01:00:00-04:00",
      "2026-11-01T01:00:00-05:00",
      "2026-11-01T02:00:00-05:00",
    ]);
    expect(cronFires("0 * * * *", BERLIN, "2026-03-29T00:30:00Z", 2)).toEqual([
      "2026-03-29T03:00:00+02:00",
      "2026-03-29T04:00:00+02:00",
    ]);
    expect(cronFires("@hourly", BERLIN, "2026-10-24T23:30:00Z", 3)).toEqual([
      "2026-10-25T02:00:00+02:00",
      "2026-10-25T02:00:00+01:00",
      "2026-10-25T03:00:00+01:00",
    ]);
  });

  it("fires every 30 minutes of both copies in Berlin's fall-back", () => {
    expect(cronFires("*/30 * * * *", BERLIN, "2026-10-25T00:10:00Z", 4)).toEqual([
      "2026-10-25T02:30:00+02:00",
      "2026-10-25T02:00:00+01:00",
      "2026-10-25T02:30:00+01:00",
      "2026-10-25T03:00:00+01:00",
    ]);
  });

  it("counts an hour step written with * (0 */2) as a wildcard hour, as Vixie cron does", () => {
    // Pinned choice: 02:00 is in Berlin's repeated hour, so the job runs in both copies.
    expect(cronFires("0 */2 * * *", BERLIN, "2026-10-24T23:30:00Z", 3)).toEqual([
      "2026-10-25T02:00:00+02:00",
      "2026-10-25T02:00:00+01:00",
      "2026-10-25T04:00:00+01:00",
    ]);
  });
});
