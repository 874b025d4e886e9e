import { describe, expect, test } from "vitest";
import { formatAgo, formatLeft, formatSpan, formatWallTime, renderTable } from "../../../electron/daemon/cli/format.js";

describe("times for people", () => {
  test("spans show the two largest adjacent units", () => {
    expect(formatSpan(45_000)).toBe("45s");
    expect(formatSpan((4 * 3600 + 12 * 60 + 5) * 1000)).toBe("4h 12m");
    expect(formatSpan((40 * 86_400 + 3 * 3600) * 1000)).toBe("40d 3h");
    expect(formatSpan((86_400 + 5 * 60) * 1000)).toBe("1d");
    expect(formatSpan(0)).toBe("0s");
  });

  test("LEFT and LAST read like systemctl list-timers", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(formatLeft(new Date("2026-11-25T16:12:00Z"), now)).toBe("in 4h 12m");
    expect(formatLeft(new Date("2026-11-25T11:59:59Z"), now)).toBe("now");
    expect(formatAgo(new Date("2026-11-25T11:57:00Z"), now)).toBe("3m ago");
  });

  test("wall times are shown in the requested zone, with its offset on request", () => {
    const date = new Date("2026-11-25T15:00:00Z");
    expect(formatWallTime(date, "Europe/Berlin")).toBe("Wed 2026-11-25 16:00:00");
    expect(formatWallTime(date, "America/St_Johns", true)).toBe("Wed 2026-11-25 11:30:00 -03:30");
  });

  test("tables pad every column but the last", () => {
    expect(renderTable(["A", "BB", "C"], [["xyz", "1", "last one"]])).toBe("A    BB  C\nxyz  1   last one");
  });
});
