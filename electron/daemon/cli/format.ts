/**
 * How the CLI shows times, durations and tables to people. `--json` output never goes
 * through here: it is the API's data as is.
 */
import { formatDuration } from "../../shared/duration.js";
import { offsetAt } from "./datetime.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** `Wed 2026-11-25 16:00:00` in `timeZone` (default: the system zone), like systemctl list-timers. */
export function formatWallTime(date: Date, timeZone?: string, withOffset = false): string {
  const offset = timeZone ? offsetAt(date.getTime(), timeZone) : -date.getTimezoneOffset() * 60_000;
  const wall = new Date(Math.floor(date.getTime() / 1000) * 1000 + offset);
  const pad = (value: number) => String(value).padStart(2, "0");
  const text =
    `${WEEKDAYS[wall.getUTCDay()]} ${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  return withOffset ? `${text} ${formatOffset(offset)}` : text;
}

/** `+01:00`, `-05:30`, `+00:00`. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${offsetMs < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const SPAN_UNITS: readonly (readonly [string, number])[] = [
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
];

/** The two largest adjacent units of a span: `4h 12m`, `3d 2h`, `45s` (never `1d 5m`). */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const index = SPAN_UNITS.findIndex(([, size]) => seconds >= size);
  const largest = SPAN_UNITS[index];
  if (!largest) return "0s";
  const count = Math.floor(seconds / largest[1]);
  const next = SPAN_UNITS[index + 1];
  const nextCount = next ? Math.floor((seconds - count * largest[1]) / next[1]) : 0;
  return next && nextCount > 0 ? `${count}${largest[0]} ${nextCount}${next[0]}` : `${count}${largest[0]}`;
}

/** "in 4h 12m" (LEFT column). */
export function formatLeft(target: Date, now: Date): string {
  const ms = target.getTime() - now.getTime();
  return ms < 1000 ? "now" : `in ${formatSpan(ms)}`;
}

/** "3m ago" (LAST column). */
export function formatAgo(past: Date, now: Date): string {
  const ms = now.getTime() - past.getTime();
  return ms < 1000 ? "just now" : `${formatSpan(ms)} ago`;
}

/** A run's duration: `0.4s`, `12s`, `1h30m`. */
export function formatRunDuration(ms: number | null): string {
  if (ms === null) return "-";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms / 1000);
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}
