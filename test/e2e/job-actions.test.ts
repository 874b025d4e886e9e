/**
 * What a user does to existing jobs from the list: edit, pause, resume, duplicate, delete
 * (with its confirmation), pause all, filter and sort. Each change is checked on the engine
 * through the CLI, and changes made by the CLI show up in the open page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundial, sundialJson } from "../support/cli.js";
import { cellUnder, chooseInRowMenu, jobRow, markPage, openUiSession, pageWasNotReloaded, type UiSession, endUiSession } from "../support/ui-session.js";

interface ShownJob {
  id: string;
  name: string;
  paused: boolean;
  command: string;
  triggers: { type: string; expression?: string }[];
}

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-actions");
  const { home, page } = session;
  await sundial(["add", "nightly", "--cron", "0 3 * * *", "--", "echo nightly"], { home });
  await sundial(["add", "hourly-sync", "--cron", "@hourly", "--", "echo sync"], { home });
  await jobRow(page, "hourly-sync").waitFor();
  await markPage(page);
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

async function show(name: string): Promise<ShownJob> {
  return sundialJson<ShownJob>(["show", name], { home: session.home });
}

async function names(): Promise<string[]> {
  return (await sundialJson<ShownJob[]>(["list"], { home: session.home })).map((job) => job.name).sort();
}

/** The job names in the table, top to bottom. */
async function shownNames(): Promise<string[]> {
  const links = session.page.getByRole("table", { name: "Jobs" }).getByRole("row").getByRole("link");
  return (await links.allTextContents()).map((text) => text.trim());
}

describe("changing jobs from the list", () => {
  it("shows a job added from the command line without a reload", async () => {
    const { page, home } = session;
    await sundial(["add", "from-cli", "--every", "6h", "--", "echo hi"], { home });
    await jobRow(page, "from-cli").waitFor({ timeout: 10_000 });
    expect(await pageWasNotReloaded(page)).toBe(true);
  });

  it("edits a job", async () => {
    const { page } = session;
    await chooseInRowMenu(page, "nightly", "Edit");
    const dialog = page.getByRole("dialog", { name: "Edit job" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Name", { exact: true }).inputValue()).toBe("nightly");
    expect(await dialog.getByLabel("Kind", { exact: true }).inputValue()).toBe("cron");
    const cron = dialog.getByRole("textbox", { name: "Cron expression" });
    expect(await cron.inputValue()).toBe("0 3 * * *");
    await cron.fill("30 4 * * *");
    await dialog.getByLabel("Command", { exact: true }).fill("echo nightly v2");
    const save = dialog.getByRole("button", { name: "Save" });
    await expect.poll(() => save.isEnabled(), { timeout: 10_000 }).toBe(true);
    await save.click();
    await dialog.waitFor({ state: "detached" });

    const row = jobRow(page, "nightly");
    await expect.poll(async () => (await cellUnder(page, row, "Schedule")).textContent()).toContain("04:30");
    const job = await show("nightly");
    expect(job.triggers[0]!.expression).toBe("30 4 * * *");
    expect(job.command).toBe("echo nightly v2");
  });

  it("pauses and resumes a job", async () => {
    const { page } = session;
    const row = jobRow(page, "nightly");
    await chooseInRowMenu(page, "nightly", "Pause");
    const state = await cellUnder(page, row, "Name");
    await expect.poll(() => state.textContent()).toContain("Paused");
    expect(await (await cellUnder(page, row, "Next run")).textContent()).toContain("Paused");
    expect((await show("nightly")).paused).toBe(true);

    await chooseInRowMenu(page, "nightly", "Resume");
    await expect.poll(() => state.textContent()).toContain("Active");
    expect((await show("nightly")).paused).toBe(false);
  });

  it("duplicates a job", async () => {
    const { page } = session;
    await chooseInRowMenu(page, "nightly", "Duplicate");
    const dialog = page.getByRole("dialog", { name: "New job" });
    await dialog.waitFor();
    const name = dialog.getByLabel("Name", { exact: true });
    expect(await name.inputValue()).toBe("nightly (copy)");
    await name.fill("nightly-2");
    const save = dialog.getByRole("button", { name: "Save" });
    await expect.poll(() => save.isEnabled(), { timeout: 10_000 }).toBe(true);
    await save.click();
    await dialog.waitFor({ state: "detached" });
    await jobRow(page, "nightly-2").waitFor();
    const copy = await show("nightly-2");
    expect(copy.triggers[0]!.expression).toBe("30 4 * * *");
    expect(copy.command).toBe("echo nightly v2");
  });

  it("deletes a job only after confirming", async () => {
    const { page } = session;
    await chooseInRowMenu(page, "nightly-2", "Delete");
    let confirm = page.getByRole("alertdialog", { name: "Delete “nightly-2”?" });
    await confirm.waitFor();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(await names()).toContain("nightly-2");

    await chooseInRowMenu(page, "nightly-2", "Delete");
    confirm = page.getByRole("alertdialog", { name: "Delete “nightly-2”?" });
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await jobRow(page, "nightly-2").waitFor({ state: "detached" });
    expect(await names()).toEqual(["from-cli", "hourly-sync", "nightly"]);
  });

  it("filters and sorts the list", async () => {
    const { page } = session;
    const filter = page.getByRole("searchbox", { name: "Filter jobs" });
    await filter.fill("sync");
    await expect.poll(shownNames).toEqual(["hourly-sync"]);
    await filter.fill("");
    await expect.poll(async () => (await shownNames()).length).toBe(3);

    // Default: by next run, as the engine has them (which comes first depends on the hour:
    // "nightly" runs at 04:30 after the edit above, "hourly-sync" on the hour); by name on request.
    const jobs = await sundialJson<{ name: string; nextRunAt: string }[]>(["list"], { home: session.home });
    const byNextRun = [...jobs].sort((a, b) => Date.parse(a.nextRunAt) - Date.parse(b.nextRunAt)).map((job) => job.name);
    await expect.poll(shownNames).toEqual(byNextRun);
    await page.getByRole("combobox", { name: "Sort by" }).selectOption({ label: "Name" });
    await expect.poll(shownNames).toEqual(["from-cli", "hourly-sync", "nightly"]);
  });

  it("pauses and resumes every job at once", async () => {
    const { page, home } = session;
    await page.getByRole("button", { name: "Pause all" }).click();
    await page.getByRole("button", { name: "Resume all" }).waitFor();
    await page.getByRole("status").filter({ hasText: "All schedules are paused" }).waitFor();
    expect((await sundialJson<{ allPaused: boolean }>(["status"], { home })).allPaused).toBe(true);

    await page.getByRole("button", { name: "Resume all" }).click();
    await page.getByRole("button", { name: "Pause all" }).waitFor();
    expect((await sundialJson<{ allPaused: boolean }>(["status"], { home })).allPaused).toBe(false);
    expect(await pageWasNotReloaded(page)).toBe(true);
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
