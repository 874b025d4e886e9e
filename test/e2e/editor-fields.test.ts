/**
 * The job editor as a first-time user meets it (issue 13, items 5–8 and 11): a time zone found
 * by its city, a filled-in form that is not thrown away by a stray Escape, a preset picker that
 * shows the expression's time, an interval's start, end and jitter, and errors and run times
 * that read plainly. Real Chromium on the web UI of a real daemon; jobs are read back with the
 * real CLI.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundial, sundialJson } from "../support/cli.js";
import { fieldError, openUiSession, saveScreenshot, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-editor-fields");
  // Times of day below are read on the 24-hour clock, whatever the browser's locale.
  const set = await sundial(["settings", "set", "time-format", "24h"], { home: session.home });
  expect(set.code, set.stderr).toBe(0);
  await session.page.reload();
  await session.page.getByRole("button", { name: "New job" }).waitFor();
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

interface ListedJob {
  id: string;
  name: string;
  triggers: { type: string; expression?: string; timezone?: string; everySeconds?: number; start?: string; end?: string; jitterSeconds?: number }[];
}

async function listJobs(): Promise<ListedJob[]> {
  return sundialJson<ListedJob[]>(["list"], { home: session.home });
}

/** Opens New job (from the jobs list) and returns its dialog. */
async function openNewJob(page: Page): Promise<Locator> {
  await page.evaluate(`location.hash = "#/"`);
  await page.getByRole("button", { name: "New job" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New job" });
  await dialog.waitFor();
  return dialog;
}

/** Opens Edit job for the job named `name` from its detail page, and returns the dialog. */
async function openEditJob(page: Page, name: string): Promise<Locator> {
  const job = (await listJobs()).find((candidate) => candidate.name === name);
  await page.evaluate(`location.hash = "#/jobs/${job!.id}"`);
  await page.getByRole("button", { name: `Edit ${name}` }).first().click();
  const dialog = page.getByRole("dialog", { name: "Edit job" });
  await dialog.waitFor();
  return dialog;
}

/** Closes the editor without saving; a changed form asks first, and the answer is Discard. */
async function discardEditor(page: Page, dialog: Locator): Promise<void> {
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
}

/** The text of the element that has the keyboard focus. */
async function focusedText(page: Page): Promise<string> {
  return String(await page.evaluate("document.activeElement ? document.activeElement.textContent.trim() : ''"));
}

/** A `datetime-local` value `days` from now at `time` (UTC wall time: the test machine's and the daemon's zone are the same). */
function wallTimeInDays(days: number, time: string): string {
  const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  return `${date}T${time}`;
}

/**
 * The widest option of a select, in the select's own font, and the room the select gives its
 * text (its width less padding and the arrow). Runs in the page (a string: the tests are
 * type-checked without the DOM library).
 */
const measureSelect = new Function(
  "select",
  `const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const widest = Math.max(...[...select.options].map((option) => context.measureText(option.text).width));
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
  return { widest: Math.ceil(widest), room: Math.floor(room) };`,
) as (select: unknown) => { widest: number; room: number };

describe("the time zone field (item 5)", () => {
  it("finds a zone by its city, says nothing while typing, and writes the zone's name when left", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    const zone = dialog.getByLabel("Time zone", { exact: true });
    await zone.fill("");
    await zone.pressSequentially("Par");
    expect(await fieldError(page, zone)).toBeNull();
    await zone.pressSequentially("is");
    expect(await fieldError(page, zone)).toBeNull();
    // The list offers the zone whose city was typed.
    expect(await dialog.locator("datalist option").evaluateAll((options) => options.map((option) => (option as { value: string }).value))).toContain("Europe/Paris");
    await zone.press("Tab");
    await expect.poll(() => zone.inputValue()).toBe("Europe/Paris");
    expect(await fieldError(page, zone)).toBeNull();

    await zone.fill("new york");
    await zone.blur();
    await expect.poll(() => zone.inputValue()).toBe("America/New_York");
    expect(await fieldError(page, zone)).toBeNull();
    await discardEditor(page, dialog);
  });

  it("shows an unknown or ambiguous zone's error once the field is left, naming the field's text", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    const zone = dialog.getByLabel("Time zone", { exact: true });
    await zone.fill("Indiana");
    expect(await fieldError(page, zone)).toBeNull();
    await zone.blur();
    await expect.poll(() => fieldError(page, zone)).toBe('⚠ Unknown time zone "Indiana"');
    expect(await zone.inputValue()).toBe("Indiana");
    await discardEditor(page, dialog);
  });

  it("saves a job whose zone was typed as a city, with Enter straight from the field", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    await dialog.getByLabel("Name", { exact: true }).fill("tokyo report");
    await dialog.getByRole("textbox", { name: "Cron expression" }).fill("0 9 * * *");
    await dialog.getByLabel("Command", { exact: true }).fill("echo report");
    const zone = dialog.getByLabel("Time zone", { exact: true });
    await zone.fill("tokyo");
    await zone.press("Enter");
    await dialog.waitFor({ state: "detached" });
    const job = (await listJobs()).find((candidate) => candidate.name === "tokyo report");
    expect(job?.triggers[0]).toMatchObject({ type: "cron", expression: "0 9 * * *", timezone: "Asia/Tokyo" });
  });
});

describe("closing a filled-in editor (item 6)", () => {
  it("closes an unchanged editor at once on Escape", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.getByRole("alertdialog").count()).toBe(0);
  });

  it("asks before Escape throws changes away, with Keep editing focused, and keeps them when asked to", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    const name = dialog.getByLabel("Name", { exact: true });
    await name.fill("half done");
    await page.keyboard.press("Escape");
    const ask = page.getByRole("alertdialog", { name: "Discard changes?" });
    await ask.waitFor();
    await expect.poll(() => focusedText(page)).toBe("Keep editing");
    await saveScreenshot(page, "editor-discard-changes");
    // Enter on the focused default keeps the form as it was.
    await page.keyboard.press("Enter");
    await ask.waitFor({ state: "detached" });
    expect(await dialog.isVisible()).toBe(true);
    expect(await name.inputValue()).toBe("half done");
    // Escape in the question means keep editing too.
    await page.keyboard.press("Escape");
    await ask.waitFor();
    await page.keyboard.press("Escape");
    await ask.waitFor({ state: "detached" });
    expect(await dialog.isVisible()).toBe(true);
  });

  it("asks on a click beside the editor, and Discard closes it without saving", async () => {
    const { page } = session;
    const dialog = page.getByRole("dialog", { name: "New job" });
    const before = await listJobs();
    await page.mouse.click(3, 3);
    const ask = page.getByRole("alertdialog", { name: "Discard changes?" });
    await ask.waitFor();
    await ask.getByRole("button", { name: "Discard" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await page.getByRole("alertdialog").count()).toBe(0);
    expect(await listJobs()).toEqual(before);
  });

  it("closes an Edit job editor at once when nothing was changed", async () => {
    const { page } = session;
    const dialog = await openEditJob(page, "tokyo report");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.getByRole("alertdialog").count()).toBe(0);
  });
});

describe("the preset time picker (item 7)", () => {
  it("shows the time of the expression beside it, and moves the expression when changed", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    const cron = dialog.getByRole("textbox", { name: "Cron expression" });
    const picker = dialog.getByLabel("Preset time", { exact: true });
    await cron.fill("30 8 * * 1-5");
    await expect.poll(() => picker.inputValue()).toBe("08:30");
    await picker.fill("07:15");
    await expect.poll(() => cron.inputValue()).toBe("15 7 * * 1-5");
    // An expression with no single time leaves the picker on the last time chosen, for the buttons.
    await cron.fill("*/5 * * * *");
    expect(await picker.inputValue()).toBe("07:15");
    await dialog.getByRole("button", { name: "Every day at…" }).click();
    await expect.poll(() => cron.inputValue()).toBe("15 7 * * *");
    expect(await picker.inputValue()).toBe("07:15");
    await discardEditor(page, dialog);
  });
});

describe("an interval's start, end and jitter (item 8, the editor)", () => {
  it("saves them, starts the runs at Start, and shows them again in Edit", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    await dialog.getByLabel("Name", { exact: true }).fill("windowed");
    await dialog.getByLabel("Command", { exact: true }).fill("echo windowed");
    await dialog.getByLabel("Kind", { exact: true }).selectOption("interval");
    await dialog.getByLabel("Every", { exact: true }).fill("1h");
    const start = wallTimeInDays(2, "08:00");
    const end = wallTimeInDays(9, "18:00");
    await dialog.getByLabel("Start", { exact: true }).fill(start);
    await dialog.getByLabel("End", { exact: true }).fill(end);
    await dialog.getByLabel("Jitter", { exact: true }).fill("5m");
    const runs = dialog.getByRole("list", { name: "Next runs" }).getByRole("listitem");
    await expect.poll(() => runs.first().textContent(), { timeout: 10_000 }).toMatch(/, 08:00$/);
    expect(await runs.nth(1).textContent()).toMatch(/, 09:00$/);
    await saveScreenshot(page, "editor-interval-window");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });

    const job = (await listJobs()).find((candidate) => candidate.name === "windowed");
    expect(job?.triggers[0]!.type).toBe("interval");
    expect(job?.triggers[0]!.everySeconds).toBe(3600);
    expect(Date.parse(job?.triggers[0]!.start ?? "")).toBe(Date.parse(`${start}:00Z`));
    expect(Date.parse(job?.triggers[0]!.end ?? "")).toBe(Date.parse(`${end}:00Z`));
    expect(job?.triggers[0]!.jitterSeconds).toBe(300);

    const edit = await openEditJob(page, "windowed");
    expect(await edit.getByLabel("Start", { exact: true }).inputValue()).toBe(start);
    expect(await edit.getByLabel("End", { exact: true }).inputValue()).toBe(end);
    expect(await edit.getByLabel("Jitter", { exact: true }).inputValue()).toBe("5m");
    await discardEditor(page, edit);
  });

  it("shows the engine's verdict on each at its field: end before start, jitter as long as the period, end in the past", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    await dialog.getByLabel("Name", { exact: true }).fill("bad window");
    await dialog.getByLabel("Command", { exact: true }).fill("echo bad");
    await dialog.getByLabel("Kind", { exact: true }).selectOption("interval");
    await dialog.getByLabel("Every", { exact: true }).fill("1h");
    const startField = dialog.getByLabel("Start", { exact: true });
    const endField = dialog.getByLabel("End", { exact: true });
    const jitterField = dialog.getByLabel("Jitter", { exact: true });
    await startField.fill(wallTimeInDays(3, "08:00"));
    await endField.fill(wallTimeInDays(2, "08:00"));
    await expect.poll(() => fieldError(page, endField), { timeout: 10_000 }).toBe("⚠ End is before start");
    await endField.fill("");
    await jitterField.fill("2h");
    await expect.poll(() => fieldError(page, jitterField), { timeout: 10_000 }).toMatch(/^⚠ Jitter must be shorter than the interval/);
    await jitterField.fill("soon");
    await expect.poll(() => fieldError(page, jitterField)).toMatch(/^⚠ Jitter: "soon" is not a duration/);
    await jitterField.fill("");
    await expect.poll(() => fieldError(page, jitterField)).toBeNull();

    // A window that is over: only Save asks the engine about the past (its preview looks at any schedule).
    await startField.fill(wallTimeInDays(-3, "08:00"));
    await endField.fill(wallTimeInDays(-1, "08:00"));
    const save = dialog.getByRole("button", { name: "Save" });
    await expect.poll(() => save.isEnabled(), { timeout: 10_000 }).toBe(true);
    await save.click();
    await expect.poll(() => fieldError(page, endField), { timeout: 10_000 }).toBe("⚠ End is in the past");
    expect((await listJobs()).map((job) => job.name)).not.toContain("bad window");
    await discardEditor(page, dialog);
  });
});

describe("errors and run times that read plainly (item 11, the editor)", () => {
  it("names the field in every error", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    const name = dialog.getByLabel("Name", { exact: true });
    await name.fill("x");
    await name.fill("");
    await expect.poll(() => fieldError(page, name)).toBe("⚠ Name must not be empty");
    await dialog.getByLabel("Kind", { exact: true }).selectOption("once");
    const runAt = dialog.getByLabel("Run at", { exact: true });
    await runAt.fill(wallTimeInDays(-1, "09:00"));
    await expect.poll(() => fieldError(page, runAt)).toBe("⚠ Run at is in the past");
    await discardEditor(page, dialog);
  });

  it("says a name is taken without the other job's internal id, in the CLI's words", async () => {
    const { page, home } = session;
    const [existing] = (await listJobs()).filter((job) => job.name === "tokyo report");
    const dialog = await openNewJob(page);
    const name = dialog.getByLabel("Name", { exact: true });
    await name.fill("tokyo report");
    await dialog.getByRole("textbox", { name: "Cron expression" }).fill("0 10 * * *");
    await dialog.getByLabel("Command", { exact: true }).fill("echo again");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => fieldError(page, name), { timeout: 10_000 }).toBe('⚠ A job named "tokyo report" already exists');
    expect(await dialog.textContent()).not.toContain(existing!.id);
    await discardEditor(page, dialog);

    const cli = await sundial(["add", "tokyo report", "--cron", "0 10 * * *", "--", "echo", "again"], { home });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe('NAME: a job named "tokyo report" already exists');
  });

  it("names the preview's zone and writes its times on the clock its words use", async () => {
    const { page } = session;
    const dialog = await openNewJob(page);
    await dialog.getByRole("textbox", { name: "Cron expression" }).fill("30 8 * * 1-5");
    const zone = dialog.getByLabel("Time zone", { exact: true });
    await zone.fill("Paris");
    await zone.blur();
    const runs = dialog.getByRole("list", { name: "Next runs" });
    await expect.poll(() => runs.getByRole("listitem").count(), { timeout: 10_000 }).toBe(5);
    const preview = dialog.locator(".preview");
    // The clock is the time-format setting's ("system": this browser's locale), the same in both.
    const words = (await preview.locator(".words").textContent()) ?? "";
    expect(words).toMatch(/^At 08:30( AM)?, Monday through Friday \(Europe\/Paris\)$/);
    const clock = words.includes(" AM") ? " AM" : "";
    expect(await preview.getByRole("heading", { name: "Next runs" }).textContent()).toBe("Next runs (Europe/Paris)");
    for (const time of await runs.getByRole("listitem").allTextContents()) expect(time).toMatch(new RegExp(`^\\w{3}, \\w{3} \\d{1,2}, \\d{4}, 08:30${clock}$`));
    expect(await preview.textContent()).not.toMatch(/GMT/);

    await dialog.getByLabel("Kind", { exact: true }).selectOption("once");
    await dialog.getByLabel("Run at", { exact: true }).fill(wallTimeInDays(5, "21:45"));
    const evening = clock ? "09:45 PM" : "21:45";
    await expect.poll(() => runs.getByRole("listitem").allTextContents(), { timeout: 10_000 }).toEqual([expect.stringMatching(new RegExp(`^\\w{3}, \\w{3} \\d{1,2}, \\d{4}, ${evening}$`))]);
    const [runTime] = await runs.getByRole("listitem").allTextContents();
    await expect.poll(() => preview.locator(".words").textContent()).toBe(`Once at ${runTime}`);
    await discardEditor(page, dialog);
  });

  it("fits every choice of the policy menus at the editor's sizes, 800×600 and 1100×760", async () => {
    const { page } = session;
    for (const [width, height] of [
      [800, 600],
      [1100, 760],
    ] as const) {
      await page.setViewportSize({ width, height });
      const dialog = await openNewJob(page);
      const selects = dialog.locator("select");
      expect(await selects.count()).toBeGreaterThanOrEqual(3);
      for (const select of await selects.all()) {
        const label = await select.getAttribute("name");
        const fit = await select.evaluate(measureSelect);
        expect(fit.widest, `${label} at ${width}×${height}`).toBeLessThanOrEqual(fit.room);
      }
      await dialog.getByLabel("Overlap", { exact: true }).selectOption("replace");
      await dialog.getByLabel("Catch-up", { exact: true }).selectOption("once");
      await dialog.getByLabel("Notify", { exact: true }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, `editor-policies-${width}x${height}`);
      await discardEditor(page, dialog);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
