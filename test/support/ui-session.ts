/**
 * One end-to-end session: a real `sundial daemon --ui --port 0` on a temp home, Chromium
 * with the printed link open, and the page's live feed connected. Controls are found by
 * role and accessible name, as a screen reader would.
 */
import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { ROOT, tempHome } from "./cli.js";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { startUiDaemon, type UiDaemon } from "./web-ui.js";

export const SCREENSHOTS = path.join(ROOT, "docs", "screenshots");

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

/** Marks the page, so a test can prove later that it was never reloaded. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate("window.__sundialNotReloaded = true");
}

export async function pageWasNotReloaded(page: Page): Promise<boolean> {
  return (await page.evaluate("window.__sundialNotReloaded === true")) === true;
}

/** Saves docs/screenshots/<name>.png (committed; the README shows them). */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), animations: "disabled" });
}
