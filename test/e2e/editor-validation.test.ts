/**
 * The job editor refuses what the engine would refuse, as you type: each error sits next to
 * its field (tied to it with aria-describedby, so a screen reader reads it with the field),
 * and Save cannot be used while anything is invalid.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundialJson } from "../support/cli.js";
import { fieldError, openUiSession, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-editor");
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("the job editor's controls", () => {
  it("has an accessible name for every field, as a screen reader finds them", async () => {
    const { page } = session;
    await page.getByRole("button", { name: "New job" }).click();
    const dialog = page.getByRole("dialog", { name: "New job" });
    const cronFields = ["Name", "Cron expression", "Time zone", "Command", "Working directory", "Timeout", "Overlap", "Catch-up", "Retries", "Notify"];
    for (const label of cronFields) expect(await dialog.getByLabel(label, { exact: true }).count(), label).toBe(1);
    const kinds = (await dialog.getByRole("combobox", { name: "Kind" }).locator("option").allTextContents()).map((text) => text.trim());
    expect(kinds).toEqual(["Cron", "Every", "Once at", "At login/startup", "After wake", "When a file or folder changes", "After another job"]);
    expect(await dialog.getByRole("combobox", { name: "Overlap" }).count()).toBe(1);
    expect(await dialog.getByRole("spinbutton", { name: "Retries" }).count()).toBe(1);
    await dialog.getByLabel("Kind", { exact: true }).selectOption("interval");
    expect(await dialog.getByLabel("Every", { exact: true }).count()).toBe(1);
    await dialog.getByLabel("Kind", { exact: true }).selectOption("once");
    expect(await dialog.getByLabel("Run at", { exact: true }).count()).toBe(1);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });
});

describe("the job editor's checks", () => {
  it("shows an inline error for an invalid cron expression and keeps Save disabled", async () => {
    const { page, home } = session;
    // The empty state offers New job as well.
    await page.getByRole("button", { name: "New job" }).click();
    const dialog = page.getByRole("dialog", { name: "New job" });
    await dialog.getByLabel("Name", { exact: true }).fill("broken");
    await dialog.getByLabel("Command", { exact: true }).fill("echo never");
    const cron = dialog.getByRole("textbox", { name: "Cron expression" });
    await cron.fill("61 * * * *");

    await expect.poll(() => fieldError(page, cron), { timeout: 10_000 }).toMatch(/minute|61/i);
    const save = dialog.getByRole("button", { name: "Save" });
    expect(await save.isDisabled()).toBe(true);
    // Enter in a field submits the form: still nothing is saved.
    await dialog.getByLabel("Name", { exact: true }).press("Enter");
    await page.waitForTimeout(500);
    expect(await sundialJson<unknown[]>(["list"], { home })).toEqual([]);
    expect(await dialog.isVisible()).toBe(true);
  });

  it("names each field that is wrong: time zone, empty name", async () => {
    const { page } = session;
    const dialog = page.getByRole("dialog", { name: "New job" });
    const zone = dialog.getByLabel("Time zone", { exact: true });
    await zone.fill("Mars/Base");
    // A zone is searched as it is typed: its error shows once the field is left.
    await zone.blur();
    await expect.poll(() => fieldError(page, zone), { timeout: 10_000 }).toMatch(/Mars\/Base|time zone/i);
    const name = dialog.getByLabel("Name", { exact: true });
    await name.fill("");
    await expect.poll(() => fieldError(page, name)).not.toBeNull();
    expect(await dialog.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
  });

  it("checks an interval as typed", async () => {
    const { page } = session;
    const dialog = page.getByRole("dialog", { name: "New job" });
    await dialog.getByLabel("Kind", { exact: true }).selectOption("interval");
    const every = dialog.getByLabel("Every", { exact: true });
    await every.fill("5 parsecs");
    await expect.poll(() => fieldError(page, every), { timeout: 10_000 }).not.toBeNull();
    expect(await dialog.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await every.fill("10m");
    await expect.poll(() => fieldError(page, every)).toBeNull();
  });

  it("lets Save through once everything is fixed", async () => {
    const { page, home } = session;
    const dialog = page.getByRole("dialog", { name: "New job" });
    await dialog.getByLabel("Kind", { exact: true }).selectOption("cron");
    const cron = dialog.getByRole("textbox", { name: "Cron expression" });
    await cron.fill("0 9 * * 1-5");
    await dialog.getByLabel("Time zone", { exact: true }).fill("Europe/Paris");
    await dialog.getByLabel("Name", { exact: true }).fill("fixed");
    await expect.poll(() => fieldError(page, cron)).toBeNull();
    await expect.poll(() => dialog.getByRole("list", { name: "Next runs" }).getByRole("listitem").count(), { timeout: 10_000 }).toBe(5);
    const save = dialog.getByRole("button", { name: "Save" });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await dialog.waitFor({ state: "detached" });
    const jobs = await sundialJson<{ name: string; triggers: { expression: string; timezone: string }[] }[]>(["list"], { home });
    expect(jobs.map((job) => [job.name, job.triggers[0]!.expression, job.triggers[0]!.timezone])).toEqual([["fixed", "0 9 * * 1-5", "Europe/Paris"]]);
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
