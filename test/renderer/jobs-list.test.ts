// @vitest-environment jsdom
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "../../renderer/src/App.svelte";
import { AppState } from "../../renderer/src/lib/state/app.svelte.js";
import { fakeClient, makeJob, makeRun, settle, type FakeClient } from "./support.js";

const backup = makeJob({ name: "backup", trigger: { type: "cron", version: 1, expression: "*/15 * * * *" } });
const photos = makeJob({ name: "photos", paused: true, nextRunAt: null, trigger: { type: "interval", version: 1, everySeconds: 300 } });

/** Opens the row menu of job `name` and chooses `item` in it. */
async function chooseInRowMenu(name: string, item: string) {
  await fireEvent.click(screen.getByRole("button", { name: `More actions for ${name}` }));
  await settle();
  await fireEvent.click(within(screen.getByRole("menu", { name: `Actions for ${name}` })).getByRole("menuitem", { name: item }));
}

async function renderApp(client: FakeClient) {
  const app = new AppState(client);
  const view = render(App, { props: { app } });
  await settle(10);
  await Promise.resolve();
  return { app, ...view };
}

beforeEach(() => {
  window.history.replaceState(null, "", "/");
  // Only the date is fixed; timers stay real so the app's promises and intervals run.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the jobs list", () => {
  it("explains Sundial and offers New job when there are no jobs", async () => {
    await renderApp(fakeClient([]));
    expect(screen.getByRole("heading", { name: "No jobs yet" })).toBeTruthy();
    expect(screen.getByText(/runs your commands and scripts on a schedule/)).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "New job" }));

    expect(screen.getByRole("dialog", { name: "New job" })).toBeTruthy();
  });

  it("shows one row per job with its schedule in words, the raw cron on hover, and its state in words beside its name", async () => {
    await renderApp(fakeClient([backup, photos]));
    const table = screen.getByRole("table", { name: "Jobs" });
    expect(within(table).getAllByRole("columnheader").map((header) => header.textContent?.trim())).toEqual([
      "Name",
      "Schedule",
      "Next run",
      "Last run",
      "Actions",
    ]);
    const backupRow = screen.getByRole("link", { name: "backup" }).closest("tr")!;
    const schedule = within(backupRow).getByText("Every 15 minutes");
    expect(schedule.getAttribute("title")).toBe("Every 15 minutes\n*/15 * * * *");
    expect(within(backupRow).getAllByRole("cell")[0]!.textContent).toContain("Active");
    expect(within(backupRow).getByText("Never run")).toBeTruthy();
    expect(within(backupRow).getByText(/^in /)).toBeTruthy();
    const photosRow = screen.getByRole("link", { name: "photos" }).closest("tr")!;
    expect(within(photosRow).getByText("Every 5 minutes")).toBeTruthy();
    expect(within(photosRow).getAllByRole("cell")[0]!.textContent).toContain("Paused");
  });

  it("words several triggers, names a chain's parent, and shows what an event-only job waits for as its next run (issue 15)", async () => {
    const login = makeJob({ name: "morning", triggers: [{ type: "cron", version: 1, expression: "0 9 * * 1-5" }, { type: "startup", version: 1 }] });
    const upload = makeJob({ name: "upload", nextRunAt: null, trigger: { type: "after", version: 1, job: backup.id, on: "success" } });
    const inbox = makeJob({ name: "inbox", nextRunAt: null, trigger: { type: "watch", version: 1, path: "/home/me/Documents", debounceSeconds: 2 } });
    const deploy = makeJob({ name: "deploy", nextRunAt: null, triggers: [] });
    await renderApp(fakeClient([backup, login, upload, inbox, deploy]));
    const cells = (name: string) => within(screen.getByRole("link", { name }).closest("tr")!).getAllByRole("cell").map((cell) => cell.textContent?.trim());
    expect(cells("morning")[1]).toMatch(/^At 09:00( AM)?, Monday through Friday, and at login$/);
    expect(cells("morning")[2]).toMatch(/^Mon/);
    expect(cells("upload").slice(1, 3)).toEqual(["after backup succeeds", "after backup"]);
    expect(cells("inbox").slice(1, 3)).toEqual(["on change in /home/me/Documents", "on change"]);
    expect(cells("deploy").slice(1, 3)).toEqual(["Manual (Run now, the tray, or a chain)", "Manual"]);
  });

  it("says why the last run was skipped, and what a waiting run waits for (issue 15)", async () => {
    const skipped = makeJob({ name: "tidy", lastRun: makeRun({ id: "r1", jobId: "job-tidy", status: "skipped", error: "outside 09:00-17:00", exitCode: null }) });
    const waitingRun = makeRun({ id: "r2", jobId: "job-upload", status: "waiting", error: "waiting: on battery", startedAt: null, exitCode: null });
    const waiting = makeJob({ name: "upload", waiting: { run: waitingRun, until: null } });
    await renderApp(fakeClient([skipped, waiting]));
    const lastCell = (name: string) => within(screen.getByRole("link", { name }).closest("tr")!).getAllByRole("cell")[3]!.textContent ?? "";
    expect(lastCell("tidy")).toMatch(/Skipped\s*outside 09:00-17:00/);
    expect(lastCell("upload")).toMatch(/Waiting\s*on battery/);
  });

  it("shows a job whose trigger cannot run as Broken, with the reason on hover (issue 10)", async () => {
    const broken = makeJob({ name: "huge", nextRunAt: null, problem: "trigger.everySeconds: must be at most 3155760000 seconds (100 years)", trigger: { type: "interval", version: 1, everySeconds: 9_007_199_254_740_991 } });
    await renderApp(fakeClient([backup, broken]));
    const row = screen.getByRole("link", { name: "huge" }).closest("tr")!;
    const state = within(row).getByText("Broken").closest("span")!;
    expect(state.getAttribute("title")).toMatch(/^trigger\.everySeconds: must be at most/);
    const backupRow = screen.getByRole("link", { name: "backup" }).closest("tr")!;
    expect(within(backupRow).queryByText("Broken")).toBeNull();
  });

  it("shows a job with a problem in one event trigger as having a problem, not broken (issue 15)", async () => {
    const gone = makeJob({ name: "inbox", nextRunAt: null, problem: "watched path missing: /srv/in", trigger: { type: "watch", version: 1, path: "/srv/in", debounceSeconds: 2 } });
    await renderApp(fakeClient([gone]));
    const row = screen.getByRole("link", { name: "inbox" }).closest("tr")!;
    expect(within(row).queryByText("Broken")).toBeNull();
    expect(within(row).getByText("Problem").closest("span")!.getAttribute("title")).toBe("watched path missing: /srv/in");
  });

  it("keeps Run in the row and the other actions in a menu named after the job", async () => {
    const client = fakeClient([backup, photos]);
    await renderApp(client);
    for (const name of ["Run backup now", "More actions for backup", "Run photos now", "More actions for photos"]) {
      expect(screen.getByRole("button", { name })).toBeTruthy();
    }
    const more = screen.getByRole("button", { name: "More actions for backup" });
    expect(more.getAttribute("aria-haspopup")).toBe("menu");
    expect(more.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(more);
    await settle();
    expect(more.getAttribute("aria-expanded")).toBe("true");
    const menu = screen.getByRole("menu", { name: "Actions for backup" });
    expect(within(menu).getAllByRole("menuitem").map((item) => item.textContent?.trim())).toEqual(["Edit", "Pause", "Duplicate", "Delete"]);
    expect(document.activeElement?.textContent).toBe("Edit");
    await fireEvent.keyDown(menu, { key: "Escape" });
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(more);

    await fireEvent.click(screen.getByRole("button", { name: "Run backup now" }));
    await settle();
    expect(client.runNow).toHaveBeenCalledWith(backup.id);
    expect(screen.getByText("Started “backup”")).toBeTruthy();

    await chooseInRowMenu("backup", "Pause");
    await settle();
    expect(client.pauseJob).toHaveBeenCalledWith(backup.id);
    await fireEvent.click(screen.getByRole("button", { name: "More actions for backup" }));
    await settle();
    expect(within(screen.getByRole("menu", { name: "Actions for backup" })).getByRole("menuitem", { name: "Resume" })).toBeTruthy();
  });

  it("asks before deleting, and Escape keeps the job", async () => {
    const client = fakeClient([backup]);
    await renderApp(client);

    await chooseInRowMenu("backup", "Delete");
    const dialog = screen.getByRole("alertdialog", { name: "Delete “backup”?" });
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(client.removeJob).not.toHaveBeenCalled();

    await chooseInRowMenu("backup", "Delete");
    await fireEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await settle();
    expect(client.removeJob).toHaveBeenCalledWith(backup.id, { purge: false });
    expect(screen.queryByRole("link", { name: "backup" })).toBeNull();
  });

  it("makes the page behind an open dialog inert", async () => {
    await renderApp(fakeClient([backup]));
    await chooseInRowMenu("backup", "Edit");
    expect(screen.getByRole("dialog", { name: "Edit job" })).toBeTruthy();
    const shell = document.querySelector<HTMLElement>(".shell")!;
    expect(shell.inert).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(shell.inert).toBe(false);
  });

  it("updates rows live from engine events", async () => {
    const client = fakeClient([backup]);
    await renderApp(client);

    client.emit({ type: "job.added", job: makeJob({ name: "mail" }) });
    client.emit({ type: "run.finished", run: makeRun({ id: "r1", jobId: backup.id, status: "succeeded", durationMs: 1200 }) });
    await settle();

    expect(screen.getByRole("link", { name: "mail" })).toBeTruthy();
    const backupRow = screen.getByRole("link", { name: "backup" }).closest("tr")!;
    expect(within(backupRow).getByText("Succeeded")).toBeTruthy();
    expect(within(backupRow).getByText("· 1.2 s")).toBeTruthy();
  });

  it("filters by the Filter jobs box and sorts with Sort by", async () => {
    const early = makeJob({ name: "zeta", nextRunAt: "2026-01-01T00:00:00Z" });
    await renderApp(fakeClient([backup, photos, early]));
    const names = () => screen.getAllByRole("link").filter((link) => link.closest("tbody")).map((link) => link.textContent);

    expect(names()).toEqual(["zeta", "backup", "photos"]);
    await fireEvent.change(screen.getByRole("combobox", { name: "Sort by" }), { target: { value: "name" } });
    expect(names()).toEqual(["backup", "photos", "zeta"]);

    await fireEvent.input(screen.getByRole("searchbox", { name: "Filter jobs" }), { target: { value: "PHO" } });
    expect(names()).toEqual(["photos"]);
    expect(screen.getByText("1 of 3 jobs")).toBeTruthy();
  });

  it("pauses and resumes every schedule with one button", async () => {
    const client = fakeClient([backup]);
    await renderApp(client);
    await fireEvent.click(screen.getByRole("button", { name: "Pause all" }));
    await settle();
    expect(client.pauseAll).toHaveBeenCalledOnce();
    expect(screen.getByRole("button", { name: "Resume all" })).toBeTruthy();
    expect(screen.getByText(/All schedules are paused/)).toBeTruthy();
  });

  it("shows the access-link screen when the daemon refuses the token", async () => {
    const client = fakeClient([backup]);
    await renderApp(client);
    client.setConnection("unauthorized");
    await settle();
    expect(screen.getByRole("heading", { name: /needs its access link/ })).toBeTruthy();
    expect(screen.getByText("sundial daemon --ui")).toBeTruthy();
  });
});
