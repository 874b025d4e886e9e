import { describe, expect, it } from "vitest";
import {
  GROUP_BY_TAG_ABOVE,
  MAX_JOB_SUBMENUS,
  UNTAGGED_GROUP,
  buildTrayMenu,
  headerLine,
  trayIconState,
  trayTooltip,
  type MenuItemModel,
  type TrayState,
} from "../../electron/main/tray-menu.js";
import { NOW, finishedRun, jobView } from "./fixtures.js";
import { buildAgenda } from "../../electron/core/agenda.js";

function state(overrides: Partial<TrayState> = {}): TrayState {
  return { now: NOW, jobs: [], allPaused: false, pausedUntil: null, openAtLogin: false, timeZone: "UTC", locale: "en-GB", ...overrides };
}

const labels = (items: MenuItemModel[]) => items.map((item) => (item.type === "separator" ? "---" : item.label));
const submenuOf = (menu: MenuItemModel[], name: string) => menu.find((item) => item.type === "submenu" && item.label?.endsWith(` ${name}`))?.submenu ?? [];

describe("the tray menu header", () => {
  it("names the next job and how long until it runs", () => {
    const jobs = [jobView({ id: "a", name: "sync", nextRunAt: "2026-03-02T11:00:00.000Z" }), jobView({ id: "b", name: "backup", nextRunAt: "2026-03-02T10:00:00.000Z" })];
    expect(headerLine(state({ jobs }))).toBe("Next: backup in 12 min");
  });

  it("says nothing is scheduled when every job is paused or finished", () => {
    const jobs = [jobView({ paused: true, nextRunAt: null }), jobView({ id: "done", finished: true, nextRunAt: null })];
    expect(headerLine(state({ jobs }))).toBe("Nothing scheduled");
  });

  it("says until when everything is paused", () => {
    expect(headerLine(state({ jobs: [jobView()], allPaused: true, pausedUntil: "2026-03-02T14:00:00.000Z" }))).toBe("All paused until 14:00");
    expect(headerLine(state({ allPaused: true, pausedUntil: "2026-03-03T14:00:00.000Z" }))).toBe("All paused until Tue 3 Mar 14:00");
    expect(headerLine(state({ allPaused: true }))).toBe("All paused");
  });

  it("shows wall times in the given zone", () => {
    expect(headerLine(state({ allPaused: true, pausedUntil: "2026-03-02T14:00:00.000Z", timeZone: "Europe/Paris" }))).toBe("All paused until 15:00");
  });
});

describe("the tray menu's job submenus", () => {
  it("say how a job without a next time runs: on its events, or when asked (issue 15)", () => {
    const jobs = [
      jobView({ id: "b", name: "backup", nextRunAt: "2026-03-02T10:00:00.000Z" }),
      jobView({ id: "u", name: "upload", nextRunAt: null, triggers: [{ type: "after", version: 1, job: "b", on: "success" }, { type: "startup", version: 1 }] }),
      jobView({ id: "m", name: "deploy", nextRunAt: null, triggers: [] }),
    ];
    const menu = buildTrayMenu(state({ jobs }));
    expect(submenuOf(menu, "upload")[0]!.label).toBe("Runs after backup succeeds, and at login");
    expect(submenuOf(menu, "deploy")[0]!.label).toBe("Manual (Run now, the tray, or a chain)");
  });

  it("give the next run, the last run, Run now, Pause and Show in Sundial", () => {
    const jobs = [jobView({ lastRun: finishedRun({ jobId: "job-backup", status: "succeeded", exitCode: 0, endedAt: "2026-03-02T09:45:00.000Z" }) })];
    const submenu = submenuOf(buildTrayMenu(state({ jobs })), "backup");
    expect(labels(submenu)).toEqual(["Next: 10:00", "Last: succeeded 3 min ago", "---", "Run now", "Pause", "Show in Sundial"]);
    expect(submenu[0]!.enabled).toBe(false);
    expect(submenu.find((item) => item.label === "Run now")!.action).toEqual({ type: "runNow", jobId: "job-backup" });
    expect(submenu.find((item) => item.label === "Pause")!.action).toEqual({ type: "pauseJob", jobId: "job-backup" });
    expect(submenu.find((item) => item.label === "Show in Sundial")!.action).toEqual({ type: "openWindow", hash: "#/jobs/job-backup" });
  });

  it("offer Resume instead of Pause for a paused job", () => {
    const submenu = submenuOf(buildTrayMenu(state({ jobs: [jobView({ paused: true, nextRunAt: null })] })), "backup");
    expect(labels(submenu)).toContain("Resume");
    expect(labels(submenu)).not.toContain("Pause");
    expect(submenu[0]!.label).toBe("Paused");
    expect(submenu.find((item) => item.label === "Resume")!.action).toEqual({ type: "resumeJob", jobId: "job-backup" });
  });

  it("offer no Pause for a finished job (it has no runs left; the engine refuses it)", () => {
    const submenu = submenuOf(buildTrayMenu(state({ jobs: [jobView({ finished: true, nextRunAt: null })] })), "backup");
    expect(labels(submenu)).toEqual(["Finished", expect.any(String), "---", "Run now", "Show in Sundial"]);
  });

  it("put a status glyph before each job's name", () => {
    const jobs = [
      jobView({ id: "1", name: "idle" }),
      jobView({ id: "2", name: "busy", runningRunIds: ["r1"] }),
      jobView({ id: "3", name: "broken", lastRun: finishedRun({ status: "failed" }) }),
      jobView({ id: "4", name: "resting", paused: true, nextRunAt: null }),
      jobView({ id: "5", name: "once", finished: true, nextRunAt: null, lastRun: finishedRun({ status: "succeeded", exitCode: 0 }) }),
    ];
    const names = buildTrayMenu(state({ jobs })).filter((item) => item.type === "submenu").map((item) => item.label);
    // Soonest next run first (a tie goes by name), then the jobs with no next run.
    expect(names).toEqual(["✕ broken", "▶ busy", "• idle", "✓ once", "⏸ resting"]);
  });

  it("describe a failed last run with its exit code, and a running one as running", () => {
    const failed = submenuOf(buildTrayMenu(state({ jobs: [jobView({ lastRun: finishedRun({ status: "failed", exitCode: 3, endedAt: "2026-03-02T08:48:00.000Z" }) })] })), "backup");
    expect(failed[1]!.label).toBe("Last: failed (exit 3) 1 h ago");
    const running = submenuOf(buildTrayMenu(state({ jobs: [jobView({ runningRunIds: ["r1"] })] })), "backup");
    expect(running[1]!.label).toBe("Running now");
  });

  it("are listed soonest first, and capped with a way to the window", () => {
    const jobs = Array.from({ length: MAX_JOB_SUBMENUS + 7 }, (_, index) =>
      jobView({ id: `job-${index}`, name: `job ${String(index).padStart(2, "0")}`, nextRunAt: new Date(NOW + (100 - index) * 60_000).toISOString() }),
    );
    const menu = buildTrayMenu(state({ jobs }));
    const submenus = menu.filter((item) => item.type === "submenu");
    expect(submenus).toHaveLength(MAX_JOB_SUBMENUS);
    expect(submenus[0]!.label).toBe(`• job ${MAX_JOB_SUBMENUS + 6}`);
    const more = menu.find((item) => item.label?.includes("more…"));
    expect(more).toEqual({ label: "7 more… (Open Sundial)", action: { type: "openWindow" } });
  });
});

describe("the tray menu's global items", () => {
  it("end with Pause all, Open Sundial, Start at login and Quit", () => {
    const menu = buildTrayMenu(state({ jobs: [jobView()], openAtLogin: true }));
    expect(labels(menu).slice(-7)).toEqual(["---", "Pause all for 1 hour", "Open Sundial", "---", "Start at login", "---", "Quit"]);
    const login = menu.find((item) => item.label === "Start at login")!;
    expect(login).toMatchObject({ type: "checkbox", checked: true, action: { type: "toggleOpenAtLogin" } });
    expect(menu.at(-1)!.action).toEqual({ type: "quit" });
  });

  it("offer Resume all while everything is paused", () => {
    const menu = buildTrayMenu(state({ jobs: [jobView()], allPaused: true }));
    expect(labels(menu)).toContain("Resume all");
    expect(labels(menu)).not.toContain("Pause all for 1 hour");
  });

  it("start with a notice line when there is one, and say no jobs when there are none", () => {
    const menu = buildTrayMenu(state({ notice: "Quitting when a run finishes" }));
    expect(labels(menu).slice(0, 4)).toEqual(["Quitting when a run finishes", "Nothing scheduled", "---", "No jobs yet"]);
  });
});

describe("the tray icon and tooltip", () => {
  it("is idle when nothing runs and nothing failed", () => {
    expect(trayIconState(state({ jobs: [jobView({ lastRun: finishedRun({ status: "succeeded", exitCode: 0 }) })] }))).toBe("idle");
  });

  it("shows a failure while any job's last run failed, timed out, could not start or was interrupted", () => {
    for (const status of ["failed", "timed_out", "spawn_error", "interrupted"] as const) {
      expect(trayIconState(state({ jobs: [jobView(), jobView({ id: "x", lastRun: finishedRun({ status }) })] }))).toBe("failed");
    }
    expect(trayIconState(state({ jobs: [jobView({ lastRun: finishedRun({ status: "cancelled" }) })] }))).toBe("idle");
  });

  it("shows running over failed while a run is in progress", () => {
    const jobs = [jobView({ lastRun: finishedRun({ status: "failed" }) }), jobView({ id: "y", runningRunIds: ["r"] })];
    expect(trayIconState(state({ jobs }))).toBe("running");
  });

  it("tooltip names the next run and counts running and failed jobs, within Windows' 127 characters", () => {
    const jobs = [jobView(), jobView({ id: "b", name: "sync", runningRunIds: ["r"] }), jobView({ id: "c", name: "mail", lastRun: finishedRun({ status: "failed" }) })];
    expect(trayTooltip(state({ jobs }))).toBe("Sundial — Next: backup in 12 min · 1 running · 1 failed");
    const long = trayTooltip(state({ jobs: [jobView({ name: "x".repeat(300) })] }));
    expect(long.length).toBeLessThanOrEqual(127);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("the tray's alert lines (issue 16)", () => {
  const noSuccess = { alertId: "a_1", kind: "no-success" as const, at: "2026-03-02T09:00:00.000Z", since: "2026-02-28T09:00:00.000Z" };

  it("says which job has an open alert, in the shared words, and opens that job", () => {
    const jobs = [jobView({ openAlert: noSuccess }), jobView({ id: "job-sync", name: "sync" })];
    const menu = buildTrayMenu(state({ jobs }));
    const line = menu.find((item) => item.type !== "submenu" && item.label?.startsWith("⚠ "));
    expect(line?.label).toBe("⚠ backup: no success for 2 days");
    expect(line?.action).toEqual({ type: "openWindow", hash: "#/jobs/job-backup" });
    expect(labels(menu).indexOf(line!.label)).toBeLessThan(labels(menu).indexOf("---"));
    expect(submenuOf(menu, "backup")).not.toEqual([]);
    expect(menu.find((item) => item.label?.endsWith(" backup"))?.label).toBe("⚠ backup");
  });

  it("shows the alert icon state for an open alert even when the last run succeeded, and counts alerts in the tooltip", () => {
    const jobs = [jobView({ openAlert: noSuccess, lastRun: finishedRun({ jobId: "job-backup", status: "succeeded", exitCode: 0 }) })];
    expect(trayIconState({ jobs })).toBe("failed");
    expect(trayTooltip(state({ jobs }))).toContain("1 alert");
    expect(trayIconState({ jobs: [jobView({ openAlert: null })] })).toBe("idle");
  });

  it("lists three alert lines, then one line that opens the alerts list", () => {
    const jobs = ["a", "b", "c", "d", "e"].map((name) => jobView({ id: `job-${name}`, name, openAlert: { ...noSuccess, kind: "failures", failures: 4 } }));
    const lines = buildTrayMenu(state({ jobs })).filter((item) => item.type !== "submenu" && (item.label?.startsWith("⚠ ") || item.label?.includes("more alert")));
    expect(lines.map((item) => item.label)).toEqual(["⚠ a: failed 4 times in a row", "⚠ b: failed 4 times in a row", "⚠ c: failed 4 times in a row", "2 more alerts… (Open Sundial)"]);
    expect(lines[3]!.action).toEqual({ type: "openWindow", hash: "#/alerts" });
  });
});

describe("the tray's next runs and tag groups (issue 17)", () => {
  // The next runs as the app reads them: the engine's agenda of today and tomorrow.
  const upcomingOf = (jobs: TrayState["jobs"]) => buildAgenda(jobs, { fromMs: NOW, days: 2, zone: "UTC" }).days.flatMap((day) => day.runs);
  const every15 = jobView({ id: "job-sync", name: "sync", triggers: [{ type: "cron", version: 1, expression: "*/15 * * * *", timezone: "UTC" }] });
  const daily = jobView({ triggers: [{ type: "cron", version: 1, expression: "0 10 * * *", timezone: "UTC" }] });

  it("shows the next three runs over every job first, soonest first (a tie by name), each opening its job", () => {
    const jobs = [every15, daily];
    const menu = buildTrayMenu(state({ jobs, upcoming: upcomingOf(jobs) }));
    expect(labels(menu).slice(0, 4)).toEqual(["Next: backup 10:00 (in 12 min)", "Then: sync 10:00 (in 12 min)", "Then: sync 10:15 (in 27 min)", "---"]);
    expect(menu[0]!.action).toEqual({ type: "openWindow", hash: "#/jobs/job-backup" });
    expect(menu[1]!.action).toEqual({ type: "openWindow", hash: "#/jobs/job-sync" });
  });

  it("keeps the one header line while everything is paused, or when nothing is coming", () => {
    const jobs = [daily, every15];
    expect(labels(buildTrayMenu(state({ jobs, upcoming: upcomingOf(jobs), allPaused: true })))[0]).toBe("All paused");
    expect(labels(buildTrayMenu(state({ jobs: [], upcoming: [] })))[0]).toBe("Nothing scheduled");
  });

  const many = (count: number, tagsOf: (index: number) => string[]) =>
    Array.from({ length: count }, (_, index) => jobView({ id: `job-${index}`, name: `job ${String(index).padStart(2, "0")}`, tags: tagsOf(index) }));

  it(`groups the jobs by tag in submenus past ${GROUP_BY_TAG_ABOVE} jobs, a job under each of its tags, the rest under ${UNTAGGED_GROUP}`, () => {
    const jobs = many(GROUP_BY_TAG_ABOVE + 1, (index) => (index < 4 ? ["backup"] : index < 6 ? ["work", "backup"] : index < 8 ? ["work"] : []));
    const menu = buildTrayMenu(state({ jobs }));
    const groups = menu.filter((item) => item.type === "submenu");
    expect(groups.map((group) => group.label)).toEqual(["backup", "work", UNTAGGED_GROUP]);
    const jobNames = (group: MenuItemModel) => (group.submenu ?? []).map((item) => item.label?.replace(/^\S+ /, "")).sort();
    expect(jobNames(groups[0]!)).toEqual(["job 00", "job 01", "job 02", "job 03", "job 04", "job 05"]);
    expect(jobNames(groups[1]!)).toEqual(["job 04", "job 05", "job 06", "job 07"]);
    expect(jobNames(groups[2]!)).toEqual(["job 08", "job 09", "job 10"]);
    // Inside a group, each job keeps its own submenu (Run now, Pause, …).
    expect(labels(groups[1]!.submenu![0]!.submenu!)).toContain("Run now");
  });

  it(`lists the jobs flat up to ${GROUP_BY_TAG_ABOVE} jobs, and when no job has a tag`, () => {
    const few = buildTrayMenu(state({ jobs: many(GROUP_BY_TAG_ABOVE, () => ["backup"]) }));
    expect(few.filter((item) => item.type === "submenu").map((item) => item.label)).toHaveLength(GROUP_BY_TAG_ABOVE);
    expect(few.some((item) => item.label === "backup")).toBe(false);
    const untagged = buildTrayMenu(state({ jobs: many(GROUP_BY_TAG_ABOVE + 5, () => []) }));
    expect(untagged.some((item) => item.label === UNTAGGED_GROUP)).toBe(false);
    expect(untagged.filter((item) => item.type === "submenu")).toHaveLength(GROUP_BY_TAG_ABOVE + 5);
  });
});
