/**
 * How the page gets in, from the browser's side (the server's rules are in
 * test/daemon/web-host.test.ts): the printed link's token moves to this tab's
 * sessionStorage and leaves the address bar; without it, or with a wrong one, the page
 * explains what to open instead of showing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundial } from "../support/cli.js";
import { jobRow, openUiSession, waitUntilLive, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-access");
  await sundial(["add", "private-job", "--cron", "0 3 * * *", "--", "echo private"], { home: session.home });
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("access to the web UI", () => {
  it("takes the token out of the address bar and keeps it for the tab", async () => {
    const { page, ui } = session;
    await jobRow(page, "private-job").waitFor({ timeout: 10_000 });
    expect(page.url()).toBe(`${ui.origin}/`);
    expect(await page.evaluate("sessionStorage.getItem('sundial.token')")).toBe(ui.token);
    // A reload keeps working: the token is in this tab's sessionStorage.
    await page.reload();
    await waitUntilLive(page);
    await jobRow(page, "private-job").waitFor();
  });

  it("shows how to get in, and no jobs, without the token", async () => {
    const { browser, ui } = session;
    // A new tab has its own sessionStorage: the bare address is not enough.
    const page = await browser.newPage(`${ui.origin}/`);
    await page.getByRole("heading", { name: "Sundial needs its access link" }).waitFor({ timeout: 10_000 });
    expect(await page.getByText("private-job").count()).toBe(0);
    await page.close();
  });

  it("refuses a wrong token the same way", async () => {
    const { browser, ui } = session;
    const page = await browser.newPage(`${ui.origin}/#token=${"0".repeat(64)}`);
    await page.getByRole("heading", { name: "Sundial needs its access link" }).waitFor({ timeout: 10_000 });
    expect(await page.getByText("private-job").count()).toBe(0);
    await page.close();
  });

  it("ran without script errors or CSP violations (the refused requests aside)", () => {
    const problems = session.browser.problems().filter((problem) => !/status of 401 /.test(problem));
    expect(problems).toEqual([]);
  });
});
