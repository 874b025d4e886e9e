/**
 * Durations as people type them: `90s`, `5m`, `1h30m`, `2d`, or plain seconds (`45`).
 * Shared by the CLI, the UI and the engine so a duration means the same everywhere.
 */

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses a duration into whole seconds; throws a message suitable after a field name. */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return positive(Number(trimmed), text);
  const match = DURATION_PATTERN.exec(trimmed);
  if (!trimmed || !match || match.slice(1).every((part) => part === undefined)) {
    throw new Error(`"${text}" is not a duration (examples: 90s, 5m, 1h30m, 2d)`);
  }
  const [, d, h, m, s] = match;
  const seconds =
    Number(d ?? 0) * UNIT_SECONDS.d! + Number(h ?? 0) * UNIT_SECONDS.h! + Number(m ?? 0) * UNIT_SECONDS.m! + Number(s ?? 0);
  return positive(seconds, text);
}

function positive(seconds: number, text: string): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new Error(`"${text}" must be longer than zero`);
  return seconds;
}

/** Formats seconds compactly: 5400 → "1h30m", 45 → "45s". */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.round(totalSeconds);
  if (rest <= 0) return "0s";
  let out = "";
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
