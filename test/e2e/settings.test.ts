/**
 * The Settings page in Chromium against a real daemon (issue 13, "A settings page"): the
 * theme changes the page's colours, the time format re-renders the times, a setting changed
 * in the CLI shows in the open page at once, a refused value says why at its field and
 * changes nothing, and what the daemon cannot do (start at login) is shown as such.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { sundial, sundialJson } from "../support/cli.js";
import { jobRow, markPage, openUiSession, pageWasNotReloaded, type UiSession, endUiSession } from "../support/ui-session.js";

/** app.css's --bg in each theme. */
const LIGHT_BACKGROUND = "rgb(248, 247, 244)";
const DARK_BACKGROUND = "rgb(23, 22, 26)";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-settings");
  const { home, page } = session;
  // At 15:00 every day: "3:00 PM" in en-US's own 12-hour clock, "15:00" in 24-hour.
  await sundial(["add", "afternoon", "--cron", "0 15 * * *", "--", "true"], { home });
  await jobRow(page, "afternoon").waitFor();
  await markPage(page);
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

function pageBackground(page: Page): Promise<string> {
  return page.evaluate<string>("getComputedStyle(document.documentElement).backgroundColor");
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Settings" }).waitFor();
}

async function backToJobs(page: Page): Promise<void> {
  await page.getByRole("link", { name: "← All jobs" }).click();
  await jobRow(page, "afternoon").waitFor();
}

function nextRunText(page: Page): Promise<string | null> {
  return jobRow(page, "afternoon").locator("time").first().textContent();
}

async function setting<T>(key: string): Promise<T> {
  return sundialJson<T>(["settings", "get", key], { home: session.home });
}

describe("the Settings page", () => {
  it("changes the page's colours with the theme, and 'system' follows the OS", async () => {
    const { page } = session;
    await openSettings(page);
    const theme = page.getByLabel("Theme");
    expect(await theme.inputValue()).toBe("system");
    expect(await pageBackground(page)).toBe(LIGHT_BACKGROUND);

    await theme.selectOption("dark");
    await expect.poll(() => pageBackground(page)).toBe(DARK_BACKGROUND);
    await expect.poll(() => setting<string>("theme")).toBe("dark");

    await theme.selectOption("light");
    await expect.poll(() => pageBackground(page)).toBe(LIGHT_BACKGROUND);
    // Light stays light when the OS turns dark; System then follows it.
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await pageBackground(page)).toBe(LIGHT_BACKGROUND);
    await theme.selectOption("system");
    await expect.poll(() => pageBackground(page)).toBe(DARK_BACKGROUND);
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(() => pageBackground(page)).toBe(LIGHT_BACKGROUND);
  });

  it("re-renders the times in the chosen format", async () => {
    const { page } = session;
    await backToJobs(page);
    // System: en-US writes a 12-hour clock.
    expect(await nextRunText(page)).toMatch(/\b3:00\sPM\b|\b03:00\sPM\b/);

    await openSettings(page);
    await page.getByLabel("Time format").selectOption("24h");
    await expect.poll(() => setting<string>("time-format")).toBe("24h");
    await backToJobs(page);
    expect(await nextRunText(page)).toMatch(/\b15:00\b/);
    expect(await nextRunText(page)).not.toMatch(/AM|PM/);

    await openSettings(page);
    await page.getByLabel("Time format").selectOption("12h");
    await backToJobs(page);
    expect(await nextRunText(page)).toMatch(/\b0?3:00\sPM\b/);
    expect(await pageWasNotReloaded(page)).toBe(true);
  });

  it("shows a change made in the CLI at once, times and theme included", async () => {
    const { page, home } = session;
    // On the jobs list: the time re-renders as the CLI changes the format.
    await sundial(["settings", "set", "time-format", "24h"], { home });
    await expect.poll(() => nextRunText(page)).toMatch(/\b15:00\b/);

    await openSettings(page);
    await sundial(["settings", "set", "default-notify", "always"], { home });
    await expect.poll(() => page.getByLabel("Notify by default").inputValue()).toBe("always");
    await sundial(["settings", "set", "history-max-days", "45"], { home });
    await expect.poll(() => page.getByLabel("Days runs are kept").inputValue()).toBe("45");
    await sundial(["settings", "set", "notifications", "off"], { home });
    await expect.poll(() => page.getByLabel("Desktop notifications").isChecked()).toBe(false);
    await sundial(["settings", "set", "theme", "dark"], { home });
    await expect.poll(() => pageBackground(page)).toBe(DARK_BACKGROUND);
    expect(await page.getByLabel("Theme").inputValue()).toBe("dark");
    expect(await pageWasNotReloaded(page)).toBe(true);
  });

  it("saves a number, refuses a bad one at its field without changing anything", async () => {
    const { page } = session;
    await openSettings(page);
    const runs = page.getByLabel("Runs kept per job");
    await runs.fill("50");
    await runs.press("Tab");
    await expect.poll(() => setting<number>("history-max-runs")).toBe(50);

    await runs.fill("0");
    await runs.press("Tab");
    const error = page.getByRole("alert").filter({ hasText: "Runs kept per job" });
    await expect.poll(() => error.textContent()).toContain("Runs kept per job must be a whole number from 1 to 100000");
    expect(await runs.getAttribute("aria-invalid")).toBe("true");
    expect(await runs.inputValue()).toBe("0");
    expect(await setting<number>("history-max-runs")).toBe(50);

    await runs.fill("60");
    await runs.press("Tab");
    await expect.poll(() => setting<number>("history-max-runs")).toBe(60);
    await expect.poll(() => error.count()).toBe(0);
  });

  it("shows the home folder read-only, and start at login as not available here, with why", async () => {
    const { page, home } = session;
    await openSettings(page);
    const homeField = page.getByLabel("Home folder");
    expect(await homeField.inputValue()).toBe(home);
    expect(await homeField.getAttribute("readonly")).not.toBeNull();

    const login = page.getByRole("checkbox", { name: /Start at login/ });
    expect(await login.isDisabled()).toBe(true);
    expect(await login.isChecked()).toBe(false);
    const why = await login.getAttribute("aria-describedby");
    expect(await page.locator(`[id="${why!.split(" ")[0]}"]`).textContent()).toContain("only the desktop app can start at login");
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
