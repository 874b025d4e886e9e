/**
 * Cron syntax: cron-parser validates and expands the fields; this file fills its gaps
 * (repeated list values, `@midnight`, field-naming error messages) and records what the
 * DST and day-matching rules need (which fields were written with a leading `*`).
 */
import { CronExpressionParser } from "cron-parser";

/** A cron expression, expanded. Day numbers: months 1–12, weekdays 0–6 (Sunday = 0). */
export interface CronFields {
  /** Six fields (seconds first), aliases expanded, names as numbers, repeated values removed. */
  readonly normalized: string;
  readonly hasSeconds: boolean;
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: readonly number[];
  /** Bit d set for day-of-month d (1–31). */
  readonly daysOfMonthMask: number;
  /** `L` in day-of-month. */
  readonly lastDayOfMonth: boolean;
  /** Bit w set for weekday w (0–6). */
  readonly daysOfWeekMask: number;
  /** Bit w set for `wL`: the last weekday w of the month. */
  readonly lastWeekdaysMask: number;
  /** `w#n`: only the nth (1–5) weekday w of the month; 0 = no such restriction. */
  readonly nthWeekday: number;
  /** Day-of-month / day-of-week written starting with `*` or `?` (Vixie's DOM_STAR / DOW_STAR). */
  readonly dayOfMonthStar: boolean;
  readonly dayOfWeekStar: boolean;
  /** Hour written starting with `*` or `?`: the job follows elapsed time through DST changes. */
  readonly hourStar: boolean;
}

/** A cron expression that cannot be parsed; the message reads well after "trigger.expression: ". */
export class CronSyntaxError extends Error {
  override name = "CronSyntaxError";
}

const ALIASES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  // cron-parser 5.10 lacks @midnight; Vixie cron treats it as @daily.
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const FIELD_NAMES = ["second", "minute", "hour", "day-of-month", "month", "day-of-week"] as const;
const HOUR = 2;
const DAY_OF_MONTH = 3;
const MONTH = 4;
const DAY_OF_WEEK = 5;

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

// Only the fields are used; a fixed UTC start date spares cron-parser reading the clock and locale.
const PARSE_OPTIONS = { currentDate: 0, tz: "UTC" };

// cron-parser costs ~35 µs a parse, too much for 10,000 jobs at startup: whole expressions are
// cached, and so is each field's expansion (keyed by position and text), so a new expression
// made of fields seen before (a different minute, the same hours) needs no parse at all.
const parsedCache = new Map<string, CronFields>();
const fieldCache = new Map<string, ExpandedField>();
const CACHE_LIMIT = 10_000;

/** One field as cron-parser expanded it; `text` has repeated list values removed. */
interface ExpandedField {
  text: string;
  values: readonly (number | string)[];
  /** Day-of-week `#n`; 0 elsewhere. */
  nth: number;
}

/** Parses a cron expression (5 fields, 6 with seconds first, or an alias); throws CronSyntaxError. */
export function parseCronExpression(expression: string): CronFields {
  const cached = parsedCache.get(expression);
  if (cached) return cached;
  const fields = parseUncached(expression);
  remember(parsedCache, expression, fields);
  return fields;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

function parseUncached(expression: string): CronFields {
  let text = expression.trim();
  if (!text) throw new CronSyntaxError("must not be empty");
  if (text.startsWith("@")) {
    const alias = ALIASES[text.toLowerCase()];
    if (!alias) {
      throw new CronSyntaxError(
        `unknown alias "${text}" (use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)`,
      );
    }
    text = alias;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    throw new CronSyntaxError(
      `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${parts.length}`,
    );
  }
  const hasSeconds = parts.length === 6;
  const raw = hasSeconds ? parts : ["0", ...parts];
  const written = raw.map((field, index) => checkCharacters(index, replaceNames(index, field)));
  const starts = written.map((field) => field.startsWith("*") || field.startsWith("?"));

  const parserInput = [...written];
  // cron-parser rejects `0 0 31 2 *` outright; we want it to parse, so that "never fires" comes
  // from one place (the search) for `31 2` and `30 2` alike. `0-7` expands exactly as `*` does.
  if (parserInput[DAY_OF_WEEK] === "*" || parserInput[DAY_OF_WEEK] === "?") parserInput[DAY_OF_WEEK] = "0-7";

  const expanded = expandFields(parserInput);
  for (let index = 0; index < expanded.length; index++) {
    if (expanded[index]!.text !== parserInput[index]) written[index] = expanded[index]!.text;
  }
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = expanded as [
    ExpandedField,
    ExpandedField,
    ExpandedField,
    ExpandedField,
    ExpandedField,
    ExpandedField,
  ];
  let daysOfMonthMask = 0;
  let lastDayOfMonth = false;
  for (const value of dayOfMonth.values) {
    if (typeof value === "number") daysOfMonthMask |= 1 << value;
    else lastDayOfMonth = true;
  }
  let daysOfWeekMask = 0;
  let lastWeekdaysMask = 0;
  for (const value of dayOfWeek.values) {
    if (typeof value === "number") daysOfWeekMask |= 1 << value % 7;
    else lastWeekdaysMask |= 1 << Number.parseInt(value, 10) % 7;
  }
  return {
    normalized: written.join(" "),
    hasSeconds,
    seconds: second.values as number[],
    minutes: minute.values as number[],
    hours: hour.values as number[],
    months: month.values as number[],
    daysOfMonthMask,
    lastDayOfMonth,
    daysOfWeekMask,
    lastWeekdaysMask,
    nthWeekday: dayOfWeek.nth,
    dayOfMonthStar: starts[DAY_OF_MONTH]!,
    dayOfWeekStar: starts[DAY_OF_WEEK]!,
    hourStar: starts[HOUR]!,
  };
}

/** The six fields expanded, from the field cache where possible, else with one cron-parser parse. */
function expandFields(input: string[]): ExpandedField[] {
  const cached = input.map((field, index) => fieldCache.get(`${index} ${field}`));
  if (cached.every((field) => field !== undefined)) return cached;

  const repaired = [...input];
  let parsed: ReturnType<typeof CronExpressionParser.parse>;
  try {
    parsed = CronExpressionParser.parse(repaired.join(" "), PARSE_OPTIONS);
  } catch {
    // Find the field at fault (cron-parser's messages do not say which) and, where the only
    // fault is a repeated list value such as `0,7` (fine in Vixie cron), drop the repeats.
    for (let index = 0; index < repaired.length; index++) repaired[index] = checkFieldAlone(index, repaired[index]!);
    try {
      parsed = CronExpressionParser.parse(repaired.join(" "), PARSE_OPTIONS);
    } catch (error) {
      throw new CronSyntaxError(`is not a valid cron expression (${messageOf(error)})`);
    }
  }
  const { fields } = parsed;
  const all = [fields.second, fields.minute, fields.hour, fields.dayOfMonth, fields.month, fields.dayOfWeek];
  return all.map((field, index) => {
    const expanded: ExpandedField = {
      text: repaired[index]!,
      values: [...(field.values as readonly (number | string)[])],
      nth: index === DAY_OF_WEEK ? fields.dayOfWeek.nthDay : 0,
    };
    // With a single month cron-parser trims impossible days (31 in a 30-day month) from
    // day-of-month, so that expansion belongs to this expression only; the calendar search
    // skips such days anyway.
    if (index !== DAY_OF_MONTH || fields.month.values.length !== 1) remember(fieldCache, `${index} ${input[index]}`, expanded);
    return expanded;
  });
}

/** `jan`→`1`, `mon`→`1` (any case) in the month and day-of-week fields. */
function replaceNames(index: number, field: string): string {
  const names = index === MONTH ? MONTH_NAMES : index === DAY_OF_WEEK ? DAY_NAMES : undefined;
  if (!names) return field;
  return field.replace(/[a-z]{2,}/gi, (word) => {
    const number = names.indexOf(word.toLowerCase());
    if (number < 0) {
      throw new CronSyntaxError(
        index === MONTH
          ? `month name "${word}" is not a month (use jan–dec or 1–12)`
          : `day-of-week name "${word}" is not a day (use sun–sat or 0–7)`,
      );
    }
    return String(index === MONTH ? number + 1 : number);
  });
}

/** Rejects what cron-parser would accept but we do not support, with a reason. */
function checkCharacters(index: number, field: string): string {
  const name = FIELD_NAMES[index]!;
  // H picks a random value per parse, so a restart would move the job: not deterministic.
  if (/H/.test(field)) throw new CronSyntaxError(`${name} "${field}": H (hashed values) is not supported`);
  if (/W/.test(field)) throw new CronSyntaxError(`${name} "${field}": W (nearest weekday) is not supported`);
  const allowed = index === DAY_OF_WEEK ? /^[\d*?,/#L-]+$/ : index === DAY_OF_MONTH ? /^[\d*?,/L-]+$/ : /^[\d*?,/-]+$/;
  if (!allowed.test(field)) {
    throw new CronSyntaxError(`${name} "${field}" is not a number, range, step or list`);
  }
  return field;
}

/**
 * Parses one field with every other field `*`; returns it with repeated values removed, or
 * throws a CronSyntaxError naming the field.
 */
function checkFieldAlone(index: number, field: string): string {
  try {
    probe(index, field);
    return field;
  } catch (error) {
    if (!/duplicate values/.test(messageOf(error))) throw new CronSyntaxError(explain(index, field, messageOf(error)));
  }
  const values = new Set<number | string>();
  for (const item of field.split(",")) {
    for (const value of probe(index, item)) {
      values.add(typeof value === "number" && index === DAY_OF_WEEK ? value % 7 : value);
    }
  }
  return [...values].join(",");
}

function probe(index: number, field: string): readonly (number | string)[] {
  const six = ["*", "*", "*", "*", "*", "*"];
  six[index] = field;
  const { fields } = CronExpressionParser.parse(six.join(" "), PARSE_OPTIONS);
  const all = [fields.second, fields.minute, fields.hour, fields.dayOfMonth, fields.month, fields.dayOfWeek];
  return all[index]!.values as readonly (number | string)[];
}

/** Rewords cron-parser's messages ("Constraint error, got value 61 expected range 0-59"). */
function explain(index: number, field: string, message: string): string {
  const name = FIELD_NAMES[index]!;
  let match: RegExpExecArray | null;
  if ((match = /got value (\S+) expected range (\d+-\d+)/.exec(message))) {
    if (match[1]!.includes("L")) {
      return index === DAY_OF_MONTH
        ? `${name} "${field}": L stands alone in day-of-month (the last day of the month)`
        : `${name} value ${match[1]} out of range 0-7 (wL means the last weekday w of the month)`;
    }
    return `${name} value ${match[1]} out of range ${match[2]}`;
  }
  if ((match = /got range (\S+) expected range (\d+-\d+)/.exec(message))) {
    if (match[1]!.includes("NaN")) return `${name} "${field}" has an incomplete range`;
    return `${name} range ${match[1]} out of range ${match[2]}`;
  }
  if ((match = /Invalid range: (\d+)-(\d+), min/.exec(message))) {
    return `${name} range ${match[1]}-${match[2]} runs backwards (the start must not be after the end)`;
  }
  if (/cannot repeat at every/.test(message)) return `${name} "${field}": the step after / must be 1 or more`;
  if (/Invalid repeat/.test(message)) return `${name} "${field}" has more than one /`;
  if (/Invalid range/.test(message)) return `${name} "${field}" is not a valid range`;
  if (/Invalid list value format/.test(message)) return `${name} "${field}" has an empty list item`;
  if (/Invalid wildcard/.test(message)) return `${name} "${field}": * must stand alone or before /step`;
  if (/occurrence number/.test(message)) return `${name} "${field}": the number after # must be 1–5`;
  if (/incompatible/.test(message)) return `${name} "${field}": # cannot be combined with a list, range, step or L`;
  if (/standalone L/.test(message)) return `${name} "L" needs a weekday before it (e.g. 5L = the last Friday)`;
  if (/Invalid characters/.test(message)) return `${name} "${field}" is not a number, range, step or list`;
  return `${name} "${field}": ${message}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
