/**
 * Issue 16 in Chromium against a real daemon: a job page shows the job's alert rules, its
 * open alert and its alert history (live: a new alert appears without a reload); the jobs
 * table marks the job; the Alerts page lists every alert; the editor edits the rules.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobView } from "../../electron/shared/schemas.js";
import { sundial, sundialJson } from "../support/cli.js";
import { jobRow, openUiSession, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-job-alerts");
  const { home, page } = session;
  const added = await sundial(["add", "backup", "--every", "1d", "--paused", "--alert-after", "2", "--alert-recovered", "--", "exit 4"], { home });
  expect(added.code, added.stderr).toBe(0);
  await jobRow(page, "backup").waitFor();
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("alerts in the UI", () => {
  it("shows the job's rules and its alert history on its page, the new alert arriving live, and a mark in the jobs table", async () => {
    const { page, home } = session;
    await jobRow(page, "backup").getByRole("link", { name: "backup", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "backup" }).waitFor();
    await page.getByText("Alert at the 2nd failure in a row; when it succeeds again").waitFor();
    await page.getByText("No alerts raised for this job.").waitFor();

    for (let run = 0; run < 2; run++) expect((await sundial(["run", "backup", "--wait"], { home })).code).toBe(1);
    const table = page.getByRole("table", { name: "Alert history" });
    const row = table.getByRole("row").filter({ hasText: "backup failed 2 times in a row" });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByRole("cell").nth(1).textContent()).toBe("Failures in a row");
    await page.getByRole("status").filter({ hasText: "backup: failed 2 times in a row" }).waitFor({ timeout: 15_000 });

    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    const mark = jobRow(page, "backup").locator(".alert-mark");
    await mark.waitFor();
    expect(await mark.getAttribute("title")).toBe("backup: failed 2 times in a row");

    await page.getByRole("link", { name: "Alerts", exact: true }).click();
    const all = page.getByRole("table", { name: "Alerts" });
    await all.getByRole("row").filter({ hasText: "backup failed 2 times in a row" }).waitFor();
    expect(await all.getByRole("link", { name: "backup", exact: true }).count()).toBe(1);
  });

  it("edits the rules in the editor: the dead-man field is saved, and an interval it undercuts is warned of", async () => {
    const { page, home } = session;
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await jobRow(page, "backup").getByRole("link", { name: "backup", exact: true }).click();
    await page.getByRole("button", { name: "Edit backup" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.getByLabel("Alert after failures in a row").inputValue()).toBe("2");
    expect(await dialog.getByLabel("Alert when it succeeds again after an alert").isChecked()).toBe(true);
    await dialog.getByLabel("Expect a success within").fill("2h");
    await dialog.getByText("Warning: 2 hours is shorter than the job's own interval (1 day): it will always fire.").waitFor();
    await dialog.getByLabel("Expect a success within").fill("3d");
    await dialog.getByLabel("Alert when a run takes longer than").fill("auto");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    const saved = await sundialJson<JobView>(["show", "backup"], { home });
    expect(saved.alerts).toEqual({ afterFailures: 2, recovered: true, expectSuccessWithin: 259_200, slowerThan: "auto" });
  });
});
