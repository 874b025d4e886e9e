import { describe, expect, it } from "vitest";
import { COLUMN_PAGE_ROWS, DifferenceColumn } from "../../../electron/core/store/paged-column.js";

const T = Date.parse("2025-03-10T12:00:00Z");
const DAY = 86_400_000;

describe("DifferenceColumn", () => {
  it("gives back every number exactly: ends, slots and durations near their time, far from it, missing or odd", () => {
    const column = new DifferenceColumn();
    const values = [T, T + 2_040, T - 40, T + 24 * DAY, T + 30 * DAY, T - 400 * DAY, NaN, T + 0.5, 0, 2_000, 2 ** 31, -(2 ** 31), Infinity, Number.MAX_SAFE_INTEGER];
    column.reserve(COLUMN_PAGE_ROWS * 2);
    values.forEach((value, index) => column.set(index + COLUMN_PAGE_ROWS - 3, value, T));
    values.forEach((value, index) => expect(column.get(index + COLUMN_PAGE_ROWS - 3, T)).toBe(value));
  });

  it("forgets a value kept apart once its row holds another", () => {
    const column = new DifferenceColumn();
    column.reserve(1);
    column.set(0, T + 90 * DAY, T);
    column.set(0, T + 1, T);
    expect(column.get(0, T)).toBe(T + 1);
  });
});
