/**
 * One end-to-end session: a real `sundial daemon --ui --port 0` on a temp home, Chromium
 * with the printed link open, and the page's live feed connected. Controls are found by
 * role and accessible name, as a screen reader would.
 */
import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { removeTempHomes, stopAllDaemons, tempHome } from "./cli.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startUiDaemon, type UiDaemon } from "./web-ui.js";

let screenshots: string | null = null;

/**
 * Where saveScreenshot writes: `SUNDIAL_SCREENSHOTS_DIR` when set (`npm run screenshots` sets
 * it to docs/screenshots, the README's), else a temp folder removed with the test's temp
 * homes, so that a test run never rewrites tracked files.
 */
export function screenshotsFolder(): string {
  return (screenshots ??= process.env.SUNDIAL_SCREENSHOTS_DIR ? path.resolve(process.env.SUNDIAL_SCREENSHOTS_DIR) : tempHome("screenshots"));
}

export interface UiSession {
  home: string;
  ui: UiDaemon;
  browser: TestBrowser;
  page: Page;
  close(): Promise<void>;
}

/** Starts a daemon with the UI, opens its link, and waits until the feed is live. */
export async function openUiSession(label: string): Promise<UiSession> {
  const home = tempHome(label);
  const ui = await startUiDaemon(home);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage(ui.url);
    await waitUntilLive(page);
    return {
      home,
      ui,
      browser,
      page,
      async close() {
        await browser.close();
        await ui.daemon.stop();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** A file's teardown: closes its session (if it opened), then every daemon and temp home it made. */
export async function endUiSession(session: UiSession | undefined): Promise<void> {
  await session?.close();
  await stopAllDaemons();
  removeTempHomes();
}

/** The header's connection status reads "Live" once the event stream is open. */
export async function waitUntilLive(page: Page): Promise<void> {
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
}

/** The jobs table's row for the job named `name` (found by the link on its name). */
export function jobRow(page: Page, name: string): Locator {
  return page
    .getByRole("table", { name: "Jobs" })
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name, exact: true }) });
}

/** A row's cell under the column header `column`, located by the header's position. */
export async function cellUnder(page: Page, row: Locator, column: string): Promise<Locator> {
  const headers = await page.getByRole("table", { name: "Jobs" }).getByRole("columnheader").allTextContents();
  const index = headers.findIndex((text) => text.trim() === column);
  if (index < 0) throw new Error(`No column "${column}" among ${JSON.stringify(headers)}`);
  return row.getByRole("cell").nth(index);
}

/**
 * Opens the row menu of the job named `name` ("More actions for …") and chooses `item`
 * (Edit, Pause, Resume, Duplicate, Delete), as a mouse user does.
 */
export async function chooseInRowMenu(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole("button", { name: `More actions for ${name}`, exact: true }).click();
  await page.getByRole("menu", { name: `Actions for ${name}`, exact: true }).getByRole("menuitem", { name: item, exact: true }).click();
}

/** The items of a row's menu (opened, read, closed with Escape). */
export async function rowMenuItems(page: Page, name: string): Promise<string[]> {
  await page.getByRole("button", { name: `More actions for ${name}`, exact: true }).click();
  const menu = page.getByRole("menu", { name: `Actions for ${name}`, exact: true });
  const items = (await menu.getByRole("menuitem").allTextContents()).map((text) => text.trim());
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "detached" });
  return items;
}

/** The text of the error an input points at (aria-invalid + aria-describedby), or null. */
export async function fieldError(page: Page, input: Locator): Promise<string | null> {
  if ((await input.getAttribute("aria-invalid")) !== "true") return null;
  const ids = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter((id) => id.endsWith("-error"));
  if (ids.length === 0) return null;
  return (await page.locator(`[id="${ids[0]}"]`).textContent())?.trim() ?? null;
}

/** Marks the page, so a test can prove later that it was never reloaded. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate("window.__sundialNotReloaded = true");
}

export async function pageWasNotReloaded(page: Page): Promise<boolean> {
  return (await page.evaluate("window.__sundialNotReloaded === true")) === true;
}

/** Saves <name>.png in screenshotsFolder() and returns its path. */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<string> {
  const folder = screenshotsFolder();
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await target.screenshot({ path: file, animations: "disabled" });
  return file;
}
