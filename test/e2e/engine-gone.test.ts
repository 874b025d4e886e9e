/**
 * The engine goes away under an open page (issue 13, item 9): the page says so plainly and
 * what to do, disables its actions, stops its countdowns, and when a daemon is started again
 * on the same home and port (the token file is reused, so the page's token still works) it
 * reconnects by itself, catches up, and works again, without a reload.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { sleep, stopAllDaemons, sundial } from "../support/cli.js";
import { cellUnder, chooseInRowMenu, jobRow, markPage, openUiSession, pageWasNotReloaded, saveScreenshot, waitUntilLive, type UiSession } from "../support/ui-session.js";
import { startUiDaemon } from "../support/web-ui.js";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-engine-gone");
  await markPage(session.page);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await stopAllDaemons();
});

const BANNER_TEXT = "Sundial's engine is not running — start it with sundial daemon --ui (or open the app).";

describe("when the engine is gone", () => {
  it("shows a banner saying how to start it, disables actions and stops the countdowns; then recovers by itself", async () => {
    const { page, home, ui } = session;
    const added = await sundial(["add", "ticker", "--every", "1h", "--", "echo tick"], { home });
    expect(added.code, added.stderr).toBe(0);
    const row = jobRow(page, "ticker");
    await row.waitFor({ timeout: 10_000 });
    const runButton = page.getByRole("button", { name: "Run ticker now" });
    expect(await runButton.isEnabled()).toBe(true);
    const banner = page.getByRole("alert", { name: "Engine not running" });
    expect(await banner.count()).toBe(0);

    await ui.daemon.kill9();

    await banner.waitFor({ timeout: 20_000 });
    expect((await banner.locator("p").first().textContent())?.replace(/\s+/g, " ").trim()).toBe(`⚠ ${BANNER_TEXT}`);
    expect(await banner.locator("code").textContent()).toBe("sundial daemon --ui");
    expect(await page.getByRole("status").filter({ hasText: "Connection lost" }).count()).toBe(1);
    for (const name of ["Run ticker now", "New job", "Pause all"]) {
      expect(await page.getByRole("button", { name, exact: true }).isDisabled(), name).toBe(true);
    }
    // The countdown would move within a second or two if the page's clock still ran: it must not.
    const nextRun = await cellUnder(page, row, "Next run");
    const frozen = await nextRun.textContent();
    expect(frozen).toMatch(/ in \d/);
    await sleep(2_500);
    expect(await nextRun.textContent()).toBe(frozen);
    await saveScreenshot(page, "engine-gone");

    // A daemon on the same home and port: the page finds it again by itself.
    await startUiDaemon(home, { port: ui.port });
    await sundial(["add", "while-away", "--every", "2h", "--", "true"], { home });
    await banner.waitFor({ state: "detached", timeout: 30_000 });
    await waitUntilLive(page);
    await jobRow(page, "while-away").waitFor({ timeout: 15_000 });
    expect(await runButton.isEnabled()).toBe(true);
    await runButton.click();
    await page.getByRole("status").filter({ hasText: "Started “ticker”" }).waitFor({ timeout: 10_000 });
    await expect.poll(() => nextRun.textContent(), { timeout: 10_000 }).not.toBe(frozen);
    expect(await pageWasNotReloaded(page)).toBe(true);
  }, 120_000);

  it("an editor left open says the engine is not running when Save finds it gone, not \"Failed to fetch\"", async () => {
    const { page, home } = session;
    await chooseInRowMenu(page, "ticker", "Edit");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.getByRole("textbox", { name: "Name" }).fill("ticker-renamed");
    await stopAllDaemons();
    // The page behind the dialog is inert (hidden from roles): find the banner by its class.
    await page.locator(".engine-gone").waitFor({ timeout: 20_000 });
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.textContent(), { timeout: 10_000 }).toContain(BANNER_TEXT.slice(0, -1));
    expect(await page.textContent("body")).not.toContain("Failed to fetch");
    expect(await dialog.isVisible()).toBe(true);
    // Nothing was saved: the store on disk still has the old name.
    const stored = fs.readFileSync(homePaths(home).jobs, "utf8");
    expect(stored).toContain('"ticker"');
    expect(stored).not.toContain("ticker-renamed");
  }, 60_000);

  it("had no script errors beyond the refused connections while the engine was gone", () => {
    const problems = session.browser.problems().filter((problem) => !/net::ERR_(CONNECTION_REFUSED|EMPTY_RESPONSE|CONNECTION_RESET|INCOMPLETE_CHUNKED_ENCODING)/.test(problem));
    expect(problems).toEqual([]);
  });
});
