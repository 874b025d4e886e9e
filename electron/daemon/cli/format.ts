/**
 * How the CLI shows wall times and tables to people; spans, run durations, reasons and
 * schedules are worded once for every face (electron/shared/wording.ts, trigger-kinds.ts).
 * `--json` output never goes through here: it is the API's data as is.
 */
import { formatOffset, offsetAt } from "../../shared/civil-time.js";

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

/** Left-aligned columns separated by two spaces; the last column is not padded; cells escaped (escapeForTerminal). */
export function renderTable(headers: string[], cells: string[][]): string {
  // Each cell is one line of visible text, whatever a stored name holds (a "\n" would fake a row).
  const rows = cells.map((row) => row.map((cell) => escapeForTerminal(cell)));
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/**
 * Characters that steer a terminal instead of showing: C0 controls, DEL, C1 controls (8-bit
 * CSI and friends), the Unicode bidi controls that reorder what follows (Trojan Source,
 * CVE-2021-42574), and the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** `\x1b`, `\n`, `\u202e`: a control character as text a person can read and no terminal obeys. */
function visibleEscape(character: string): string {
  if (character === "\n") return "\\n";
  if (character === "\t") return "\\t";
  if (character === "\r") return "\\r";
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Text from the store or the engine (a job's name, command, env, an error echoing what was
 * typed) made safe to print to a terminal (issue 10, item 10): a name must not clear the
 * screen, set the title, reverse the line or start a fake table row. `"field"` escapes every
 * control, newline and tab included (table cells, one-line values); `"lines"` keeps newlines
 * and tabs (a run's output shown on a terminal). `--json` output never goes through here.
 */
export function escapeForTerminal(text: string, mode: "field" | "lines" = "field"): string {
  return text.replace(TERMINAL_CONTROLS, (character) => (mode === "lines" && (character === "\n" || character === "\t") ? character : visibleEscape(character)));
}

/**
 * JSON as `JSON.stringify` writes it, plus `\u` escapes for what it leaves raw inside strings
 * (C1 and bidi controls, U+2028/9): the same values for a parser, harmless on a terminal.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
