/**
 * Issue 17 in Chromium against a real daemon: "Import from crontab" takes a pasted crontab,
 * shows the engine's plan (names, schedules in words, the line it cannot take), keeps Import
 * off until that line is left out, then adds the jobs.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobView } from "../../electron/shared/schemas.js";
import { ROOT, sundialJson } from "../support/cli.js";
import { endUiSession, jobRow, openUiSession, type UiSession } from "../support/ui-session.js";

let session: UiSession;
const crontab = fs.readFileSync(path.join(ROOT, "test/fixtures/crontab/desktop.crontab"), "utf8");

beforeAll(async () => {
  session = await openUiSession("e2e-crontab-import");
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("importing a crontab from the UI", () => {
  it("previews the plan from the pasted text, and imports once the unsupported line is left out", async () => {
    const { page, home } = session;
    await page.getByRole("button", { name: "Import from crontab" }).click();
    const dialog = page.getByRole("dialog", { name: "Import from crontab" });
    await dialog.getByRole("textbox", { name: "Crontab" }).fill(crontab);
    await dialog.getByRole("button", { name: "Preview" }).click();

    const plan = dialog.getByRole("table", { name: "8 jobs to add" });
    await plan.waitFor();
    const names = await plan.getByRole("row").evaluateAll((rows) => rows.slice(1).map((row) => row.children[1]!.textContent!.trim()));
    expect(names).toEqual(["Back up the photos", "Tidy downloads", "echo", "echo-2 (was echo)", "Say hello at login", "Weekly report", "Standup reminder", "echo-3 (was echo)"]);
    // The page words times by the locale's clock (09:00 or 09:00 AM).
    expect(await plan.getByRole("row").filter({ hasText: "Tidy downloads" }).textContent()).toMatch(/Every 15 minutes, between 09:00( AM)? and (17:59|05:59 PM), Monday through Friday/);
    expect(await dialog.textContent()).toContain('Line 22: unknown alias "@every"');
    const importButton = dialog.getByRole("button", { name: "Import 8 jobs" });
    expect(await importButton.isDisabled()).toBe(true);

    await dialog.getByRole("checkbox", { name: "Leave out lines Sundial cannot take" }).check();
    // The plan was made without leaving lines out: it is asked for again.
    expect(await dialog.getByRole("table").count()).toBe(0);
    await dialog.getByRole("button", { name: "Preview" }).click();
    await plan.waitFor();
    await importButton.click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Imported 8 jobs from the crontab").waitFor();
    await jobRow(page, "Standup reminder").waitFor();

    const jobs = await sundialJson<JobView[]>(["list"], { home });
    expect(jobs.map((job) => job.name).sort()).toEqual(names.map((name) => name.replace(/ \(was .*\)$/, "")).sort());
    expect(jobs.find((job) => job.name === "Standup reminder")!.triggers).toEqual([{ type: "cron", version: 1, expression: "45 9 * * 1-5", timezone: "America/New_York" }]);
  });

  it("shows a name clash as the rename it will make", async () => {
    const { page } = session;
    await page.getByRole("button", { name: "Import from crontab" }).click();
    const dialog = page.getByRole("dialog", { name: "Import from crontab" });
    await dialog.getByRole("textbox", { name: "Crontab" }).fill("# Standup reminder\n0 10 * * 1-5 echo later\n");
    await dialog.getByRole("button", { name: "Preview" }).click();
    const plan = dialog.getByRole("table", { name: "1 job to add" });
    await plan.waitFor();
    expect(await plan.getByRole("row").nth(1).textContent()).toContain('Standup reminder-2 (was Standup reminder)');
    expect(await plan.getByRole("row").nth(1).textContent()).toContain('renamed: a job named "Standup reminder" already exists');
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });
});
