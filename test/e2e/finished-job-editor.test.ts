/**
 * Issue 13, item 3, in Chromium: a finished one-off job can be edited. Without a new date it
 * stays finished (its time kept to the second); a past date is refused at the Run at field;
 * a future date re-arms it. A finished job offers no Pause.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoToWallTime } from "../../electron/shared/civil-time.js";
import type { JobView } from "../../electron/shared/schemas.js";
import { sundial, sundialJson, waitFor } from "../support/cli.js";
import { chooseInRowMenu, fieldError, jobRow, openUiSession, rowMenuItems, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;
/** The job's one-off time, with seconds (the editor shows minutes). */
let firstAt: string;

const show = (name: string) => sundialJson<JobView>(["show", name], { home: session.home });

beforeAll(async () => {
  session = await openUiSession("e2e-finished");
  const { home, page } = session;
  firstAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 3500).toISOString();
  const added = await sundial(["add", "report", "--at", firstAt, "--", "echo first"], { home });
  expect(added.code, added.stderr).toBe(0);
  await waitFor(async () => {
    const job = await show("report");
    return job.finished && job.lastRun?.status === "succeeded";
  }, 60_000, "the one-off job to run");
  // The page follows the engine: the row's Run stays, its Pause goes.
  await page.getByRole("button", { name: "Run report now" }).waitFor();
  await waitFor(async () => !(await rowMenuItems(page, "report")).includes("Pause"), 15_000, "Pause to go from the finished job's row menu");
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("a finished one-off job in the window", () => {
  it("offers Run, Edit, Duplicate and Delete, but no Pause", async () => {
    const row = jobRow(session.page, "report");
    expect(await row.getByRole("button", { name: "Run report now" }).count()).toBe(1);
    expect(await rowMenuItems(session.page, "report")).toEqual(["Edit", "Duplicate", "Delete"]);
  });

  it("duplicated, shows why its copy cannot be saved at the Run at field", async () => {
    const { page } = session;
    await chooseInRowMenu(page, "report", "Duplicate");
    const dialog = page.getByRole("dialog", { name: "New job" });
    const runAt = dialog.getByLabel("Run at", { exact: true });
    await expect.poll(() => fieldError(page, runAt), { timeout: 10_000 }).toMatch(/in the past/);
    expect(await dialog.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  it("edited without a new date (new name and command) saves and stays finished, its time kept to the second", async () => {
    const { page } = session;
    await chooseInRowMenu(page, "report", "Edit");
    const dialog = page.getByRole("dialog", { name: "Edit job" });
    await expect.poll(() => dialog.getByText("This job has finished.").count()).toBe(1);
    await dialog.getByLabel("Name", { exact: true }).fill("report v2");
    await dialog.getByLabel("Command", { exact: true }).fill("echo second");
    const save = dialog.getByRole("button", { name: "Save" });
    await expect.poll(() => save.isDisabled()).toBe(false);
    await save.click();
    await dialog.waitFor({ state: "detached" });
    const job = await show("report v2");
    expect(job).toMatchObject({ command: "echo second", finished: true, nextRunAt: null, triggers: [{ type: "date", at: firstAt }] });
    expect(await sundialJson<unknown[]>(["history", "report v2"], { home: session.home })).toHaveLength(1);
  });

  it("given another past date, says so at the Run at field; given a future one, is re-armed and offers Pause again", async () => {
    const { page } = session;
    await chooseInRowMenu(page, "report v2", "Edit");
    const dialog = page.getByRole("dialog", { name: "Edit job" });
    const runAt = dialog.getByLabel("Run at", { exact: true });
    await runAt.fill("2020-01-01T09:00");
    await expect.poll(() => fieldError(page, runAt), { timeout: 10_000 }).toMatch(/in the past/);
    const save = dialog.getByRole("button", { name: "Save" });
    expect(await save.isDisabled()).toBe(true);

    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const tomorrow = Math.floor((Date.now() + 86_400_000) / 60_000) * 60_000;
    await runAt.fill(isoToWallTime(new Date(tomorrow).toISOString(), zone));
    await expect.poll(() => fieldError(page, runAt)).toBeNull();
    await expect.poll(() => save.isDisabled()).toBe(false);
    await save.click();
    await dialog.waitFor({ state: "detached" });
    const job = await show("report v2");
    expect(job.finished).toBe(false);
    expect(Date.parse(job.nextRunAt!)).toBe(tomorrow);
    await waitFor(async () => (await rowMenuItems(page, "report v2")).includes("Pause"), 10_000, "Pause to come back to the re-armed job's row menu");
  });
});
