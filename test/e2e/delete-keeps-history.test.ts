/**
 * Issue 13, item 1, in Chromium against a real daemon: the Delete dialog keeps the job's
 * runs and logs unless "Also delete its history" is ticked, and says which it will do; the
 * kept runs are found in History, marked as a deleted job's, with their logs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { sundial, sundialJson } from "../support/cli.js";
import { jobRow, openUiSession, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;
const ran: Record<string, { job: JobView; run: Run }> = {};

beforeAll(async () => {
  session = await openUiSession("e2e-delete-history");
  const { home, page } = session;
  for (const name of ["keep-me", "purge-me"]) {
    const job = await sundialJson<JobView>(["add", name, "--cron", "0 3 1 1 *", "--", `echo ${name}-output`], { home });
    const result = await sundial(["run", name, "--wait"], { home });
    expect(result.code, result.stderr).toBe(0);
    const [run] = await sundialJson<Run[]>(["history", name], { home });
    ran[name] = { job, run: run! };
  }
  await jobRow(page, "purge-me").waitFor();
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

/** Opens the job's page from the list and its Delete dialog there. */
async function openDeleteDialog(page: Page, name: string) {
  await page.getByRole("link", { name: "Jobs", exact: true }).click();
  await jobRow(page, name).getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  const dialog = page.getByRole("alertdialog", { name: `Delete “${name}”?` });
  await dialog.waitFor();
  return dialog;
}

describe("deleting a job from the UI", () => {
  it("keeps its runs and logs by default, says so, and shows them in History marked deleted", async () => {
    const { page, home } = session;
    const { job, run } = ran["keep-me"]!;
    const dialog = await openDeleteDialog(page, "keep-me");
    const purge = dialog.getByRole("checkbox", { name: "Also delete its history (past runs and their logs)" });
    expect(await purge.isChecked()).toBe(false);
    expect(await dialog.textContent()).toContain("Its past runs and their logs stay in the history, marked as deleted, until history retention removes them.");
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Deleted “keep-me”; its past runs stay in History").waitFor();

    expect((await sundialJson<JobView[]>(["list"], { home })).map((entry) => entry.name)).toEqual(["purge-me"]);
    expect(await sundialJson<Run[]>(["history", job.id], { home })).toEqual([{ ...run, jobDeleted: true }]);

    await page.getByRole("link", { name: "History", exact: true }).click();
    const table = page.getByRole("table", { name: "Run history" });
    const row = table.getByRole("row").filter({ has: page.getByRole("link", { name: "keep-me", exact: true }) });
    await row.waitFor();
    expect((await row.getByRole("cell").first().textContent())?.replace(/\s+/g, " ").trim()).toBe("keep-me (deleted)");
    await row.getByRole("button", { name: /^Show log of the succeeded run/ }).click();
    const output = page.getByRole("region", { name: "Run log" }).getByLabel("Output");
    await expect.poll(() => output.textContent(), { timeout: 10_000 }).toBe("keep-me-output\n");

    // The deleted job's own page: its name marked, its runs still listed.
    await row.getByRole("link", { name: "keep-me", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "keep-me (deleted)" }).waitFor();
    await page.getByRole("table", { name: "Run history" }).getByRole("row").nth(1).waitFor();
    expect(await page.getByRole("table", { name: "Run history" }).getByRole("row").count()).toBe(2); // header + the run
  });

  it("erases its runs and logs when the user ticks Also delete its history, and says so first", async () => {
    const { page, home } = session;
    const { job, run } = ran["purge-me"]!;
    const dialog = await openDeleteDialog(page, "purge-me");
    await dialog.getByRole("checkbox", { name: "Also delete its history (past runs and their logs)" }).check();
    expect(await dialog.textContent()).toContain("Its past runs and their logs are erased too; this cannot be undone.");
    expect(await dialog.textContent()).not.toContain("stay in the history");
    await dialog.getByRole("button", { name: "Delete job and history" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Deleted “purge-me” and its history").waitFor();

    expect(await sundialJson<JobView[]>(["list"], { home })).toEqual([]);
    expect((await sundialJson<Run[]>(["history"], { home })).map((entry) => entry.jobId)).toEqual([ran["keep-me"]!.job.id]);
    expect(await sundial(["logs", run.id], { home })).toMatchObject({ code: 1, stderr: `No run with id "${run.id}"\n` });
    expect(await sundial(["history", job.id], { home })).toMatchObject({ code: 1 });

    await page.getByRole("link", { name: "History", exact: true }).click();
    const table = page.getByRole("table", { name: "Run history" });
    await table.getByRole("link", { name: "keep-me", exact: true }).waitFor();
    expect(await table.getByRole("link", { name: "purge-me", exact: true }).count()).toBe(0);
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
