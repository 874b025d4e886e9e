/**
 * The UI face of the golden DST table (issue 11): a one-off job whose Run at is typed in the
 * editor, in the job's time zone, is saved at the same instant the shared module and the CLI
 * give — gaps move forward, repeated hours mean their first occurrence.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundialJson } from "../support/cli.js";
import { CIVIL_TIME_GOLDEN } from "../support/civil-time-golden.js";
import { openUiSession, type UiSession, endUiSession } from "../support/ui-session.js";

let session: UiSession;

beforeAll(async () => {
  session = await openUiSession("e2e-golden");
}, 120_000);

afterAll(async () => {
  await endUiSession(session);
});

describe("the editor's Run at, typed in the job's zone", () => {
  it("is saved at the golden instant for every gap and fold", async () => {
    const { page, home } = session;
    const saved: Record<string, string> = {};
    for (const [index, golden] of CIVIL_TIME_GOLDEN.entries()) {
      await page.getByRole("button", { name: "New job" }).first().click();
      const dialog = page.getByRole("dialog", { name: "New job" });
      await dialog.getByLabel("Name", { exact: true }).fill(`golden-${index}`);
      await dialog.getByLabel("Command", { exact: true }).fill("true");
      await dialog.getByLabel("Kind", { exact: true }).selectOption("once");
      await dialog.getByLabel("Time zone", { exact: true }).fill(golden.zone);
      await dialog.getByLabel("Run at", { exact: true }).fill(golden.wall);
      const save = dialog.getByRole("button", { name: "Save" });
      await expect.poll(() => save.isEnabled(), { timeout: 10_000 }).toBe(true);
      await save.click();
      await dialog.waitFor({ state: "detached" });
    }
    for (const job of await sundialJson<{ name: string; triggers: { at: string }[] }[]>(["list"], { home })) saved[job.name] = job.triggers[0]!.at;
    const expected = Object.fromEntries(CIVIL_TIME_GOLDEN.map((golden, index) => [`golden-${index}`, golden.instant]));
    expect(saved).toEqual(expected);
  }, 120_000);
});
