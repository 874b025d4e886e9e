/**
 * How moments and run statuses look on screen, in this computer's locale. Spans, run
 * durations and reasons are worded once for every face in electron/shared/wording.ts. Every
 * function takes the reference time (`now`) and, where it matters, the zone as arguments.
 */
import { wallTimeAt } from "../../../electron/shared/civil-time.js";
import type { Run, RunStatus } from "../../../electron/shared/schemas.js";
import type { TimeFormat } from "../../../electron/shared/settings.js";
import { formatClockTime } from "../../../electron/shared/wording.js";

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The time-format setting, read at every call: the app passes a reader of its reactive
 * settings (followTimeFormat), so a template showing a time re-renders when it changes.
 */
let readTimeFormat: () => TimeFormat = () => "system";

/** Makes every time on the page follow `read()` (the time-format setting). */
export function followTimeFormat(read: () => TimeFormat): void {
  readTimeFormat = read;
}

/** `system` leaves the hour cycle to the locale, as the OS writes times; else 12 h or 24 h. */
const HOUR_CYCLES: Record<TimeFormat, Intl.DateTimeFormatOptions["hourCycle"]> = { system: undefined, "12h": "h12", "24h": "h23" };

let localTwelveHourClock: boolean | undefined;

/**
 * Whether times are written on a 12-hour clock: the setting, or for `system` the locale's own
 * hour cycle. The schedule's words ("At 08:30 AM") follow it like every time on the page.
 */
export function usesTwelveHourClock(): boolean {
  const format = readTimeFormat();
  if (format !== "system") return format === "12h";
  // The locale's hour cycle does not change while the page is open: asked once.
  localTwelveHourClock ??= ["h11", "h12"].includes(new Intl.DateTimeFormat(undefined, { hour: "numeric" }).resolvedOptions().hourCycle ?? "");
  return localTwelveHourClock;
}

function dateTimeFormatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const hourCycle = options.hour === undefined ? undefined : HOUR_CYCLES[readTimeFormat()];
  const fullKey = `${key}/${hourCycle ?? ""}`;
  let formatter = dateTimeFormatters.get(fullKey);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, hourCycle ? { ...options, hourCycle } : options);
    dateTimeFormatters.set(fullKey, formatter);
  }
  return formatter;
}

/**
 * A moment as a person reads it in `timeZone` (default: this computer's): "14:05" today,
 * "Tue 3 Mar, 14:05" otherwise, with the year when it is not this year.
 */
export function formatMoment(iso: string | number | null, nowMs: number, timeZone?: string): string {
  if (iso === null || iso === "") return "—";
  const ms = typeof iso === "number" ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const zoneKey = timeZone ?? "";
  const dayOf = dateTimeFormatter(`day${zoneKey}`, { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const time = dateTimeFormatter(`time${zoneKey}`, { timeZone, hour: "2-digit", minute: "2-digit" }).format(ms);
  if (dayOf.format(ms) === dayOf.format(nowMs)) return time;
  const yearOf = dateTimeFormatter(`year${zoneKey}`, { timeZone, year: "numeric" });
  const sameYear = yearOf.format(ms) === yearOf.format(nowMs);
  const day = sameYear
    ? dateTimeFormatter(`date${zoneKey}`, { timeZone, weekday: "short", day: "numeric", month: "short" }).format(ms)
    : dateTimeFormatter(`dateyear${zoneKey}`, { timeZone, day: "numeric", month: "short", year: "numeric" }).format(ms);
  return `${day}, ${time}`;
}

/** A full date and time with the zone's short name, for lists of run times. */
export function formatFullMoment(iso: string | number, timeZone?: string): string {
  const ms = typeof iso === "number" ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  return dateTimeFormatter(`full${timeZone ?? ""}`, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
  }).format(ms);
}

/** What a run status looks like: words for everyone, an icon and a tone (colour) on top. */
export interface StatusLook {
  label: string;
  icon: string;
  tone: "good" | "bad" | "busy" | "muted" | "warn";
}

const STATUS_LOOKS: Record<RunStatus, StatusLook> = {
  // StatusBadge draws a running run as a spinner ring; the glyph is for plain-text uses.
  running: { label: "Running", icon: "⟳", tone: "busy" },
  succeeded: { label: "Succeeded", icon: "✓", tone: "good" },
  failed: { label: "Failed", icon: "✗", tone: "bad" },
  timed_out: { label: "Timed out", icon: "◷", tone: "bad" },
  cancelled: { label: "Cancelled", icon: "⊘", tone: "muted" },
  interrupted: { label: "Interrupted", icon: "⚠", tone: "warn" },
  spawn_error: { label: "Could not start", icon: "⚠", tone: "bad" },
  skipped: { label: "Skipped", icon: "↷", tone: "muted" },
  missed: { label: "Missed", icon: "◌", tone: "warn" },
  waiting: { label: "Waiting", icon: "⧗", tone: "muted" },
};

/**
 * Why a run did not start, for a skipped or a waiting run ("outside 09:00-17:00", "on battery",
 * "already running"), or null. A waiting run's record carries `waiting: …` (wording.ts
 * `waitingWords`); its status already says that much.
 */
export function heldReason(run: Pick<Run, "status" | "error">): string | null {
  if (run.status !== "skipped" && run.status !== "waiting") return null;
  return run.error ? run.error.replace(/^waiting: /, "") : null;
}

/** The look of a run status. */
export function statusLook(status: RunStatus): StatusLook {
  return STATUS_LOOKS[status];
}

/**
 * A run time in the job editor, read in `timeZone`: the locale's date and the clock the
 * schedule's words use ("Mon, Dec 7, 2026, 09:00" or "…, 09:00 AM"; seconds when they are
 * not zero), so "At 09:00" and its run times read alike (issue 13, item 11). The zone is
 * named beside them.
 */
export function formatRunTime(iso: string | number, timeZone: string): string {
  const ms = typeof iso === "number" ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const day = dateTimeFormatter(`runday${timeZone}`, { timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(ms);
  const wall = wallTimeAt(ms, timeZone);
  return `${day}, ${formatClockTime(wall.hour, wall.minute, wall.second, usesTwelveHourClock())}`;
}
