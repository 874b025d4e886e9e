/**
 * Issue 15 in the browser: every trigger kind made through the job editor — a cron with a
 * startup trigger beside it, a wake job, a watch, a chain step, a manual job and a job with
 * conditions — on a real daemon, checked against what the engine stored (`sundial show
 * --json`) and against the list's words. A chain that would loop is refused on its row.
 * Takes the README's screenshot of the editor with several triggers (a temp folder, or
 * docs/screenshots under `npm run screenshots`).
 */
import fs from "node:fs";
import path from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addJob, sundialJson } from "../support/cli.js";
import { cellUnder, chooseInRowMenu, endUiSession, fieldError, jobRow, openUiSession, saveScreenshot, type UiSession } from "../support/ui-session.js";

interface StoredJob {
  id: string;
  name: string;
  nextRunAt: string | null;
  triggers: Record<string, unknown>[];
  conditions?: Record<string, unknown>;
  whenUnmet?: string;
  waitUpToSeconds?: number;
}

let session: UiSession;
let inbox: string;

beforeAll(async () => {
  session = await openUiSession("e2e-triggers");
  inbox = path.join(session.home, "inbox");
  fs.mkdirSync(inbox);
  await addJob(session.home, "backup", "--cron", "0 3 * * *", "--", "echo backup");
  await jobRow(session.page, "backup").waitFor();
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

/** Opens New job, types a name and a command, lets `fill` set the rest, saves, and waits for the job's row. */
async function createJob(name: string, fill: (dialog: Locator) => Promise<void>, beforeSave?: () => Promise<void>): Promise<StoredJob> {
  const { page, home } = session;
  await page.getByRole("button", { name: "New job", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "New job" });
  await dialog.waitFor();
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Command", { exact: true }).fill(`echo ${name}`);
  await fill(dialog);
  await beforeSave?.();
  const save = dialog.getByRole("button", { name: "Save" });
  await expect.poll(() => save.isEnabled(), { timeout: 10_000 }).toBe(true);
  await save.click();
  await dialog.waitFor({ state: "detached" });
  await jobRow(page, name).waitFor();
  return sundialJson<StoredJob>(["show", name, "--json"], { home });
}

/** The fieldset of the editor's trigger at `place` (1-based), as its legend names it. */
function trigger(dialog: Locator, place: number): Locator {
  return dialog.getByRole("group", { name: `Trigger ${place}`, exact: true });
}

/** What the list shows for a job: its Schedule and Next run cells' text. */
async function listed(name: string): Promise<{ schedule: string; next: string }> {
  const { page } = session;
  const row = jobRow(page, name);
  const text = async (column: string) => ((await (await cellUnder(page, row, column)).textContent()) ?? "").replace(/\s+/g, " ").trim();
  return { schedule: await text("Schedule"), next: await text("Next run") };
}

describe("every trigger kind, made in the editor", () => {
  it("makes a cron job that also runs at login: both triggers stored, the list says both", async () => {
    const job = await createJob(
      "morning",
      async (dialog) => {
        await trigger(dialog, 1).getByRole("textbox", { name: "Cron expression" }).fill("0 9 * * 1-5");
        await dialog.getByRole("button", { name: "Add trigger" }).click();
        await trigger(dialog, 2).getByLabel("Kind", { exact: true }).selectOption("startup");
        await dialog.getByRole("button", { name: "Add trigger" }).click();
        await trigger(dialog, 3).getByLabel("Kind", { exact: true }).selectOption("watch");
        // Shown, not saved: the row goes before Save.
        await trigger(dialog, 3).getByLabel("Path", { exact: true }).fill("/home/me/Documents");
        await dialog.getByText(/^At 09:00( AM)?, Monday through Friday, and at login, and on change in \/home\/me\/Documents$/).waitFor();
      },
      async () => {
        // Tall enough for the three rows and the preview, from the top of the form.
        const { page } = session;
        const viewport = page.viewportSize();
        await page.setViewportSize({ width: 1280, height: 1400 });
        await page.getByRole("heading", { name: "New job" }).scrollIntoViewIfNeeded();
        await saveScreenshot(page, "job-editor-triggers");
        if (viewport) await page.setViewportSize(viewport);
        // The picture shows three; the job keeps two.
        await session.page.getByRole("button", { name: "Remove trigger 3" }).click();
      },
    );
    expect(job.triggers).toEqual([
      { type: "cron", version: 1, expression: "0 9 * * 1-5" },
      { type: "startup", version: 1 },
    ]);
    expect(job.nextRunAt).not.toBeNull();
    const { schedule, next } = await listed("morning");
    expect(schedule).toMatch(/^At 09:00( AM)?, Monday through Friday, and at login$/);
    // A time trigger beside the event: the next run is a time.
    expect(next).not.toMatch(/at login/);
  });

  it("makes a wake job with a delay; its next run reads on wake", async () => {
    const job = await createJob("after-wake", async (dialog) => {
      await trigger(dialog, 1).getByLabel("Kind", { exact: true }).selectOption("wake");
      await trigger(dialog, 1).getByLabel("Delay", { exact: true }).fill("30s");
    });
    expect(job.triggers).toEqual([{ type: "wake", version: 1, delaySeconds: 30 }]);
    expect(job.nextRunAt).toBeNull();
    expect(await listed("after-wake")).toEqual({ schedule: "on wake (after 30 seconds)", next: "on wake" });
  });

  it("makes a watch on a folder and its subfolders; its next run reads on change", async () => {
    const job = await createJob("sort-inbox", async (dialog) => {
      const row = trigger(dialog, 1);
      await row.getByLabel("Kind", { exact: true }).selectOption("watch");
      await row.getByLabel("Path", { exact: true }).fill(inbox);
      await row.getByLabel("Include subfolders", { exact: true }).check();
      await row.getByLabel("Wait for quiet", { exact: true }).fill("1s");
    });
    expect(job.triggers).toEqual([{ type: "watch", version: 1, path: inbox, recursive: true, debounceSeconds: 1 }]);
    expect(await listed("sort-inbox")).toEqual({ schedule: `on change in ${inbox} (and its subfolders)`, next: "on change" });
  });

  it("makes a chain step that runs when backup fails: the parent is stored by id and named in the list", async () => {
    const backup = await sundialJson<StoredJob>(["show", "backup", "--json"], { home: session.home });
    const job = await createJob("upload", async (dialog) => {
      const row = trigger(dialog, 1);
      await row.getByLabel("Kind", { exact: true }).selectOption("after");
      await row.getByLabel("After job", { exact: true }).selectOption({ label: "backup" });
      await row.getByLabel("When it", { exact: true }).selectOption("failure");
    });
    expect(job.triggers).toEqual([{ type: "after", version: 1, job: backup.id, on: "failure" }]);
    expect(await listed("upload")).toEqual({ schedule: "after backup fails", next: "after backup" });
  });

  it("makes a manual job: no trigger at all", async () => {
    const job = await createJob("deploy", async (dialog) => {
      await dialog.getByRole("button", { name: "Remove trigger 1" }).click();
      await dialog.getByText("No trigger: a manual job. Runs only when you start it, or as a chain step.").waitFor();
    });
    expect(job.triggers).toEqual([]);
    expect(await listed("deploy")).toEqual({ schedule: "Manual (Run now, the tray, or a chain)", next: "Manual" });
  });

  it("makes a job with conditions: a window, weekdays, skip dates, AC power, and a wait of at most 2 hours", async () => {
    const job = await createJob("tidy", async (dialog) => {
      await trigger(dialog, 1).getByRole("textbox", { name: "Cron expression" }).fill("0 * * * *");
      await dialog.getByLabel("Between start", { exact: true }).fill("09:00");
      await dialog.getByLabel("Between end", { exact: true }).fill("17:00");
      const days = dialog.getByRole("group", { name: "Days", exact: true });
      await days.getByLabel("Sat", { exact: true }).uncheck();
      await days.getByLabel("Sun", { exact: true }).uncheck();
      await dialog.getByRole("button", { name: "Add skip date" }).click();
      await dialog.getByLabel("Skip date 1", { exact: true }).fill("2026-12-24");
      await dialog.getByLabel("Skip date 1 until", { exact: true }).fill("2026-12-26");
      await dialog.getByLabel("On AC power", { exact: true }).check();
      await dialog.getByLabel("If unmet", { exact: true }).selectOption("wait");
      await dialog.getByLabel("Wait up to", { exact: true }).fill("2h");
    });
    expect(job.conditions).toEqual({ between: "09:00-17:00", days: ["mon", "tue", "wed", "thu", "fri"], skipDates: ["2026-12-24..2026-12-26"], acPower: true });
    expect([job.whenUnmet, job.waitUpToSeconds]).toEqual(["wait", 7200]);

    await session.page.getByRole("link", { name: "tidy", exact: true }).click();
    const conditions = session.page.getByText("Conditions", { exact: true }).locator("xpath=following-sibling::dd[1]");
    expect((await conditions.textContent())?.trim()).toBe("Runs only between 09:00-17:00, on Mon-Fri, not on 2026-12-24..2026-12-26, on AC power, else wait up to 2 hours");
    await session.page.getByRole("link", { name: "← All jobs" }).click();
  });
});

describe("a watched path that is not there", () => {
  it("shows on the job and in the list, and goes away when the folder appears", async () => {
    const { page } = session;
    const dropbox = path.join(session.home, "dropbox");
    const job = await createJob("sort-dropbox", async (dialog) => {
      const row = trigger(dialog, 1);
      await row.getByLabel("Kind", { exact: true }).selectOption("watch");
      await row.getByLabel("Path", { exact: true }).fill(dropbox);
    });
    expect(job.triggers).toEqual([{ type: "watch", version: 1, path: dropbox, debounceSeconds: 2 }]);
    // The state under its name: a problem in one trigger, its words on hover.
    const state = jobRow(page, "sort-dropbox").locator(`[title="watched path missing: ${dropbox}"]`);
    await state.waitFor({ timeout: 10_000 });
    expect((await state.textContent())?.trim()).toBe("✕ Problem");

    await page.getByRole("link", { name: "sort-dropbox", exact: true }).click();
    const problem = page.getByRole("alert").filter({ hasText: "watched path missing" });
    expect((await problem.textContent())?.trim()).toBe(`watched path missing: ${dropbox}`);
    fs.mkdirSync(dropbox);
    // Picked up again by itself, and the page follows without a reload.
    await problem.waitFor({ state: "detached", timeout: 20_000 });
    await page.getByRole("link", { name: "← All jobs" }).click();
  });
});

describe("a chain that would loop", () => {
  it("is refused at Save, the engine's words on the row of the trigger that closes it, and nothing is stored", async () => {
    const { page, home } = session;
    await chooseInRowMenu(page, "backup", "Edit");
    const dialog = page.getByRole("dialog", { name: "Edit job" });
    await dialog.getByRole("button", { name: "Add trigger" }).click();
    const second = trigger(dialog, 2);
    await second.getByLabel("Kind", { exact: true }).selectOption("after");
    const parent = second.getByLabel("After job", { exact: true });
    await parent.selectOption({ label: "upload" });
    await second.getByLabel("When it", { exact: true }).selectOption("always");
    await dialog.getByRole("button", { name: "Save" }).click();

    await expect.poll(() => fieldError(page, parent), { timeout: 10_000 }).toBe("⚠ Trigger 2: After job: would form a cycle backup → upload → backup");
    const stored = await sundialJson<StoredJob>(["show", "backup", "--json"], { home });
    expect(stored.triggers).toEqual([{ type: "cron", version: 1, expression: "0 3 * * *" }]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });
});

describe("the page", () => {
  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
