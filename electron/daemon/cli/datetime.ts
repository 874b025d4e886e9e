/**
 * DATETIME as the CLI accepts it (DESIGN.md): ISO 8601; with an offset (`Z`, `+01:00`) it is
 * that instant, without one it is wall time in the given IANA zone. No date library: the
 * zone's offset comes from Intl, the one source of zone rules the whole engine uses.
 */

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const EXAMPLE = "ISO 8601, e.g. 2026-12-24T18:00 or 2026-12-24T18:00+01:00";

/** Parses DATETIME; throws an Error whose message fits after the option name. */
export function parseDateTime(text: string, timeZone: string): Date {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a date-time (${EXAMPLE})`);
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "0", offset] = match;
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: Math.floor(Number(`0.${fraction}`) * 1000),
  };
  if (!isRealCalendarTime(fields)) throw new Error(`"${text}" is not a real date-time (${EXAMPLE})`);
  const wallAsUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond);
  if (offset) return new Date(wallAsUtc - parseOffsetMinutes(offset) * 60_000);
  return new Date(wallTimeToInstant(wallAsUtc, timeZone));
}

function isRealCalendarTime(fields: { year: number; month: number; day: number; hour: number; minute: number; second: number }): boolean {
  if (fields.month < 1 || fields.month > 12 || fields.day < 1) return false;
  const daysInMonth = new Date(Date.UTC(fields.year, fields.month, 0)).getUTCDate();
  return fields.day <= daysInMonth && fields.hour <= 23 && fields.minute <= 59 && fields.second <= 59;
}

function parseOffsetMinutes(offset: string): number {
  if (offset.toUpperCase() === "Z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
}

/**
 * The instant at which the zone's clocks show `wallAsUtc` (wall time written as if UTC).
 * Ambiguous wall times (the repeated fall-back hour) resolve to the first occurrence; wall
 * times that do not exist (the spring-forward gap) move forward by the gap, as Temporal's
 * "compatible" disambiguation does, matching how the scheduler treats such slots.
 */
export function wallTimeToInstant(wallAsUtc: number, timeZone: string): number {
  const day = 86_400_000;
  const offsetBefore = offsetAt(wallAsUtc - day, timeZone);
  const offsetAfter = offsetAt(wallAsUtc + day, timeZone);
  const candidates = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter]
    .filter((instant) => offsetAt(instant, timeZone) === wallAsUtc - instant)
    .sort((a, b) => a - b);
  return candidates[0] ?? wallAsUtc - offsetBefore;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at `instant`, in milliseconds (positive east of Greenwich). */
export function offsetAt(instant: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** True when `zone` is an IANA time zone this runtime knows (same test as the shared schema). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.length === 0) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The system's IANA zone (what "local time" means for the CLI). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
