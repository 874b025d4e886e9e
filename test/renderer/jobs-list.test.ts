// @vitest-environment jsdom
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "../../renderer/src/App.svelte";
import { AppState } from "../../renderer/src/lib/state/app.svelte.js";
import { fakeClient, makeJob, makeRun, settle, type FakeClient } from "./support.js";

const backup = makeJob({ name: "backup", trigger: { type: "cron", version: 1, expression: "*/15 * * * *" } });
const photos = makeJob({ name: "photos", paused: true, nextRunAt: null, trigger: { type: "interval", version: 1, everySeconds: 300 } });

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

  it("shows one row per job with its schedule in words, the raw cron on hover, and its state in words", async () => {
    await renderApp(fakeClient([backup, photos]));
    const table = screen.getByRole("table", { name: "Jobs" });
    expect(within(table).getAllByRole("columnheader").map((header) => header.textContent?.trim())).toEqual([
      "Name",
      "Schedule",
      "Next run",
      "Last run",
      "State",
      "Actions",
    ]);
    const backupRow = screen.getByRole("link", { name: "backup" }).closest("tr")!;
    const schedule = within(backupRow).getByText("Every 15 minutes");
    expect(schedule.getAttribute("title")).toBe("*/15 * * * *");
    expect(within(backupRow).getByText("Never run")).toBeTruthy();
    expect(within(backupRow).getByText(/^in /)).toBeTruthy();
    const photosRow = screen.getByRole("link", { name: "photos" }).closest("tr")!;
    expect(within(photosRow).getByText("Every 5m")).toBeTruthy();
    expect(within(photosRow).getAllByText(/Paused/).length).toBeGreaterThan(0);
  });

  it("names every row action after its job", async () => {
    const client = fakeClient([backup, photos]);
    await renderApp(client);
    for (const name of ["Run backup now", "Pause backup", "Edit backup", "Duplicate backup", "Delete backup", "Resume photos"]) {
      expect(screen.getByRole("button", { name })).toBeTruthy();
    }

    await fireEvent.click(screen.getByRole("button", { name: "Run backup now" }));
    await settle();
    expect(client.runNow).toHaveBeenCalledWith(backup.id);
    expect(screen.getByText("Started “backup”")).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Pause backup" }));
    await settle();
    expect(client.pauseJob).toHaveBeenCalledWith(backup.id);
    expect(screen.getByRole("button", { name: "Resume backup" })).toBeTruthy();
  });

  it("asks before deleting, and Escape keeps the job", async () => {
    const client = fakeClient([backup]);
    await renderApp(client);

    await fireEvent.click(screen.getByRole("button", { name: "Delete backup" }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete “backup”?" });
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(client.removeJob).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole("button", { name: "Delete backup" }));
    await fireEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await settle();
    expect(client.removeJob).toHaveBeenCalledWith(backup.id);
    expect(screen.queryByRole("link", { name: "backup" })).toBeNull();
  });

  it("makes the page behind an open dialog inert", async () => {
    await renderApp(fakeClient([backup]));
    await fireEvent.click(screen.getByRole("button", { name: "Edit backup" }));
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
    expect(within(backupRow).getByText("· 1.2s")).toBeTruthy();
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
