/**
 * Issue 17 in Chromium against a real daemon: tag chips and the tag filter on the jobs page,
 * the Tags field in the editor, a job's stats and its duration chart after real runs, and the
 * Agenda page. No page may trip the CSP (the chart is plain SVG, sized by attributes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agenda } from "../../electron/shared/contract.js";
import type { JobView } from "../../electron/shared/schemas.js";
import { sundial, sundialJson, tempHome } from "../support/cli.js";
import { chooseInRowMenu, endUiSession, fieldError, jobRow, openUiSession, saveScreenshot, type UiSession } from "../support/ui-session.js";

let session: UiSession;
const cspViolations: string[] = [];

beforeAll(async () => {
  session = await openUiSession("e2e-insight");
  const { home, page } = session;
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const folder = tempHome("e2e-insight-cwd");
  // Succeeds, fails, succeeds: a marker file flips it.
  const flip = "if [ -e marker ]; then rm marker; exit 3; else touch marker; sleep 0.1; fi";
  for (const args of [
    ["backup-docs", "--cron", "0 3 * * *", "--tag", "backup", "--tag", "nightly", "--", "true"],
    ["report", "--cron", "30 8 * * 1-5", "--tag", "work", "--", "true"],
    ["plain", "--cron", "0 12 * * *", "--", "true"],
    ["flip", "--cron", "0 0 1 1 *", "--cwd", folder, "--tag", "work", "--", flip],
  ]) {
    const added = await sundial(["add", ...args], { home });
    expect(added.code, added.stderr).toBe(0);
  }
  await jobRow(page, "flip").waitFor();
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("tags, stats and the agenda in the UI (issue 17)", () => {
  it("shows each job's tags as chips, and filters the list by a tag (the Tag menu, or a click on a chip)", async () => {
    const { page } = session;
    const chips = jobRow(page, "backup-docs").getByRole("list", { name: "Tags" }).getByRole("listitem");
    expect(await chips.allTextContents()).toEqual(["backup", "nightly"]);
    await saveScreenshot(page, "jobs-with-tags");
    expect(await jobRow(page, "plain").getByRole("list", { name: "Tags" }).count()).toBe(0);

    const tagMenu = page.getByLabel("Tag", { exact: true });
    expect(await tagMenu.locator("option").allTextContents()).toEqual(["All tags", "backup", "nightly", "work"]);
    await tagMenu.selectOption("work");
    await page.getByText("2 of 4 jobs").waitFor();
    expect(await jobRow(page, "backup-docs").count()).toBe(0);
    expect(await jobRow(page, "report").count()).toBe(1);

    await tagMenu.selectOption("");
    await page.getByText("4 jobs", { exact: true }).waitFor();
    await jobRow(page, "backup-docs").getByRole("button", { name: "nightly" }).click();
    await page.getByText("1 of 4 jobs").waitFor();
    expect(await tagMenu.inputValue()).toBe("nightly");
    await tagMenu.selectOption("");
    await page.getByText("4 jobs", { exact: true }).waitFor();
  });

  it("edits a job's tags in the editor, refusing a tag given twice", async () => {
    const { page, home } = session;
    await chooseInRowMenu(page, "plain", "Edit");
    const dialog = page.getByRole("dialog");
    const tags = dialog.getByLabel("Tags", { exact: true });
    await tags.fill("home, Home");
    // Checked as it is typed: Save waits until the form is right.
    await dialog.getByText(/"Home" is given twice/).first().waitFor();
    expect(await fieldError(page, tags)).toMatch(/"Home" is given twice/);
    expect(await dialog.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await tags.fill("home, misc");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await sundialJson<JobView>(["show", "plain"], { home })).tags).toEqual(["home", "misc"]);
    await jobRow(page, "plain").getByRole("list", { name: "Tags" }).getByText("misc").waitFor();
  });

  it("shows a job's stats on its page after real runs, with a bar per run coloured by how it ended, updated live", async () => {
    const { page, home } = session;
    await jobRow(page, "flip").getByRole("link", { name: "flip", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "flip" }).waitFor();
    const stats = page.getByRole("region", { name: "Stats" });
    await stats.getByText("No runs kept yet").waitFor();

    const outcomes = [];
    for (let index = 0; index < 3; index++) outcomes.push((await sundial(["run", "flip", "--wait"], { home })).code);
    expect(outcomes).toEqual([0, 1, 0]);

    const figure = (term: string) => stats.locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
    await stats.getByText("67 % (2 of 3)").waitFor({ timeout: 15_000 });
    expect(await figure("Runs kept").textContent()).toBe("3");
    expect(await figure("Median duration").textContent()).toMatch(/^\d+ ms$/);
    const chart = stats.getByRole("img", { name: /^Durations of the last 3 runs/ });
    const bars = chart.locator("rect");
    const looks = await bars.evaluateAll((rects) => rects.map((rect) => [rect.getAttribute("data-status"), [...rect.classList].find((name) => name.startsWith("tone-"))]));
    expect(looks).toEqual([
      ["succeeded", "tone-good"],
      ["failed", "tone-bad"],
      ["succeeded", "tone-good"],
    ]);
    // Each bar says what it stands for on hover.
    expect(await bars.nth(1).locator("title").textContent()).toMatch(/^Failed, \d+ ms, /);
    // A succeeded bar is drawn with its tone's colour: the CSS applied, no inline style needed.
    const fillOf = (index: number) => bars.nth(index).evaluate((rect) => rect.ownerDocument.defaultView!.getComputedStyle(rect).fill);
    expect(await fillOf(0)).not.toBe(await fillOf(1));
    await saveScreenshot(page, "job-stats");
  });

  it("lists the runs to come day by day on the Agenda page, as sundial agenda does", async () => {
    const { page, home } = session;
    await page.getByRole("link", { name: "Agenda", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Agenda" }).waitFor();
    const days = page.locator("section.day");
    await days.first().waitFor();
    expect(await days.count()).toBe(7);
    expect(await days.first().getByRole("heading", { level: 2 }).textContent()).toMatch(/^Today, /);

    const agenda = await sundialJson<Agenda>(["agenda"], { home });
    const expected = agenda.days.map((day) => day.runs.filter((run) => Date.parse(run.at) > Date.now()).map((run) => run.jobName));
    const shown = await days.evaluateAll((sections) => sections.map((section) => [...section.querySelectorAll("li > a")].map((link) => link.textContent)));
    expect(shown).toEqual(expected);
    expect(shown.flat()).toContain("backup-docs");
    expect(shown.flat()).not.toContain("flip"); // once a year, on January 1st

    await saveScreenshot(page, "agenda");
    await page.getByLabel("Days", { exact: true }).selectOption("1");
    await days.nth(1).waitFor({ state: "detached" });
    expect(await days.count()).toBe(1);
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await jobRow(page, "flip").waitFor();
  });

  it("trips no Content Security Policy on any of these pages", () => {
    expect(cspViolations).toEqual([]);
  });
});
