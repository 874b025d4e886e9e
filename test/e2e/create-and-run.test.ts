/**
 * A new user's first minutes in the browser: create a cron job through the form, see its
 * next run in the list, run it now and watch it succeed with its output in the log, all
 * without reloading. Takes the README's screenshots on the way: into a temp folder, or into
 * docs/screenshots when run by `npm run screenshots` (SUNDIAL_SCREENSHOTS_DIR).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, sundial, sundialJson } from "../support/cli.js";
import { cellUnder, jobRow, markPage, openUiSession, pageWasNotReloaded, saveScreenshot, screenshotsFolder, type UiSession, endUiSession } from "../support/ui-session.js";

interface ShownJob {
  id: string;
  name: string;
  nextRunAt: string | null;
  triggers: { type: string; expression?: string }[];
  command: string;
}

let session: UiSession;

/** The README's screenshots (tracked files) as they were before the test: path → mtime. */
const README_SCREENSHOTS = path.join(ROOT, "docs", "screenshots");
const trackedBefore = new Map<string, number>();

beforeAll(async () => {
  for (const name of fs.readdirSync(README_SCREENSHOTS)) trackedBefore.set(name, fs.statSync(path.join(README_SCREENSHOTS, name)).mtimeMs);
  session = await openUiSession("e2e-create");
  // A few jobs already there, so the list (and its screenshot) looks like a real one.
  const { home } = session;
  await sundial(["add", "backup-documents", "--cron", "0 3 * * *", "--timeout", "1h", "--", "rsync -a ~/Documents /mnt/backup"], { home });
  await sundial(["add", "weekly-report", "--cron", "30 8 * * 1", "--", "~/bin/report.sh --week"], { home });
  await sundial(["add", "sync-notes", "--every", "15m", "--", "git -C ~/notes pull --quiet"], { home });
  await sundial(["add", "new-year", "--at", "2027-01-01T00:00", "--notify", "always", "--", 'notify-send "Happy new year"'], { home });
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("creating and running a job in the browser", () => {
  it("lists the jobs in a table with column headers", async () => {
    const { page } = session;
    const table = page.getByRole("table", { name: "Jobs" });
    await jobRow(page, "sync-notes").waitFor();
    const headers = (await table.getByRole("columnheader").allTextContents()).map((text) => text.trim());
    expect(headers.slice(0, 4)).toEqual(["Name", "Schedule", "Next run", "Last run"]);
    for (const name of ["backup-documents", "weekly-report", "sync-notes", "new-year"]) {
      await jobRow(page, name).waitFor();
    }
    await markPage(page);
  });

  it("creates a cron job through the form and shows its next run in the list", async () => {
    const { page, home } = session;
    await page.getByRole("button", { name: "New job", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "New job" });
    await dialog.waitFor();

    await dialog.getByLabel("Name", { exact: true }).fill("hello");
    await dialog.getByLabel("Kind", { exact: true }).selectOption("cron");
    await dialog.getByRole("textbox", { name: "Cron expression" }).fill("*/5 * * * *");
    await dialog.getByLabel("Command", { exact: true }).fill('echo "Hello from Sundial"; sleep 1; echo "All done"');
    // The engine's own preview: the expression in words and its next five runs.
    const nextRuns = dialog.getByRole("list", { name: "Next runs" });
    await expect.poll(() => nextRuns.getByRole("listitem").count(), { timeout: 10_000 }).toBe(5);
    // The command field, scrolled below the fold by the triggers, would draw its focus ring past the panel.
    await dialog.getByLabel("Command", { exact: true }).blur();
    await saveScreenshot(page, "job-editor");

    const save = dialog.getByRole("button", { name: "Save" });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await dialog.waitFor({ state: "detached" });

    const row = jobRow(page, "hello");
    await row.waitFor();
    const job = await sundialJson<ShownJob>(["show", "hello"], { home });
    expect(job.triggers[0]).toMatchObject({ type: "cron", expression: "*/5 * * * *" });
    expect(job.command).toBe('echo "Hello from Sundial"; sleep 1; echo "All done"');
    expect(job.nextRunAt).not.toBeNull();
    // The list shows the engine's next run, as a machine-readable time and a countdown.
    const nextRun = await cellUnder(page, row, "Next run");
    await expect.poll(() => nextRun.locator("time").getAttribute("datetime")).toBe(job.nextRunAt);
    expect(await nextRun.textContent()).toMatch(/in \d+ (s|min)\b/);
    expect(await (await cellUnder(page, row, "Last run")).textContent()).toContain("Never run");
  });

  it("runs the job now from the list and shows Succeeded without reloading", async () => {
    const { page } = session;
    const row = jobRow(page, "hello");
    await page.getByRole("button", { name: "Run hello now" }).click();
    const lastRun = await cellUnder(page, row, "Last run");
    await expect.poll(() => lastRun.textContent(), { timeout: 15_000 }).toContain("Succeeded");
    expect(await pageWasNotReloaded(page)).toBe(true);
  });

  it("shows the run's history and output on the job's page, live", async () => {
    const { page, home } = session;
    await page.getByRole("link", { name: "hello", exact: true }).click();
    await page.getByRole("heading", { name: "hello", level: 1 }).waitFor();
    const history = page.getByRole("table", { name: "Run history" });
    await history.waitFor();
    await expect.poll(() => history.getByRole("row").count()).toBe(2);

    // A second run, started on this page: its output arrives in the log as it is printed.
    await page.getByRole("button", { name: "Run hello now" }).click();
    const log = page.getByRole("region", { name: "Run log" });
    await expect.poll(() => history.getByRole("row").count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain("Hello from Sundial");
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain("All done");
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain("Succeeded");
    expect(await log.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
    expect(await pageWasNotReloaded(page)).toBe(true);

    const runs = await sundialJson<{ status: string; reason: string }[]>(["history", "hello"], { home });
    expect(runs.map((run) => [run.status, run.reason])).toEqual([
      ["succeeded", "manual"],
      ["succeeded", "manual"],
    ]);
    await saveScreenshot(page, "run-log");
  });

  it("goes back to the list, which shows the last run", async () => {
    const { page } = session;
    await page.getByRole("link", { name: "← All jobs" }).click();
    const row = jobRow(page, "hello");
    await row.waitFor();
    await expect.poll(async () => (await cellUnder(page, row, "Last run")).textContent()).toContain("Succeeded");
    const screenshot = await saveScreenshot(page, "jobs-list");
    expect(fs.readFileSync(screenshot).subarray(1, 4).toString()).toBe("PNG");
  });

  it.skipIf(process.env.SUNDIAL_SCREENSHOTS_DIR)("took its screenshots outside the repository: docs/screenshots is untouched", () => {
    expect(screenshotsFolder().startsWith(ROOT + path.sep)).toBe(false);
    const after = new Map(fs.readdirSync(README_SCREENSHOTS).map((name) => [name, fs.statSync(path.join(README_SCREENSHOTS, name)).mtimeMs]));
    expect(after).toEqual(trackedBefore);
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
