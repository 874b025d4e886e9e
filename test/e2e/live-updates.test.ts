/**
 * The page is live: a scheduled run that starts and finishes while the page is open shows
 * up in its row (last run, next run), and a running run's log tails and can be cancelled,
 * all without a reload, through the page's event stream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundial, sundialJson } from "../support/cli.js";
import { cellUnder, jobRow, markPage, openUiSession, pageWasNotReloaded, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-live");
  await markPage(session.page);
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("live updates without a reload", () => {
  it("updates a row when a scheduled run finishes", async () => {
    const { page, home } = session;
    await sundial(["add", "ticker", "--every", "3s", "--", "echo tick"], { home });
    const row = jobRow(page, "ticker");
    await row.waitFor({ timeout: 10_000 });
    const nextRun = await cellUnder(page, row, "Next run");
    const lastRun = await cellUnder(page, row, "Last run");
    const firstNext = await nextRun.locator("time").getAttribute("datetime");
    expect(firstNext).not.toBeNull();

    // The first scheduled run, seen as the engine's run.finished event reaches the row.
    await expect.poll(() => lastRun.textContent(), { timeout: 15_000 }).toContain("Succeeded");
    await expect.poll(() => nextRun.locator("time").getAttribute("datetime"), { timeout: 10_000 }).not.toBe(firstNext);
    const runs = await sundialJson<{ status: string; reason: string }[]>(["history", "ticker"], { home });
    expect(runs.some((run) => run.reason === "schedule" && run.status === "succeeded")).toBe(true);

    // And it keeps moving: a later run moves the next run on again.
    const secondNext = await nextRun.locator("time").getAttribute("datetime");
    await expect.poll(() => nextRun.locator("time").getAttribute("datetime"), { timeout: 10_000 }).not.toBe(secondNext);
    expect(Date.parse((await nextRun.locator("time").getAttribute("datetime"))!)).toBeGreaterThan(Date.parse(secondNext!));
    expect(await pageWasNotReloaded(page)).toBe(true);
    await sundial(["pause", "ticker"], { home });
  });

  it("tails a running run's log and cancels it", async () => {
    const { page, home } = session;
    await sundial(["add", "slow", "--cron", "0 0 1 1 *", "--", 'echo "starting"; sleep 30; echo "never printed"'], { home });
    await jobRow(page, "slow").waitFor({ timeout: 10_000 });
    await page.getByRole("link", { name: "slow", exact: true }).click();
    await page.getByRole("button", { name: "Run slow now" }).click();
    const log = page.getByRole("region", { name: "Run log" });
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain("starting");
    expect(await log.textContent()).toContain("Running");

    await log.getByRole("button", { name: "Cancel run" }).click();
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain("Cancelled");
    expect(await log.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
    const [run] = await sundialJson<{ status: string }[]>(["history", "slow"], { home });
    expect(run?.status).toBe("cancelled");
    expect(await log.textContent()).not.toContain("never printed");
    expect(await pageWasNotReloaded(page)).toBe(true);
  });

  it("ran without script errors or CSP violations", () => {
    expect(session.browser.problems()).toEqual([]);
  });
});
