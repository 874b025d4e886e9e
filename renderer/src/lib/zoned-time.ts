/**
 * Wall time in an IANA zone ↔ instants, with nothing but Intl. The editor's **Run at**
 * field is a `datetime-local` (wall time, no zone) read in the job's **Time zone**.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(ms: number, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(zone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/**
 * True when the runtime knows `zone` — the check schemas.ts `isValidTimeZone` makes. Kept
 * here so the renderer imports schemas.ts for types only: bundling zod would run its
 * `new Function` probe, which the page's CSP (no 'unsafe-eval') reports as a violation.
 */
export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (east positive). */
export function offsetAt(ms: number, zone: string): number {
  const wall = wallClockAt(ms, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The zone this computer is set to, e.g. "Europe/Paris". */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every IANA zone the runtime knows, for the editor's searchable list. */
export function allTimeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * `2026-03-29T02:30` read in `zone` → ISO 8601 with that zone's offset, or null when the
 * text is not a wall time. A time inside a spring-forward gap lands just after the jump.
 */
export function wallTimeToIso(wallTime: string, zone: string): string | null {
  const match = WALL_TIME.exec(wallTime);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(asUtc)) return null;
  // The offset depends on the instant we are looking for: guess, then correct once.
  let instant = asUtc - offsetAt(asUtc, zone);
  const corrected = asUtc - offsetAt(instant, zone);
  if (corrected !== instant) instant = corrected;
  return formatIsoInZone(instant, zone);
}

/** An instant as ISO 8601 with the zone's offset, e.g. `2026-03-01T09:00:00+01:00`. */
export function formatIsoInZone(ms: number, zone: string): string {
  const wall = wallClockAt(ms, zone);
  const offsetMinutes = Math.round(offsetAt(ms, zone) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  return (
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
    `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`
  );
}

/** An instant as a `datetime-local` value (wall time in `zone`, to the minute). */
export function isoToWallTime(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const wall = wallClockAt(ms, zone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}
