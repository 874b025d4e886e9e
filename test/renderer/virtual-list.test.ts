// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import JobsTable from "../../renderer/src/components/JobsTable.svelte";
import type { JobActions } from "../../renderer/src/lib/state/app.svelte.js";
import { rowWindow } from "../../renderer/src/lib/virtual-rows.js";
import { makeJob } from "./support.js";

const ROW_HEIGHT = 52;
const noActions: JobActions = { onrun() {}, ontogglepause() {}, onedit() {}, onduplicate() {}, ondelete() {} };
const tenThousand = Array.from({ length: 10_000 }, (_, index) => makeJob({ name: `job ${String(index).padStart(5, "0")}` }));

function dataRows(): HTMLElement[] {
  return screen.getAllByRole("row").filter((row) => row.hasAttribute("aria-rowindex") && row.getAttribute("aria-rowindex") !== "1");
}

describe("the virtualised jobs table", () => {
  it("renders at most about 60 rows of 10,000 jobs, and says how many there are", () => {
    render(JobsTable, { props: { jobs: tenThousand, now: Date.parse("2026-03-01T12:00:00Z"), localZone: "UTC", allPaused: false, actions: noActions } });

    const rows = dataRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(60);
    expect(screen.getByRole("table", { name: "Jobs" }).getAttribute("aria-rowcount")).toBe("10001");
    expect(rows[0]!.getAttribute("aria-rowindex")).toBe("2");
  });

  it("renders the rows in view after scrolling, with their place in the whole table", async () => {
    const { container } = render(JobsTable, {
      props: { jobs: tenThousand, now: Date.parse("2026-03-01T12:00:00Z"), localZone: "UTC", allPaused: false, actions: noActions },
    });
    const scroller = container.querySelector<HTMLElement>(".scroller")!;

    scroller.scrollTop = 5000 * ROW_HEIGHT;
    await fireEvent.scroll(scroller);

    const rows = dataRows();
    expect(rows.length).toBeLessThanOrEqual(60);
    const indexes = rows.map((row) => Number(row.getAttribute("aria-rowindex")));
    expect(indexes).toContain(5000 + 2);
    expect(screen.getByRole("link", { name: "job 05000" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "job 00000" })).toBeNull();
    // Spacers keep the scroll height of all 10,000 rows.
    const spacers = [...container.querySelectorAll<HTMLElement>("tr.spacer td")];
    const spacerHeight = spacers.reduce((sum, cell) => sum + Number.parseFloat(cell.style.height), 0);
    expect(spacerHeight + rows.length * ROW_HEIGHT).toBe(10_000 * ROW_HEIGHT);
  });
});

describe("rowWindow", () => {
  it("covers the viewport plus a margin and never runs past either end", () => {
    expect(rowWindow(10_000, 0, 440, 44, 5)).toEqual({ start: 0, end: 15, spaceBefore: 0, spaceAfter: 9985 * 44 });
    expect(rowWindow(10_000, 100 * 44, 440, 44, 5)).toEqual({ start: 95, end: 115, spaceBefore: 95 * 44, spaceAfter: 9885 * 44 });
    expect(rowWindow(3, 0, 440, 44, 5)).toEqual({ start: 0, end: 3, spaceBefore: 0, spaceAfter: 0 });
    expect(rowWindow(10, 10_000, 440, 44, 5).end).toBe(10);
  });
});
