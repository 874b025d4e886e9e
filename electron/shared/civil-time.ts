/**
 * Civil time, the one home of it (issue 11): calendar arithmetic, IANA zones (validity,
 * canonical names, the system zone), UTC offsets, wall time → instant, and ISO 8601 with a
 * zone's offset. The engine's triggers, the CLI and the renderer all use this file, so a
 * typed date-time means the same instant on every face.
 *
 * Intl is the only source of zone rules. No Node, DOM or zod import: the renderer bundles it.
 *
 * Rules (DESIGN.md, "DST"): a wall time in a spring-forward gap moves forward by the gap's
 * length (02:30 → 03:30 across a one-hour jump); one in a repeated fall-back hour means its
 * first occurrence — TC39 Temporal's `disambiguation: "compatible"`.
 */
import { BoundedMap } from "./bounded-map.js";

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Stored instants and fire times lie in years 1970..9999 (UTC). JavaScript dates reach
 * ±8.64e15 ms (year 275760), but arithmetic near that edge (anchor + k·period, a zone's
 * offset) leaves it, and no personal scheduler needs a run after 9999 (issue 10, item 1).
 */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The largest |epoch ms| a Date can hold (±8.64e15, year 275760). */
const MAX_DATE_MS = 8.64e15;

/** UTC offsets in use lie within −12:00..+14:00; typed date-times are accepted within ±14:00. */
export const MAX_OFFSET_MINUTES = 14 * 60;
const MAX_OFFSET_MS = MAX_OFFSET_MINUTES * MINUTE_MS;

/** True when `ms` is a finite instant within MIN_INSTANT_MS..MAX_INSTANT_MS. */
export function isInstantInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
}

// ------------------------------------------------------------------ calendar

/** A calendar date; `month` is 1–12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock reading; `month` is 1–12. */
export interface WallTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Days since 1970-01-01 for a calendar date (Hinnant's days_from_civil; no Date allocation). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The calendar date of a day number (inverse of daysFromCivil). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekdayOfDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** A wall reading as the milliseconds a UTC clock would show for it ("civil ms"). */
export function civilMs(wall: WallTime): number {
  return daysFromCivil(wall.year, wall.month, wall.day) * DAY_MS + wall.hour * HOUR_MS + wall.minute * MINUTE_MS + wall.second * SECOND_MS + wall.millisecond;
}

/** True when the reading exists on the calendar (Feb 30 and 24:00 do not). */
export function isRealWallTime(wall: WallTime): boolean {
  return (
    [wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond].every(Number.isInteger) &&
    wall.month >= 1 &&
    wall.month <= 12 &&
    wall.day >= 1 &&
    wall.day <= daysInMonth(wall.year, wall.month) &&
    wall.hour >= 0 &&
    wall.hour <= 23 &&
    wall.minute >= 0 &&
    wall.minute <= 59 &&
    wall.second >= 0 &&
    wall.second <= 59 &&
    wall.millisecond >= 0 &&
    wall.millisecond <= 999
  );
}

// ------------------------------------------------------------------ zones

/**
 * Every per-zone cache holds at most this many entries (spellings, or zones' rules): there
 * are about 600 real zones, so the bound only bites on abuse — 8,000 spellings of one zone
 * once grew memory by 270 MB (issue 10, item 11). A dropped entry is rebuilt on demand.
 */
export const ZONE_CACHE_LIMIT = 1_000;
/** Years of offsets one zone keeps (a next-run search touches two or three). */
export const YEARS_PER_ZONE = 200;

const canonicalNames = new BoundedMap<string, string | null>(ZONE_CACHE_LIMIT);
let cachedSystemZone: string | undefined;

/**
 * The canonical IANA name Intl gives `zone` (`america/new_york` → `America/New_York`,
 * `US/Eastern` → `America/New_York`, `utc` → `UTC`), or null when Intl does not know it.
 * Jobs store this name, and every per-zone cache is keyed by it.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 100) return null;
  return canonicalNames.getOrSet(zone, () => {
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      return null;
    }
  });
}

/** True when `zone` is an IANA time zone this runtime knows, in any spelling Intl accepts. */
export function isValidTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== null;
}

/**
 * The system's IANA zone. Cached (resolving it costs ~0.1 ms, which 10,000 jobs at start-up
 * cannot afford); pass `refresh` after the OS zone may have changed (resume, clock jump).
 */
export function systemTimeZone(refresh = false): string {
  if (refresh || cachedSystemZone === undefined) {
    cachedSystemZone = new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }
  return cachedSystemZone;
}

/** Every IANA zone the runtime knows, UTC included (for a searchable list). */
export function allTimeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

/** A search text or zone name compared loosely: case, spaces and underscores do not matter. */
function zoneKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_]+/g, "_");
}

/**
 * The zones a person may mean by `query`, best first: the zone itself in any spelling Intl
 * accepts, then zones whose city (`Paris`, `New York`, `Buenos Aires`) is the query, then
 * those whose city starts with it, then those whose full name contains it. Case, spaces and
 * underscores do not matter. At most `limit` zones.
 */
export function searchTimeZones(query: string, limit = 20): string[] {
  const key = zoneKey(query);
  if (key.length === 0 || key.length > 100) return [];
  const exact = canonicalTimeZone(query.trim());
  const tiers: string[][] = [exact ? [exact] : [], [], [], []];
  for (const zone of allTimeZones()) {
    if (zone === exact) continue;
    const name = zoneKey(zone);
    const city = name.slice(name.lastIndexOf("/") + 1);
    if (city === key) tiers[1]!.push(zone);
    else if (city.startsWith(key)) tiers[2]!.push(zone);
    else if (name.includes(key)) tiers[3]!.push(zone);
  }
  return tiers.flat().slice(0, limit);
}

/**
 * The one zone `query` names, as a canonical IANA name, or null when it names none or
 * several: `Europe/Paris` or `europe/paris` as such, `Paris` or `new york` by their city,
 * `Tokyo` or `Buenos` when a single zone matches at all. What the editor's zone field accepts.
 */
export function resolveTimeZone(query: string): string | null {
  const exact = canonicalTimeZone(query.trim());
  if (exact) return exact;
  const key = zoneKey(query);
  if (key.length === 0) return null;
  const matches = searchTimeZones(query, Number.MAX_SAFE_INTEGER);
  const byCity = matches.filter((zone) => zoneKey(zone).endsWith(`/${key}`));
  if (byCity.length === 1) return byCity[0]!;
  return matches.length === 1 ? matches[0]! : null;
}

// ------------------------------------------------------------------ offsets

/** A stretch of time with one UTC offset: [start, end) in epoch ms; civil = instant + offset. */
export interface OffsetSegment {
  start: number;
  end: number;
  offsetMs: number;
}

/** The instant an offset changes: `offsetBeforeMs` applies before `at`, `offsetAfterMs` from `at` on. */
export interface OffsetTransition {
  at: number;
  offsetBeforeMs: number;
  offsetAfterMs: number;
}

/** Offsets of one UTC year: `offsets[i]` applies from `starts[i]` (starts[0] is the year's first instant). */
interface YearTable {
  year: number;
  start: number;
  end: number;
  starts: number[];
  offsets: number[];
  /** The offset just before the year begins: differs from offsets[0] if a change falls exactly on it. */
  offsetBeforeStart: number;
}

const OFFSET_PATTERN = /GMT([+-])(\d{1,2}):(\d{2})(?::(\d{2}))?/;
const zoneRules = new BoundedMap<string, ZoneRules>(ZONE_CACHE_LIMIT);

/**
 * Offsets of one zone, computed lazily per UTC year and cached (bounded). Lookups are a
 * binary search, so a next-run computation costs microseconds instead of an Intl call per probe.
 */
export class ZoneRules {
  readonly #years = new BoundedMap<number, YearTable>(YEARS_PER_ZONE);
  #lastTable: YearTable | undefined;
  readonly #format: Intl.DateTimeFormat;

  /** Throws RangeError when Intl does not know `zone`; prefer ZoneRules.for. */
  constructor(readonly zone: string) {
    this.#format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  }

  /** The rules for `zone` (any spelling Intl accepts), shared by every user of that zone. */
  static for(zone: string): ZoneRules {
    const canonical = canonicalTimeZone(zone);
    if (canonical === null) throw new RangeError(`Invalid time zone specified: ${zone}`);
    return zoneRules.getOrSet(canonical, () => new ZoneRules(canonical));
  }

  /** How many years of offsets are cached. */
  get cachedYears(): number {
    return this.#years.size;
  }

  /** Offset at `ms` straight from Intl (whole seconds; pre-1900 LMT offsets have seconds). */
  intlOffsetMs(ms: number): number {
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return 0;
    const match = OFFSET_PATTERN.exec(this.#format.format(ms));
    if (!match) return 0; // plain "GMT": offset zero
    const [, sign, hours, minutes, seconds] = match;
    const total = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0)) * SECOND_MS;
    return sign === "-" ? -total : total;
  }

  offsetAt(ms: number): number {
    const table = this.#tableAt(ms);
    return table.offsets[indexIn(table, ms)] ?? 0;
  }

  /**
   * The constant-offset stretch containing `ms`. Its end is the next transition or, when the
   * year has none left, the end of the UTC year (the next segment then has the same offset).
   */
  segmentAt(ms: number): OffsetSegment {
    const table = this.#tableAt(ms);
    const index = indexIn(table, ms);
    return {
      start: table.starts[index] ?? table.start,
      end: table.starts[index + 1] ?? table.end,
      offsetMs: table.offsets[index] ?? 0,
    };
  }

  /** Offset changes with `from < at <= to`, oldest first. */
  transitionsBetween(from: number, to: number): OffsetTransition[] {
    const found: OffsetTransition[] = [];
    let cursor = from;
    while (cursor < to) {
      const table = this.#tableAt(cursor);
      if (table.offsetBeforeStart !== table.offsets[0] && table.start > from && table.start <= to) {
        found.push({ at: table.start, offsetBeforeMs: table.offsetBeforeStart, offsetAfterMs: table.offsets[0]! });
      }
      for (let i = 1; i < table.starts.length; i++) {
        const at = table.starts[i]!;
        if (at > from && at <= to) found.push({ at, offsetBeforeMs: table.offsets[i - 1]!, offsetAfterMs: table.offsets[i]! });
      }
      cursor = table.end;
    }
    return found;
  }

  #tableAt(ms: number): YearTable {
    // An instant no Date can hold has no offset to look up; UTC stands in (callers guard).
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) ms = 0;
    const last = this.#lastTable;
    if (last && ms >= last.start && ms < last.end) return last;
    const year = civilFromDays(Math.floor(ms / DAY_MS)).year;
    let table = this.#years.get(year);
    if (!table) {
      table = this.#buildYear(year);
      this.#years.set(year, table);
    }
    this.#lastTable = table;
    return table;
  }

  /**
   * Samples the offset once a day and bisects each change to the second. Two changes that
   * cancel out within one day would be missed; no zone in the tz database does that.
   */
  #buildYear(year: number): YearTable {
    const start = daysFromCivil(year, 1, 1) * DAY_MS;
    const end = daysFromCivil(year + 1, 1, 1) * DAY_MS;
    const starts = [start];
    const offsets = [this.intlOffsetMs(start)];
    let previous = start;
    let previousOffset = offsets[0]!;
    for (let probe = start + DAY_MS; probe <= end; probe += DAY_MS) {
      const offset = this.intlOffsetMs(probe);
      if (offset !== previousOffset) {
        const at = this.#bisect(previous, probe, previousOffset);
        if (at < end) {
          starts.push(at);
          offsets.push(this.intlOffsetMs(at));
        }
        previousOffset = offset;
      }
      previous = probe;
    }
    return { year, start, end, starts, offsets, offsetBeforeStart: this.intlOffsetMs(start - SECOND_MS) };
  }

  /** First whole second in (low, high] whose offset differs from `lowOffset`. */
  #bisect(low: number, high: number, lowOffset: number): number {
    while (high - low > SECOND_MS) {
      const mid = low + Math.floor((high - low) / 2 / SECOND_MS) * SECOND_MS;
      if (this.intlOffsetMs(mid) === lowOffset) low = mid;
      else high = mid;
    }
    return high;
  }
}

function indexIn(table: YearTable, ms: number): number {
  const { starts } = table;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= ms) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Sizes of the per-zone caches, for the test that proves their bound. */
export function zoneCacheSizes(): { names: number; rules: number; yearsPerZone: number } {
  let yearsPerZone = 0;
  for (const rules of zoneRules.values()) yearsPerZone = Math.max(yearsPerZone, rules.cachedYears);
  return { names: canonicalNames.size, rules: zoneRules.size, yearsPerZone };
}

/** The zone's UTC offset at instant `ms`, in milliseconds (east positive). */
export function offsetAt(ms: number, zone: string): number {
  return ZoneRules.for(zone).offsetAt(ms);
}

// ------------------------------------------------------------------ wall time ↔ instant

/**
 * The instant at which `zone`'s clocks show `wall` ("compatible" disambiguation: a gap
 * moves forward by its length, a fold takes its first occurrence).
 */
export function wallTimeToInstant(wall: WallTime, zone: string): number {
  const rules = ZoneRules.for(zone);
  const civil = civilMs(wall);
  // Offsets differ by at most a day, so the two sides of any transition near `civil` are these.
  const offsetBefore = rules.offsetAt(civil - DAY_MS - MAX_OFFSET_MS);
  const offsetAfter = rules.offsetAt(civil + DAY_MS + MAX_OFFSET_MS);
  let earliest: number | null = null;
  for (const offset of new Set([offsetBefore, offsetAfter, rules.offsetAt(civil)])) {
    const instant = civil - offset;
    if (rules.offsetAt(instant) === offset && (earliest === null || instant < earliest)) earliest = instant;
  }
  // In a gap no offset fits: read the wall time with the offset from before the jump.
  return earliest ?? civil - offsetBefore;
}

/** Breaks an instant into the wall-clock reading of `zone` at that moment. */
export function wallTimeAt(ms: number, zone: string): WallTime {
  return wallOfCivil(ms + offsetAt(ms, zone));
}

function wallOfCivil(civil: number): WallTime {
  const days = Math.floor(civil / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  const msOfDay = civil - days * DAY_MS;
  return {
    year,
    month,
    day,
    hour: Math.floor(msOfDay / HOUR_MS),
    minute: Math.floor((msOfDay % HOUR_MS) / MINUTE_MS),
    second: Math.floor((msOfDay % MINUTE_MS) / SECOND_MS),
    millisecond: msOfDay % SECOND_MS,
  };
}

// ------------------------------------------------------------------ ISO 8601

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** `-04:00`, `+05:30`; historical offsets with seconds keep them (`-04:56:02`), as Temporal does. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? "-" : "+";
  const totalSeconds = Math.round(Math.abs(offsetMs) / SECOND_MS);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${sign}${pad(hours)}:${pad(minutes)}${seconds ? `:${pad(seconds)}` : ""}`;
}

/**
 * ISO 8601 wall time in `zone` with that zone's offset, e.g. `2026-03-08T03:00:00-04:00`
 * (milliseconds only when non-zero). The format of `sundial next --json` and `nextRunAt`.
 * An instant outside Date's range (NaN) reads "Invalid Date" instead of throwing.
 */
export function formatInZone(date: Date | number, zone: string): string {
  const ms = typeof date === "number" ? date : date.getTime();
  // A view must never throw for a bad instant (issue 10, item 1): say so, as Date does.
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return "Invalid Date";
  const offsetMs = offsetAt(ms, zone);
  const wall = wallOfCivil(ms + offsetMs);
  const yearText = wall.year >= 0 && wall.year <= 9999 ? pad(wall.year, 4) : `${wall.year < 0 ? "-" : "+"}${pad(Math.abs(wall.year), 6)}`;
  return (
    `${yearText}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
    `${wall.millisecond ? `.${pad(wall.millisecond, 3)}` : ""}${formatOffset(offsetMs)}`
  );
}

/** An instant (ISO 8601) as the editor's `datetime-local` value: wall time in `zone`, to the minute; "" when unreadable. */
export function isoToWallTime(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const wall = wallTimeAt(ms, zone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

const WALL_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

/**
 * The editor's `datetime-local` value (`2027-03-14T02:30`, no zone) read in `zone` → ISO 8601
 * with that zone's offset, by the same rules as parseDateTime; null when it is not such a value.
 */
export function wallTimeToIso(wallTime: string, zone: string): string | null {
  if (!WALL_TIME_PATTERN.test(wallTime)) return null;
  try {
    return formatInZone(parseDateTime(wallTime, zone), zone);
  } catch {
    return null;
  }
}

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Why a date-time text was refused, in words that fit after a field or option name. */
export class DateTimeFormatError extends Error {
  override name = "DateTimeFormatError";
}

const EXAMPLE = "ISO 8601, e.g. 2026-12-24T18:00 or 2026-12-24T18:00+01:00";

interface DateTimeText {
  wall: WallTime;
  /** Minutes east of UTC as written, or null when the text has no offset. */
  offsetMinutes: number | null;
}

/** Splits a date-time text into its wall reading and offset; throws DateTimeFormatError. */
function readDateTimeText(text: string): DateTimeText {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) {
    if (/^[+-]\d{6}-/.test(text.trim())) throw new DateTimeFormatError(`"${text}" must lie between the years 1970 and 9999`);
    throw new DateTimeFormatError(`"${text}" is not a date-time (${EXAMPLE})`);
  }
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "0", offset] = match;
  const wall: WallTime = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: Math.floor(Number(`0.${fraction}`) * 1000),
  };
  if (!isRealWallTime(wall)) throw new DateTimeFormatError(`"${text}" is not a real date-time (${EXAMPLE})`);
  if (!offset) return { wall, offsetMinutes: null };
  if (offset.toUpperCase() === "Z") return { wall, offsetMinutes: 0 };
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) {
    throw new DateTimeFormatError(`"${text}" has UTC offset ${offset}; offsets lie within -14:00..+14:00 (${EXAMPLE})`);
  }
  return { wall, offsetMinutes: (offset.startsWith("-") ? -1 : 1) * (hours * 60 + minutes) };
}

function checkedInstant(ms: number, text: string): number {
  if (!isInstantInRange(ms)) throw new DateTimeFormatError(`"${text}" must lie between the years 1970 and 9999`);
  return ms;
}

/**
 * A typed date-time (`--at`, `--from`, the editor's Run at): ISO 8601; with an offset (`Z`,
 * `+01:00`) it is that instant, without one it is wall time in `zone` (gap and fold rules
 * above). Throws DateTimeFormatError for anything else, out-of-range offsets and instants
 * outside years 1970–9999 included.
 */
export function parseDateTime(text: string, zone: string): number {
  const { wall, offsetMinutes } = readDateTimeText(text);
  const ms = offsetMinutes === null ? wallTimeToInstant(wall, zone) : civilMs(wall) - offsetMinutes * MINUTE_MS;
  return checkedInstant(ms, text);
}

/** The result of reading a stored ISO 8601 instant: its epoch ms, or what is wrong with it. */
export type InstantReading = { ms: number; problem?: undefined } | { ms?: undefined; problem: string };

const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * Reads an instant as the API and jobs.json hold it — ISO 8601 with a date, a time and an
 * offset (`Z` or ±HH:MM) — strictly: a real date and time, an offset within ±14:00, inside
 * years 1970–9999. Date.parse is not used: it takes "1", "Tue Dec 05 2099" and +25:00.
 */
export function readIsoInstant(text: unknown): InstantReading {
  if (typeof text !== "string" || !STORED_INSTANT.test(text)) {
    if (typeof text === "string" && /^[+-]\d{6}-/.test(text)) return { problem: "must lie between the years 1970 and 9999" };
    return { problem: "must be an ISO 8601 date-time with an offset (e.g. 2026-12-24T18:00:00Z or 2026-12-24T18:00:00+01:00)" };
  }
  try {
    return { ms: parseDateTime(text, "UTC") };
  } catch (error) {
    // The messages quote the text; a field's problem reads without it.
    return { problem: (error as Error).message.replace(/^"[^"]*" /, "").replace(/ \(ISO 8601, e\.g\..*\)$/, "") };
  }
}
