/**
 * How times, spans and run outcomes read on screen. Every function takes the reference
 * time (`now`) and, where it matters, the zone as arguments, so tests use fixed dates.
 */
import type { RunReason, RunStatus } from "../../../electron/shared/schemas.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span in at most two units: "45s", "12m", "4h 12m", "3d 2h". */
export function formatSpan(ms: number): string {
  const total = Math.floor(Math.abs(ms) / SECOND) * SECOND;
  if (total < MINUTE) return `${total / SECOND}s`;
  if (total < HOUR) return `${Math.floor(total / MINUTE)}m`;
  const [big, bigUnit, small, smallUnit] =
    total < DAY ? [Math.floor(total / HOUR), "h", Math.floor((total % HOUR) / MINUTE), "m"] : [Math.floor(total / DAY), "d", Math.floor((total % DAY) / HOUR), "h"];
  return small > 0 ? `${big}${bigUnit} ${small}${smallUnit}` : `${big}${bigUnit}`;
}

/** A countdown or an age relative to `now`: "in 12m", "in 4h 12m", "3m ago", "now". */
export function formatRelative(targetMs: number, nowMs: number): string {
  const difference = targetMs - nowMs;
  if (Math.abs(difference) < SECOND) return "now";
  return difference > 0 ? `in ${formatSpan(difference)}` : `${formatSpan(difference)} ago`;
}

/** How long a run took: "850ms", "3.2s", "1m 5s", "2h 3m". */
export function formatRunDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < SECOND) return `${Math.round(ms)}ms`;
  if (ms < 10 * SECOND) return `${(ms / SECOND).toFixed(1)}s`;
  if (ms < MINUTE) return `${Math.round(ms / SECOND)}s`;
  if (ms < HOUR) {
    const seconds = Math.floor((ms % MINUTE) / SECOND);
    return seconds > 0 ? `${Math.floor(ms / MINUTE)}m ${seconds}s` : `${Math.floor(ms / MINUTE)}m`;
  }
  return formatSpan(ms);
}

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let formatter = dateTimeFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, options);
    dateTimeFormatters.set(key, formatter);
  }
  return formatter;
}

/**
 * A moment as a person reads it in `timeZone` (default: this computer's): "14:05" today,
 * "Tue 3 Mar, 14:05" otherwise, with the year when it is not this year.
 */
export function formatMoment(iso: string | null, nowMs: number, timeZone?: string): string {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
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
export function formatFullMoment(iso: string, timeZone?: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
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
  running: { label: "Running", icon: "▶", tone: "busy" },
  succeeded: { label: "Succeeded", icon: "✓", tone: "good" },
  failed: { label: "Failed", icon: "✗", tone: "bad" },
  timed_out: { label: "Timed out", icon: "◷", tone: "bad" },
  cancelled: { label: "Cancelled", icon: "⊘", tone: "muted" },
  interrupted: { label: "Interrupted", icon: "⚠", tone: "warn" },
  spawn_error: { label: "Could not start", icon: "⚠", tone: "bad" },
  skipped: { label: "Skipped", icon: "↷", tone: "muted" },
  missed: { label: "Missed", icon: "◌", tone: "warn" },
};

/** The look of a run status. */
export function statusLook(status: RunStatus): StatusLook {
  return STATUS_LOOKS[status];
}

const REASON_LABELS: Record<RunReason, string> = {
  schedule: "Scheduled",
  manual: "Run now",
  "catch-up": "Catch-up",
  retry: "Retry",
};

/** Why a run happened, in words. */
export function reasonLabel(reason: RunReason): string {
  return REASON_LABELS[reason];
}
