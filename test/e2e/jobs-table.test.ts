/**
 * The jobs table fits the window (issue 13, item 4): at 800×600, at the desktop window's
 * default 1100×760 and at 1920×1080 there is no sideways scroll, Run stays in view, and the
 * typical next run, countdown and last run are never cut. The rest of a row's actions are in
 * a menu a keyboard user can drive; the list sorts by last run and by status, and the filter
 * finds jobs by time zone and by the schedule's words. A job in another zone names it beside
 * its next run (item 11).
 */
import fs from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundial, sundialJson, tempHome } from "../support/cli.js";
import { cellUnder, jobRow, openUiSession, type UiSession, endUiSession } from "../support/ui-session.js";
import { waitFor } from "../support/waiting.mjs";

let session: UiSession;

/** Every job of the table below, by name. */
const NAMES = ["backup-documents", "weekly-report", "daily-digest", "sync-notes", "new-year", "fails", "slow", "gone-folder", "paused-job"];

beforeAll(async () => {
  session = await openUiSession("e2e-table");
  const { home } = session;
  const folder = tempHome("table-cwd");
  const add = async (...args: string[]) => {
    const added = await sundial(["add", ...args], { home });
    if (added.code !== 0) throw new Error(`sundial add ${args[0]} failed: ${added.stderr}`);
  };
  await add("backup-documents", "--cron", "0 3 * * *", "--timeout", "1h", "--", "rsync -a ~/Documents /mnt/backup");
  await add("weekly-report", "--cron", "30 8 * * 1-5", "--tz", "Europe/Paris", "--", "~/bin/report.sh --week");
  await add("daily-digest", "--every", "1d", "--", "echo digest");
  await add("sync-notes", "--every", "15m", "--", "sleep 1.2; echo synced");
  await add("new-year", "--at", "2027-01-01T00:00", "--", 'notify-send "Happy new year"');
  await add("fails", "--cron", "0 12 * * *", "--", "exit 3");
  await add("slow", "--cron", "0 0 1 1 *", "--", "sleep 120");
  await add("gone-folder", "--cron", "0 4 * * 1-5", "--cwd", folder, "--", "echo never");
  await add("paused-job", "--cron", "15 9 * * 1", "--paused", "--", "echo paused");
  // Last runs in a known order, oldest first: one of each outcome the table words.
  await sundial(["run", "sync-notes", "--wait"], { home });
  await sundial(["run", "fails", "--wait"], { home });
  fs.rmSync(folder, { recursive: true, force: true });
  await sundial(["run", "gone-folder", "--wait"], { home });
  await sundial(["run", "slow"], { home });
  await waitFor(async () => (await sundialJson<{ runningRuns: unknown[] }>(["status"], { home })).runningRuns.length === 1, 15_000, "slow to be running");
  for (const name of NAMES) await jobRow(session.page, name).waitFor({ timeout: 15_000 });
  await waitFor(async () => (await lastRunText(session.page, "slow")).includes("Running"), 15_000, "slow to show as running");
}, 180_000);

afterAll(async () => {
  await endUiSession(session);
});

async function lastRunText(page: Page, name: string): Promise<string> {
  return (await (await cellUnder(page, jobRow(page, name), "Last run")).textContent()) ?? "";
}

/** The job names in the table, top to bottom. */
async function shownNames(page: Page): Promise<string[]> {
  const links = page.getByRole("table", { name: "Jobs" }).getByRole("row").getByRole("link");
  return (await links.allTextContents()).map((text) => text.trim());
}

/** What overflows: the page or the table sideways, and any line of a next-run or last-run cell that is cut. */
interface Fit {
  pageScrollsSideways: boolean;
  tableScrollsSideways: boolean;
  cutLines: string[];
  actionsOutOfView: string[];
}

async function measureFit(page: Page): Promise<Fit> {
  // A string: the tests are type-checked without the DOM library.
  return page.evaluate(`(() => {
    const root = document.documentElement;
    const table = document.querySelector('table[aria-label="Jobs"]');
    const scroller = table.parentElement;
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    const columns = ["Next run", "Last run"].map((name) => headers.indexOf(name));
    const cutLines = [];
    const actionsOutOfView = [];
    const cut = (name, cell) => {
      for (const element of [cell, ...cell.querySelectorAll("*")]) {
        // Only boxes that can clip have a meaningful clientWidth; inline ones report 0.
        if (element.clientWidth > 0 && element.scrollWidth > element.clientWidth) cutLines.push(name + ": " + JSON.stringify(element.textContent.trim()));
      }
    };
    for (const row of table.querySelectorAll("tbody tr.job")) {
      const name = row.querySelector("a").textContent.trim();
      for (const index of columns) {
        const cell = row.children[index];
        cut(name, cell);
        // The countdown's widest form, whatever the time of day the test runs at: its text node
        // is swapped for the measure and put back before the page can draw.
        const countdown = cell.querySelector(".keep")?.firstChild;
        if (countdown?.nodeType === Node.TEXT_NODE && countdown.nodeValue.startsWith("in ")) {
          const shown = countdown.nodeValue;
          countdown.nodeValue = "in 23 h 59 min";
          cut(name + " (in 23 h 59 min)", cell);
          countdown.nodeValue = shown;
        }
      }
      for (const button of row.querySelectorAll("td:last-child button")) {
        const box = button.getBoundingClientRect();
        if (box.right > scroller.getBoundingClientRect().right || box.width === 0) actionsOutOfView.push(button.getAttribute("aria-label"));
      }
    }
    return {
      pageScrollsSideways: root.scrollWidth > root.clientWidth,
      tableScrollsSideways: scroller.scrollWidth > scroller.clientWidth || table.scrollWidth > scroller.clientWidth,
      cutLines,
      actionsOutOfView,
    };
  })()`);
}

describe("the jobs table", () => {
  for (const [width, height] of [
    [800, 600],
    [1100, 760],
    [1920, 1080],
  ] as const) {
    it(`fits ${width}×${height}: no sideways scroll, Run and the row menu in view, next and last runs not cut`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height });
      // Measured with ages of a second or more ("4 s ago"), not the shorter "just now".
      await waitFor(async () => /ago/.test(await lastRunText(page, "fails")) && /ago/.test(await lastRunText(page, "sync-notes")), 10_000, "the last runs to be a second old");
      const fit = await measureFit(page);
      expect(fit).toEqual({ pageScrollsSideways: false, tableScrollsSideways: false, cutLines: [], actionsOutOfView: [] });
      // The values measured are the typical ones: a countdown, a failure with its age, a long status.
      expect(await (await cellUnder(page, jobRow(page, "daily-digest"), "Next run")).textContent()).toMatch(/in 23 h 5\d min/);
      expect(await lastRunText(page, "fails")).toMatch(/Failed\s*\S.* ago · \d+ ms/);
      expect(await lastRunText(page, "gone-folder")).toContain("Could not start");
      expect(await lastRunText(page, "sync-notes")).toMatch(/Succeeded\s*\S.* ago · 1\.\d s/);
    });
  }

  it("cuts a long name, with the whole name on hover and for screen readers", async () => {
    const { page, home } = session;
    await page.setViewportSize({ width: 800, height: 600 });
    const long = "a-rather-long-job-name-that-someone-typed-for-clarity";
    await sundial(["add", long, "--cron", "0 5 * * *", "--", "echo long"], { home });
    const link = page.getByRole("link", { name: long, exact: true });
    try {
      await link.waitFor();
      expect(await link.getAttribute("title")).toBe(long);
      expect(await link.evaluate((element: { scrollWidth: number; clientWidth: number }) => element.scrollWidth > element.clientWidth)).toBe(true);
      expect((await measureFit(page)).tableScrollsSideways).toBe(false);
    } finally {
      await sundial(["remove", long], { home });
    }
    await link.waitFor({ state: "detached" });
  });

  it("names the job's own time zone beside its next run when it is not the viewer's", async () => {
    const { page } = session;
    const viewerZone = await page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone");
    expect(viewerZone).not.toBe("Europe/Paris");
    const paris = await cellUnder(page, jobRow(page, "weekly-report"), "Next run");
    expect(await paris.textContent()).toContain("Europe/Paris");
    // 08:30 in Paris, as the schedule says, whatever the viewer's zone.
    expect(await paris.locator("time").textContent()).toMatch(/08:30/);
    expect(await (await cellUnder(page, jobRow(page, "backup-documents"), "Next run")).textContent()).not.toMatch(/\//);
  });

  it("offers the other actions in a row menu that works from the keyboard", async () => {
    const { page, home } = session;
    await page.setViewportSize({ width: 800, height: 600 });
    const more = page.getByRole("button", { name: "More actions for fails", exact: true });
    expect(await more.getAttribute("aria-haspopup")).toBe("menu");
    await more.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Actions for fails" });
    await menu.waitFor();
    expect(await more.getAttribute("aria-expanded")).toBe("true");
    expect((await menu.getByRole("menuitem").allTextContents()).map((text) => text.trim())).toEqual(["Edit", "Pause", "Duplicate", "Delete"]);
    const focused = () => page.evaluate("document.activeElement?.textContent?.trim() ?? ''");
    const focusedLabel = () => page.evaluate("document.activeElement?.getAttribute('aria-label')");
    expect(await focused()).toBe("Edit");

    // Arrows move and wrap; Escape closes the menu and gives focus back to its button.
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe("Delete");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Edit");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    expect(await focusedLabel()).toBe("More actions for fails");

    // ArrowDown opens it too; Delete opens the confirmation, and Escape there brings focus back.
    await page.keyboard.press("ArrowDown");
    await menu.waitFor();
    for (let step = 0; step < 3; step += 1) await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Delete");
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("alertdialog", { name: "Delete “fails”?" });
    await confirm.waitFor();
    expect(await menu.count()).toBe(0);
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "detached" });
    await expect.poll(focusedLabel).toBe("More actions for fails");
    expect((await sundialJson<{ name: string }[]>(["list"], { home })).map((job) => job.name)).toContain("fails");

    // Tab leaves an open menu closed, and moves on to what follows its button (the next row).
    await page.keyboard.press("Enter");
    await menu.waitFor();
    await page.keyboard.press("Tab");
    await menu.waitFor({ state: "detached" });
    expect(NAMES).toContain(await focused());
  });

  it("closes the row menu on a click elsewhere", async () => {
    const { page } = session;
    await page.getByRole("button", { name: "More actions for slow", exact: true }).click();
    const menu = page.getByRole("menu", { name: "Actions for slow" });
    await menu.waitFor();
    await page.getByRole("heading", { name: "Jobs" }).click();
    await menu.waitFor({ state: "detached" });
  });

  it("sorts by last run, the most recent first and never-run jobs last", async () => {
    const { page } = session;
    await page.getByRole("combobox", { name: "Sort by" }).selectOption({ label: "Last run" });
    await expect.poll(() => shownNames(page)).toEqual([
      "slow",
      "gone-folder",
      "fails",
      "sync-notes",
      "backup-documents",
      "daily-digest",
      "new-year",
      "paused-job",
      "weekly-report",
    ]);
  });

  it("sorts by status: failures first, then running, the others, and paused jobs last", async () => {
    const { page } = session;
    await page.getByRole("combobox", { name: "Sort by" }).selectOption({ label: "Status" });
    await expect.poll(() => shownNames(page)).toEqual([
      "fails",
      "gone-folder",
      "slow",
      "backup-documents",
      "daily-digest",
      "new-year",
      "sync-notes",
      "weekly-report",
      "paused-job",
    ]);
    await page.getByRole("combobox", { name: "Sort by" }).selectOption({ label: "Name" });
  });

  it("filters by time zone and by the schedule's words", async () => {
    const { page } = session;
    const filter = page.getByRole("searchbox", { name: "Filter jobs" });
    await filter.fill("paris");
    await expect.poll(() => shownNames(page)).toEqual(["weekly-report"]);
    await filter.fill("weekdays");
    await expect.poll(() => shownNames(page)).toEqual(["gone-folder", "weekly-report"]);
    await filter.fill("every 15 minutes");
    await expect.poll(() => shownNames(page)).toEqual(["sync-notes"]);
    await filter.fill("");
    await expect.poll(async () => (await shownNames(page)).length).toBe(NAMES.length);
  });

  it("shows a running run with a spinner ring and the word Running, not a rotating arrow", async () => {
    const { page } = session;
    const cell = await cellUnder(page, jobRow(page, "slow"), "Last run");
    expect(await cell.textContent()).toMatch(/^\s*Running\s*started \S.* ago\s*$/);
    expect(await cell.textContent()).not.toContain("▶");
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});

