/**
 * The tray: its menu, icon state and tooltip as pure functions of the engine's state. No
 * Electron import: `tray-menu-adapter.ts` turns the model into Electron's menu, and the
 * tests read the model directly.
 */
import type { JobView, RunStatus } from "../shared/schemas.js";
import type { AgendaRun } from "../shared/contract.js";
import { isFailure } from "../shared/run-statuses.js";
import { allTags, hasTag } from "../shared/tags.js";
import { formatRelative, MANUAL_SCHEDULE_WORDS, openAlertLine } from "../shared/wording.js";
import { describeTriggers } from "../shared/trigger-kinds.js";
import { isTimeTriggerType } from "../shared/trigger-types.js";
import { systemTimeZone } from "../shared/civil-time.js";
import { ALERTS_HASH, jobHash } from "./renderer-routes.js";

/** What a menu item does when clicked; `tray-actions.ts` carries it out. */
export type TrayAction =
  | { type: "runNow"; jobId: string }
  | { type: "pauseJob"; jobId: string }
  | { type: "resumeJob"; jobId: string }
  | { type: "pauseAllForAnHour" }
  | { type: "resumeAll" }
  | { type: "openWindow"; hash?: string }
  | { type: "toggleOpenAtLogin" }
  | { type: "quit" };

/** One menu item as plain data (a subset of Electron's MenuItemConstructorOptions). */
export interface MenuItemModel {
  label?: string;
  type?: "normal" | "separator" | "submenu" | "checkbox";
  checked?: boolean;
  /** Absent means enabled. Informational lines are disabled. */
  enabled?: boolean;
  submenu?: MenuItemModel[];
  action?: TrayAction;
}

export type MenuTemplate = MenuItemModel[];

/** Everything the tray shows, gathered from the service in one go. */
export interface TrayState {
  /** Epoch ms: every relative time ("in 12m", "3m ago") is measured from it. */
  now: number;
  jobs: readonly JobView[];
  /** The next runs over every job (the agenda's first ones, issue 17); absent: the header says the next job only. */
  upcoming?: readonly AgendaRun[];
  allPaused: boolean;
  pausedUntil: string | null;
  openAtLogin: boolean;
  /** A line shown above everything, e.g. while quitting waits for runs. */
  notice?: string;
  /** Zone and locale for wall times; default this computer's. Tests pin them. */
  timeZone?: string;
  locale?: string;
}

export type TrayIconState = "idle" | "running" | "failed";

/** Job submenus beyond this go behind "N more… (Open Sundial)": a tray menu is not a list view. */
export const MAX_JOB_SUBMENUS = 25;
/** Past this many jobs, the menu groups them by tag (a submenu per tag), when any job has a tag. */
export const GROUP_BY_TAG_ABOVE = 10;
/** The first lines: this many of the next runs. */
export const UPCOMING_LINES = 3;
/** The group of jobs without a tag. */
export const UNTAGGED_GROUP = "Untagged";

const ONE_HOUR_MS = 60 * 60 * 1000;
/** How long "Pause all" pauses from the tray (a label and an action must agree). */
export const TRAY_PAUSE_MS = ONE_HOUR_MS;

// ------------------------------------------------------------------ the menu

export function buildTrayMenu(state: TrayState): MenuTemplate {
  const jobs = jobsByNextRun(state.jobs);

  const menu: MenuTemplate = [];
  if (state.notice) menu.push({ label: state.notice, enabled: false });
  menu.push(...upcomingItems(state));
  const running = state.jobs.filter(isRunning);
  if (running.length > 0) menu.push({ label: runningLine(running), enabled: false });
  menu.push(...alertItems(state));
  menu.push({ type: "separator" });

  if (jobs.length === 0) menu.push({ label: "No jobs yet", enabled: false });
  const tags = jobs.length > GROUP_BY_TAG_ABOVE ? allTags(jobs) : [];
  if (tags.length > 0) {
    for (const tag of tags) menu.push({ label: tag, type: "submenu", submenu: jobItems(jobs.filter((job) => hasTag(job, tag)), state) });
    const untagged = jobs.filter((job) => (job.tags ?? []).length === 0);
    if (untagged.length > 0) menu.push({ label: UNTAGGED_GROUP, type: "submenu", submenu: jobItems(untagged, state) });
  } else menu.push(...jobItems(jobs, state));
  menu.push({ type: "separator" });

  menu.push(
    state.allPaused
      ? { label: "Resume all", action: { type: "resumeAll" } }
      : { label: "Pause all for 1 hour", action: { type: "pauseAllForAnHour" }, enabled: jobs.length > 0 },
  );
  menu.push({ label: "Open Sundial", action: { type: "openWindow" } });
  menu.push({ type: "separator" });
  menu.push({ label: "Start at login", type: "checkbox", checked: state.openAtLogin, action: { type: "toggleOpenAtLogin" } });
  menu.push({ type: "separator" });
  menu.push({ label: "Quit", action: { type: "quit" } });
  return menu;
}

/** Jobs' submenus, soonest first, the ones past MAX_JOB_SUBMENUS behind one "N more…" line. */
function jobItems(jobs: readonly JobView[], state: TrayState): MenuItemModel[] {
  const items = jobs.slice(0, MAX_JOB_SUBMENUS).map((job) => jobSubmenu(job, state));
  const hidden = jobs.length - items.length;
  if (hidden > 0) items.push({ label: `${hidden} more… (Open Sundial)`, action: { type: "openWindow" } });
  return items;
}

/**
 * The first lines: the next UPCOMING_LINES runs over every job ("14:00 backup (in 12 min)"),
 * each opening its job; the header line alone while all is paused or nothing is coming.
 */
function upcomingItems(state: TrayState): MenuItemModel[] {
  const upcoming = state.allPaused ? [] : (state.upcoming ?? []).slice(0, UPCOMING_LINES);
  if (upcoming.length === 0) return [{ label: headerLine(state), enabled: false }];
  return upcoming.map((run, index) => {
    const at = Date.parse(run.at);
    return { label: `${index === 0 ? "Next" : "Then"}: ${run.jobName} ${formatWallTime(at, state)} (${formatRelative(at, state.now)})`, action: { type: "openWindow", hash: jobHash(run.jobId) } };
  });
}

/** "Next: backup in 12m", "Nothing scheduled", "All paused until 14:00". */
export function headerLine(state: TrayState): string {
  if (state.allPaused) {
    if (!state.pausedUntil) return "All paused";
    return `All paused until ${formatWallTime(Date.parse(state.pausedUntil), state)}`;
  }
  const next = nextJob(state.jobs);
  if (!next) return "Nothing scheduled";
  return `Next: ${next.job.name} ${formatRelative(next.at, state.now)}`;
}

/** Alert lines shown in the menu before "N more alerts…". */
export const MAX_ALERT_LINES = 3;

/**
 * One line per job whose alert still holds ("backup: no success for 2 days"), each opening the
 * job in Sundial (issue 16); past MAX_ALERT_LINES, one line opens the alerts list.
 */
function alertItems(state: TrayState): MenuItemModel[] {
  const alerted = state.jobs.filter(hasOpenAlert).sort((a, b) => a.name.localeCompare(b.name));
  const items: MenuItemModel[] = alerted.slice(0, MAX_ALERT_LINES).map((job) => ({
    label: `⚠ ${openAlertLine(job.name, job.openAlert!, state.now)}`,
    action: { type: "openWindow", hash: jobHash(job.id) },
  }));
  const more = alerted.length - items.length;
  if (more > 0) items.push({ label: `${more} more alert${more === 1 ? "" : "s"}… (Open Sundial)`, action: { type: "openWindow", hash: ALERTS_HASH } });
  return items;
}

function runningLine(running: readonly JobView[]): string {
  const names = running.slice(0, 2).map((job) => job.name);
  const more = running.length - names.length;
  return `Running: ${names.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

function jobSubmenu(job: JobView, state: TrayState): MenuItemModel {
  const items: MenuItemModel[] = [
    { label: nextLine(job, state), enabled: false },
    { label: lastLine(job, state), enabled: false },
    { type: "separator" },
    { label: "Run now", action: { type: "runNow", jobId: job.id } },
    ...pauseItems(job),
    { label: "Show in Sundial", action: { type: "openWindow", hash: jobHash(job.id) } },
  ];
  return { label: `${statusGlyph(job)} ${job.name}`, type: "submenu", submenu: items };
}

/** Resume for a paused job, Pause otherwise; none for a finished job (no runs left to pause: the engine refuses it). */
function pauseItems(job: JobView): MenuItemModel[] {
  if (job.paused) return [{ label: "Resume", action: { type: "resumeJob", jobId: job.id } }];
  if (job.finished) return [];
  return [{ label: "Pause", action: { type: "pauseJob", jobId: job.id } }];
}

function nextLine(job: JobView, state: TrayState): string {
  if (job.finished) return "Finished";
  if (job.paused) return "Paused";
  if (state.allPaused) return "Paused (all jobs)";
  if (!job.nextRunAt) return eventLine(job, state) ?? "Not scheduled";
  return `Next: ${formatWallTime(Date.parse(job.nextRunAt), state)}`;
}

/**
 * A job without a next time that runs on events, in the shared words ("Runs at login",
 * "Runs after backup succeeds"), or a manual job's; null for a time schedule with no time left.
 */
function eventLine(job: JobView, state: TrayState): string | null {
  if (job.triggers.length === 0) return MANUAL_SCHEDULE_WORDS;
  const events = job.triggers.filter((trigger) => !isTimeTriggerType(trigger.type));
  if (events.length === 0) return null;
  const words = describeTriggers(events, {
    localZone: state.timeZone ?? systemTimeZone(),
    formatInstant: (ms) => formatWallTime(ms, state),
    jobName: (id) => state.jobs.find((candidate) => candidate.id === id)?.name,
  });
  return `Runs ${words}`;
}

/** "Last: succeeded 3m ago", "Last: failed (exit 3) 1h ago", "Running now", "Never run". */
function lastLine(job: JobView, state: TrayState): string {
  if (isRunning(job)) return "Running now";
  const run = job.lastRun;
  if (!run) return "Never run";
  const when = run.endedAt ?? run.startedAt ?? run.scheduledAt;
  const exit = run.status === "failed" && run.exitCode !== null ? ` (exit ${run.exitCode})` : "";
  const ago = when ? ` ${formatRelative(Date.parse(when), state.now)}` : "";
  return `Last: ${STATUS_WORDS[run.status]}${exit}${ago}`;
}

const STATUS_WORDS: Readonly<Record<RunStatus, string>> = {
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  timed_out: "timed out",
  cancelled: "cancelled",
  interrupted: "interrupted",
  spawn_error: "could not start",
  skipped: "skipped",
  missed: "missed",
  waiting: "waiting",
};

/** One character in front of each job's name: what it is doing, at a glance. */
export function statusGlyph(job: JobView): string {
  if (isRunning(job)) return "▶";
  if (hasOpenAlert(job)) return "⚠";
  if (job.lastRun && isFailure(job.lastRun.status)) return "✕";
  if (job.finished) return "✓";
  if (job.paused) return "⏸";
  return "•";
}

// ------------------------------------------------------------------ icon and tooltip

/** Running wins (something is happening now); then any job whose last run failed or whose alert holds. */
export function trayIconState(state: Pick<TrayState, "jobs">): TrayIconState {
  if (state.jobs.some(isRunning)) return "running";
  if (state.jobs.some((job) => hasFailed(job) || hasOpenAlert(job))) return "failed";
  return "idle";
}

/** Windows cuts tray tooltips at 127 characters. */
const MAX_TOOLTIP = 127;

/** "Sundial — Next: backup in 12m", plus what is running or failed. */
export function trayTooltip(state: TrayState): string {
  const parts = state.notice ? [state.notice] : [headerLine(state)];
  const running = state.jobs.filter(isRunning).length;
  const failed = state.jobs.filter(hasFailed).length;
  if (running > 0) parts.push(`${running} running`);
  if (failed > 0) parts.push(`${failed} failed`);
  const alerted = state.jobs.filter(hasOpenAlert).length;
  if (alerted > 0) parts.push(`${alerted} alert${alerted === 1 ? "" : "s"}`);
  const text = `Sundial — ${parts.join(" · ")}`;
  return text.length > MAX_TOOLTIP ? `${text.slice(0, MAX_TOOLTIP - 1)}…` : text;
}

// ------------------------------------------------------------------ helpers

function isRunning(job: JobView): boolean {
  return job.runningRunIds.length > 0;
}

function hasOpenAlert(job: JobView): boolean {
  return job.openAlert !== undefined && job.openAlert !== null;
}

function hasFailed(job: JobView): boolean {
  return !isRunning(job) && job.lastRun !== null && isFailure(job.lastRun.status);
}

/** Jobs with a next run first, soonest first; then the rest by name. */
function jobsByNextRun(jobs: readonly JobView[]): JobView[] {
  const key = (job: JobView) => (job.nextRunAt && !job.paused ? Date.parse(job.nextRunAt) : Number.POSITIVE_INFINITY);
  return [...jobs].sort((a, b) => key(a) - key(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function nextJob(jobs: readonly JobView[]): { job: JobView; at: number } | null {
  let best: { job: JobView; at: number } | null = null;
  for (const job of jobs) {
    if (job.paused || !job.nextRunAt) continue;
    const at = Date.parse(job.nextRunAt);
    if (!Number.isNaN(at) && (!best || at < best.at)) best = { job, at };
  }
  return best;
}

/** "14:00" today (in the state's zone), "Tue 3 Mar 14:00" another day. */
export function formatWallTime(ms: number, state: Pick<TrayState, "now" | "timeZone" | "locale">): string {
  if (Number.isNaN(ms)) return "?";
  const { locale, timeZone } = state;
  const time = formatter("time", locale, timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ms);
  // en-CA writes YYYY-MM-DD: a stable key to compare calendar days in the zone.
  const dayKey = formatter("day", "en-CA", timeZone, { year: "numeric", month: "2-digit", day: "2-digit" });
  if (dayKey.format(ms) === dayKey.format(state.now)) return time;
  const date = formatter("date", locale, timeZone, { weekday: "short", day: "numeric", month: "short" }).format(ms);
  return `${date.replace(/,/g, "")} ${time}`;
}

// Building an Intl.DateTimeFormat costs ~0.1 ms; a rebuild formats dozens of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: string, locale: string | undefined, timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${kind}|${locale ?? ""}|${timeZone ?? ""}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, cached);
  }
  return cached;
}
