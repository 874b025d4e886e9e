/**
 * Time-zone math over Intl: UTC offsets, the instants where they change, and ISO 8601
 * formatting with a zone's offset. Intl is the only source of zone data, so the engine,
 * the CLI's `next` preview and the UI agree with each other.
 */
import { civilFromDays, daysFromCivil, DAY_MS, SECOND_MS } from "./civil.js";

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

// Constructing an Intl.DateTimeFormat costs ~0.1 ms, so each is built once per zone.
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const zoneRules = new Map<string, ZoneRules>();
let cachedSystemZone: string | undefined;

/**
 * The system's IANA zone. Cached: resolving it costs ~0.1 ms, which 10,000 jobs at startup
 * cannot afford. Pass `refresh` after the OS zone may have changed (resume, clock jump).
 */
export function systemTimeZone(refresh = false): string {
  if (refresh || cachedSystemZone === undefined) {
    cachedSystemZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
  return cachedSystemZone;
}

/**
 * True when Intl knows `zone` (same rule as the contract's isValidTimeZone), cached: arming
 * 10,000 jobs must not construct 10,000 formatters.
 */
export function isKnownTimeZone(zone: string): boolean {
  if (offsetFormats.has(zone)) return true;
  if (!zone) return false;
  try {
    offsetFormat(zone);
    return true;
  } catch {
    return false;
  }
}

function offsetFormat(zone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  return format;
}

const OFFSET_PATTERN = /GMT([+-])(\d{1,2}):(\d{2})(?::(\d{2}))?/;

/** Offset of `zone` at `ms`, straight from Intl (whole seconds; pre-1900 LMT offsets have seconds). */
export function intlOffsetMs(zone: string, ms: number): number {
  const text = offsetFormat(zone).format(ms);
  const match = OFFSET_PATTERN.exec(text);
  if (!match) return 0; // plain "GMT": offset zero
  const [, sign, hours, minutes, seconds] = match;
  const total = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0)) * SECOND_MS;
  return sign === "-" ? -total : total;
}

/**
 * Offsets of one zone, computed lazily per UTC year and cached. Lookups are a binary search,
 * so a next-run computation costs microseconds instead of an Intl call per probe.
 */
export class ZoneRules {
  private readonly years = new Map<number, YearTable>();
  private lastTable: YearTable | undefined;

  constructor(readonly zone: string) {}

  /** The rules for `zone`, shared by every trigger in that zone. */
  static for(zone: string): ZoneRules {
    let rules = zoneRules.get(zone);
    if (!rules) {
      rules = new ZoneRules(zone);
      zoneRules.set(zone, rules);
    }
    return rules;
  }

  offsetAt(ms: number): number {
    const table = this.tableAt(ms);
    return table.offsets[indexIn(table, ms)] ?? 0;
  }

  /**
   * The constant-offset stretch containing `ms`. Its end is the next transition or, when the
   * year has none left, the end of the UTC year (the next segment then has the same offset).
   */
  segmentAt(ms: number): OffsetSegment {
    const table = this.tableAt(ms);
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
      const table = this.tableAt(cursor);
      if (table.offsetBeforeStart !== table.offsets[0] && table.start > from && table.start <= to) {
        found.push({ at: table.start, offsetBeforeMs: table.offsetBeforeStart, offsetAfterMs: table.offsets[0]! });
      }
      for (let i = 1; i < table.starts.length; i++) {
        const at = table.starts[i]!;
        if (at > from && at <= to) {
          found.push({ at, offsetBeforeMs: table.offsets[i - 1]!, offsetAfterMs: table.offsets[i]! });
        }
      }
      cursor = table.end;
    }
    return found;
  }

  private tableAt(ms: number): YearTable {
    const last = this.lastTable;
    if (last && ms >= last.start && ms < last.end) return last;
    const year = civilFromDays(Math.floor(ms / DAY_MS)).year;
    let table = this.years.get(year);
    if (!table) {
      table = this.buildYear(year);
      this.years.set(year, table);
    }
    this.lastTable = table;
    return table;
  }

  /**
   * Samples the offset once a day and bisects each change to the second. Two changes that
   * cancel out within one day would be missed; no zone in the tz database does that.
   */
  private buildYear(year: number): YearTable {
    const start = daysFromCivil(year, 1, 1) * DAY_MS;
    const end = daysFromCivil(year + 1, 1, 1) * DAY_MS;
    const starts = [start];
    const offsets = [intlOffsetMs(this.zone, start)];
    let previous = start;
    let previousOffset = offsets[0]!;
    for (let probe = start + DAY_MS; probe <= end; probe += DAY_MS) {
      const offset = intlOffsetMs(this.zone, probe);
      if (offset !== previousOffset) {
        const at = this.bisect(previous, probe, previousOffset);
        if (at < end) {
          starts.push(at);
          offsets.push(intlOffsetMs(this.zone, at));
        }
        previousOffset = offset;
      }
      previous = probe;
    }
    return { year, start, end, starts, offsets, offsetBeforeStart: intlOffsetMs(this.zone, start - SECOND_MS) };
  }

  /** First whole second in (low, high] whose offset differs from `lowOffset`. */
  private bisect(low: number, high: number, lowOffset: number): number {
    while (high - low > SECOND_MS) {
      const mid = low + Math.floor((high - low) / 2 / SECOND_MS) * SECOND_MS;
      if (intlOffsetMs(this.zone, mid) === lowOffset) low = mid;
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

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** `-04:00`, `+05:30`; historical offsets with seconds keep them (`-04:56:02`), as Temporal does. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? "-" : "+";
  const totalSeconds = Math.abs(offsetMs) / SECOND_MS;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${sign}${pad(hours)}:${pad(minutes)}${seconds ? `:${pad(seconds)}` : ""}`;
}

/**
 * ISO 8601 wall time in `timeZone` with that zone's offset, e.g. `2026-03-08T03:00:00-04:00`
 * (milliseconds only when non-zero). The format of `sundial next --json` and `nextRunAt`.
 */
export function formatInZone(date: Date, timeZone: string): string {
  const ms = date.getTime();
  const offsetMs = ZoneRules.for(timeZone).offsetAt(ms);
  const civil = ms + offsetMs;
  const days = Math.floor(civil / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  const msOfDay = civil - days * DAY_MS;
  const hours = Math.floor(msOfDay / 3_600_000);
  const minutes = Math.floor((msOfDay % 3_600_000) / 60_000);
  const seconds = Math.floor((msOfDay % 60_000) / 1000);
  const millis = msOfDay % 1000;
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? "-" : "+"}${pad(Math.abs(year), 6)}`;
  return (
    `${yearText}-${pad(month)}-${pad(day)}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}` +
    `${millis ? `.${pad(millis, 3)}` : ""}${formatOffset(offsetMs)}`
  );
}
