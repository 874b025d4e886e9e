/**
 * The job editor's form as plain data: what each field holds (text as typed), how a job
 * fills it, how it becomes a JobInput / JobPatch, and the checks that need no engine.
 * Error keys are the field names the service uses (`triggers[1].expression`, `env.KEY`,
 * `conditions.between`, …) so the engine's ValidationError issues land on the same inputs.
 */
import { httpUrlProblem } from "../../../electron/shared/channels.js";
import { tagListIssues, tagsFromText } from "../../../electron/shared/tags.js";
import { formatDuration, parseDuration } from "../../../electron/shared/duration.js";
import type { AlertRules, DateTriggerSpec, JobInput, JobPatch, JobView, SingleTriggerJobInput, TriggerSpec, TriggerSpecInput } from "../../../electron/shared/schemas.js";
import { MAX_ALERT_AFTER_FAILURES, SLOW_AUTO } from "../../../electron/shared/alert-rules.js";
import {
  DEFAULT_CATCH_UP_POLICY,
  DEFAULT_OVERLAP_POLICY,
  DEFAULT_WHEN_UNMET_POLICY,
  type CatchUpPolicy,
  type NotifyPolicy,
  type OverlapPolicy,
  type WhenUnmetPolicy,
} from "../../../electron/shared/policies.js";
import { readSkipDate, readTimeWindow, sortedWeekdays, WEEKDAYS, type RunConditions, type Weekday } from "../../../electron/shared/conditions.js";
import { DEFAULT_AFTER_OUTCOME, DEFAULT_WATCH_DEBOUNCE_SECONDS, MAX_TRIGGERS_PER_JOB, type AfterOutcome } from "../../../electron/shared/trigger-types.js";
import { isoToWallTime, resolveTimeZone, wallTimeToIso } from "../../../electron/shared/civil-time.js";
import { fieldProblem, formatClockTime } from "../../../electron/shared/wording.js";

/**
 * The trigger kinds a row of the editor offers (DESIGN.md "Beyond the clock"): `once` is a
 * date trigger. A job with no row is a manual job.
 */
export type ScheduleType = "cron" | "interval" | "once" | "startup" | "wake" | "watch" | "after";

/** Each kind as the row's kind picker names it, in the picker's order. */
export const TRIGGER_CHOICES: readonly { value: ScheduleType; label: string }[] = [
  { value: "cron", label: "Cron" },
  { value: "interval", label: "Every" },
  { value: "once", label: "Once at" },
  { value: "startup", label: "At login/startup" },
  { value: "wake", label: "After wake" },
  { value: "watch", label: "When a file or folder changes" },
  { value: "after", label: "After another job" },
];

/** What a job with no trigger does, as the editor says it. */
export const MANUAL_JOB_HINT = "Runs only when you start it, or as a chain step";

/** One trigger of the job, as the user typed it; `id` keeps rows stable while they change. */
export interface TriggerRow {
  id: number;
  type: ScheduleType;
  cronExpression: string;
  /** A duration such as `5m` or `1h30m`. */
  every: string;
  /** An interval's first possible run, `datetime-local` wall time in the interval's zone; empty: none. */
  intervalStart: string;
  /** An interval's last possible run, as intervalStart; empty: none. */
  intervalEnd: string;
  /** An interval's random delay, a duration; empty or `0`: none. */
  jitter: string;
  /** `datetime-local` wall time, read in `timezone`. */
  runAt: string;
  /** As typed: a zone name, or a city the zone search resolves (`Paris`). */
  timezone: string;
  /** A startup or wake trigger's delay, a duration; empty or `0`: none. */
  delay: string;
  /** The file or folder a watch trigger watches. */
  watchPath: string;
  watchRecursive: boolean;
  /** How long the path must be quiet before the run, a duration (`2s`, the engine's default). */
  watchDebounce: string;
  /** The id of the job an `after` trigger follows; empty: none chosen yet. */
  afterJob: string;
  afterOn: AfterOutcome;
  /** The stored trigger this row was filled from (Edit, Duplicate): what the form does not show is kept from it. */
  source: TriggerSpec | null;
}

/** The row values a person types in (everything but the row's identity). */
export type TriggerValueKey = Exclude<keyof TriggerRow, "id" | "source">;

/** One entry of the skip dates list: a day, or a range when `to` is set. */
export interface SkipDateRow {
  id: number;
  /** `YYYY-MM-DD` (a date input). */
  from: string;
  /** `YYYY-MM-DD`, or empty for the one day `from`. */
  to: string;
}

/** One row of the environment variables table; `id` keeps rows stable while keys change. */
export interface EnvRow {
  id: number;
  key: string;
  value: string;
}

/** Every field of the form, as the user typed it. */
export interface EditorValues {
  name: string;
  /** The job's triggers, in order; none: a manual job. */
  triggers: TriggerRow[];
  command: string;
  cwd: string;
  env: EnvRow[];
  /** A duration, or empty for no limit. */
  timeout: string;
  overlap: OverlapPolicy;
  catchUp: CatchUpPolicy;
  retries: string;
  /** A duration, or `0`. */
  retryDelay: string;
  /** Empty: the job follows the `default-notify` setting. */
  notify: NotifyPolicy | "";
  /** Alert rules (issue 16): a whole number, empty for none of its own. */
  alertAfter: string;
  alertRecovered: boolean;
  /** A duration, or empty: no dead-man's switch. */
  expectSuccessWithin: string;
  /** A duration, `auto`, or empty. */
  alertSlowerThan: string;
  /** Channel names, comma-separated; empty: the desktop only (issue 16). */
  channels: string;
  /** A healthchecks.io-style ping URL; empty: none. */
  pingUrl: string;
  /** Tags, comma-separated (issue 17); empty: none. */
  tags: string;
  /** Conditions (issue 15): runs start only from this time of day (`HH:MM`); empty with `betweenTo`: any time. */
  betweenFrom: string;
  /** …and before this one (may be earlier: the window wraps midnight). */
  betweenTo: string;
  /** The days runs may start on; all seven: any day. */
  days: Weekday[];
  skipDates: SkipDateRow[];
  acPower: boolean;
  online: boolean;
  whenUnmet: WhenUnmetPolicy;
  /** With `wait`: a duration, or empty for no limit. */
  waitUpTo: string;
}

/** Every weekday, Monday first: the day toggles' order, and "any day". */
export const ALL_DAYS: readonly Weekday[] = sortedWeekdays(WEEKDAYS);

/** Field name (as the service names it) → what is wrong with it. */
export type FieldErrors = Record<string, string>;

let nextRowId = 1;

/** A new, empty environment row. */
export function emptyEnvRow(): EnvRow {
  return { id: nextRowId++, key: "", value: "" };
}

/** A new, empty skip date entry. */
export function emptySkipDateRow(): SkipDateRow {
  return { id: nextRowId++, from: "", to: "" };
}

/** A new trigger row of `type`, its fields at their defaults; times in `systemZone`. */
export function blankTriggerRow(type: ScheduleType, systemZone: string): TriggerRow {
  return {
    id: nextRowId++,
    type,
    cronExpression: "",
    every: "1h",
    intervalStart: "",
    intervalEnd: "",
    jitter: "",
    runAt: "",
    timezone: systemZone,
    delay: "",
    watchPath: "",
    watchRecursive: false,
    watchDebounce: formatDuration(DEFAULT_WATCH_DEBOUNCE_SECONDS),
    afterJob: "",
    afterOn: DEFAULT_AFTER_OUTCOME,
    source: null,
  };
}

/** The form for a new job: one cron trigger in the system zone, the contract's default policies, no conditions. */
export function blankValues(systemZone: string): EditorValues {
  return {
    name: "",
    triggers: [blankTriggerRow("cron", systemZone)],
    command: "",
    cwd: "",
    env: [],
    timeout: "",
    overlap: DEFAULT_OVERLAP_POLICY,
    catchUp: DEFAULT_CATCH_UP_POLICY,
    retries: "0",
    retryDelay: "1m",
    notify: "",
    alertAfter: "",
    alertRecovered: false,
    expectSuccessWithin: "",
    alertSlowerThan: "",
    channels: "",
    pingUrl: "",
    tags: "",
    betweenFrom: "",
    betweenTo: "",
    days: [...ALL_DAYS],
    skipDates: [],
    acPower: false,
    online: false,
    whenUnmet: DEFAULT_WHEN_UNMET_POLICY,
    waitUpTo: "",
  };
}

/** The row a stored trigger fills. */
export function rowFromTrigger(trigger: TriggerSpec, systemZone: string): TriggerRow {
  const { type } = trigger;
  switch (type) {
    case "cron":
      return { ...blankTriggerRow("cron", systemZone), cronExpression: trigger.expression, timezone: trigger.timezone ?? systemZone, source: trigger };
    case "interval":
      return {
        ...blankTriggerRow("interval", systemZone),
        every: formatDuration(trigger.everySeconds),
        intervalStart: trigger.start ? isoToWallTime(trigger.start, systemZone) : "",
        intervalEnd: trigger.end ? isoToWallTime(trigger.end, systemZone) : "",
        jitter: trigger.jitterSeconds ? formatDuration(trigger.jitterSeconds) : "",
        source: trigger,
      };
    case "date":
      return { ...blankTriggerRow("once", systemZone), runAt: isoToWallTime(trigger.at, systemZone), source: trigger };
    case "startup":
    case "wake":
      return { ...blankTriggerRow(type, systemZone), delay: trigger.delaySeconds ? formatDuration(trigger.delaySeconds) : "", source: trigger };
    case "watch":
      return {
        ...blankTriggerRow("watch", systemZone),
        watchPath: trigger.path,
        watchRecursive: trigger.recursive === true,
        watchDebounce: trigger.debounceSeconds === 0 ? "0" : formatDuration(trigger.debounceSeconds),
        source: trigger,
      };
    case "after":
      return { ...blankTriggerRow("after", systemZone), afterJob: trigger.job, afterOn: trigger.on, source: trigger };
    default:
      return unhandledKind(type);
  }
}

/** The form filled from an existing job (for Edit and Duplicate). */
export function valuesFromJob(job: JobView, systemZone: string): EditorValues {
  const values = blankValues(systemZone);
  const conditions = job.conditions ?? {};
  const [betweenFrom = "", betweenTo = ""] = conditions.between?.split("-") ?? [];
  return {
    ...values,
    name: job.name,
    triggers: job.triggers.map((trigger) => rowFromTrigger(trigger, systemZone)),
    command: job.command,
    cwd: job.cwd ?? "",
    env: Object.entries(job.env).map(([key, value]) => ({ id: nextRowId++, key, value })),
    timeout: job.timeoutSeconds ? formatDuration(job.timeoutSeconds) : "",
    overlap: job.overlap,
    catchUp: job.catchUp,
    retries: String(job.retries.count),
    retryDelay: job.retries.delaySeconds === 0 ? "0" : formatDuration(job.retries.delaySeconds),
    notify: job.notify ?? "",
    alertAfter: job.alerts?.afterFailures !== undefined ? String(job.alerts.afterFailures) : "",
    alertRecovered: job.alerts?.recovered === true,
    expectSuccessWithin: job.alerts?.expectSuccessWithin !== undefined ? formatDuration(job.alerts.expectSuccessWithin) : "",
    alertSlowerThan: job.alerts?.slowerThan === undefined ? "" : job.alerts.slowerThan === SLOW_AUTO ? SLOW_AUTO : formatDuration(job.alerts.slowerThan),
    channels: job.channels?.join(", ") ?? "",
    pingUrl: job.pingUrl ?? "",
    tags: (job.tags ?? []).join(", "),
    betweenFrom,
    betweenTo,
    days: conditions.days ? sortedWeekdays(conditions.days) : [...ALL_DAYS],
    skipDates: (conditions.skipDates ?? []).map((entry) => {
      const [from = "", to = ""] = entry.split("..");
      return { id: nextRowId++, from, to };
    }),
    acPower: conditions.acPower === true,
    online: conditions.online === true,
    whenUnmet: job.whenUnmet ?? DEFAULT_WHEN_UNMET_POLICY,
    waitUpTo: job.waitUpToSeconds ? formatDuration(job.waitUpToSeconds) : "",
  };
}

/** The service's name for a field of the trigger at `index`: `triggers[1].expression`; no field: the trigger itself. */
export function triggerField(index: number, field?: string): string {
  return field ? `triggers[${index}].${field}` : `triggers[${index}]`;
}

/** `triggers[1].expression` → { index: 1, field: "expression" }; `triggers[1]` → field ""; else null. */
export function parseTriggerField(name: string): { index: number; field: string } | null {
  const match = /^triggers\[(\d+)\](?:\.(.+))?$/.exec(name);
  return match ? { index: Number(match[1]), field: match[2] ?? "" } : null;
}

/**
 * Every problem the form has that can be seen without asking the engine. `editing` is the
 * job being edited (not one being duplicated): its own one-off time, left as it was, is not
 * refused for having passed.
 */
export function localErrors(values: EditorValues, nowMs: number, editing: JobView | null = null): FieldErrors {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = "must not be empty";
  else if (name.length > 200) errors.name = "must be at most 200 characters";

  values.triggers.forEach((row, index) => Object.assign(errors, triggerErrors(row, index, nowMs, editing)));
  if (values.triggers.length > MAX_TRIGGERS_PER_JOB) errors.triggers = `must be at most ${MAX_TRIGGERS_PER_JOB} triggers`;

  if (!values.command.trim()) errors.command = "must not be empty";
  const pingProblem = values.pingUrl.trim() ? httpUrlProblem(values.pingUrl.trim()) : null;
  if (pingProblem) errors.pingUrl = pingProblem;
  const tags = tagsFromText(values.tags);
  const tagIssue = tagListIssues(tags)[0];
  // One field holds every tag: a problem names the tag it is about, unless it already does.
  if (tagIssue) errors.tags = tagIssue.index === null || tagIssue.message.startsWith('"') ? tagIssue.message : `"${tags[tagIssue.index]}" ${tagIssue.message}`;

  const seenKeys = new Set<string>();
  for (const row of values.env) {
    if (!row.key && !row.value) continue;
    const field = `env.${row.key}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(row.key)) errors[field] = "must be a variable name (letters, digits, _)";
    else if (seenKeys.has(row.key)) errors[field] = "is set twice";
    seenKeys.add(row.key);
  }

  if (values.timeout.trim()) {
    const problem = durationProblem(values.timeout);
    if (problem) errors.timeoutSeconds = problem;
  }
  const retries = values.retries.trim();
  if (!/^\d+$/.test(retries) || Number(retries) > 100) errors["retries.count"] = "must be a whole number from 0 to 100";
  if (values.retryDelay.trim() !== "0") {
    const problem = durationProblem(values.retryDelay);
    if (problem) errors["retries.delaySeconds"] = problem;
  }
  const alertAfter = values.alertAfter.trim();
  if (alertAfter && (!/^\d+$/.test(alertAfter) || Number(alertAfter) < 1 || Number(alertAfter) > MAX_ALERT_AFTER_FAILURES)) {
    errors["alerts.afterFailures"] = `must be a whole number from 1 to ${MAX_ALERT_AFTER_FAILURES}`;
  }
  if (values.expectSuccessWithin.trim()) {
    const problem = durationProblem(values.expectSuccessWithin);
    if (problem) errors["alerts.expectSuccessWithin"] = problem;
  }
  const slower = values.alertSlowerThan.trim();
  if (slower && slower !== SLOW_AUTO) {
    const problem = durationProblem(slower);
    if (problem) errors["alerts.slowerThan"] = `${problem}, or "${SLOW_AUTO}"`;
  }
  Object.assign(errors, conditionErrors(values));
  return errors;
}

/** The conditions' problems: a window with one end, or that reads wrong; no day; a skip date that ends before it starts. */
function conditionErrors(values: EditorValues): FieldErrors {
  const errors: FieldErrors = {};
  const from = values.betweenFrom.trim();
  const to = values.betweenTo.trim();
  if (from || to) {
    if (!from || !to) errors["conditions.between"] = "needs both a start and an end time";
    else {
      const { problem } = readTimeWindow(`${from}-${to}`);
      if (problem) errors["conditions.between"] = problem;
    }
  }
  if (values.days.length === 0) errors["conditions.days"] = "must name at least one day (all seven: any day)";
  values.skipDates.forEach((row, index) => {
    const entry = skipDateEntry(row);
    if (entry === null) return;
    const { problem } = readSkipDate(entry);
    if (problem) errors[`conditions.skipDates.${index}`] = problem;
  });
  if (values.whenUnmet === "wait" && values.waitUpTo.trim()) {
    const problem = durationProblem(values.waitUpTo);
    if (problem) errors.waitUpToSeconds = problem;
  }
  return errors;
}

/** A skip date row as the engine takes it (`2026-12-24`, `2026-12-24..2027-01-02`), or null while empty. */
function skipDateEntry(row: SkipDateRow): string | null {
  const from = row.from.trim();
  const to = row.to.trim();
  if (!from && !to) return null;
  return to && to !== from ? `${from}..${to}` : from;
}

/** The job's conditions the form describes, or undefined for none. */
export function conditionsFromValues(values: EditorValues): RunConditions | undefined {
  const conditions: RunConditions = {};
  if (values.betweenFrom.trim() && values.betweenTo.trim()) conditions.between = `${values.betweenFrom.trim()}-${values.betweenTo.trim()}`;
  if (values.days.length > 0 && values.days.length < ALL_DAYS.length) conditions.days = sortedWeekdays(values.days);
  const skipDates = values.skipDates.map(skipDateEntry).filter((entry): entry is string => entry !== null);
  if (skipDates.length > 0) conditions.skipDates = skipDates;
  if (values.acPower) conditions.acPower = true;
  if (values.online) conditions.online = true;
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}

/** The job's own alert rules the form describes, or undefined for none. */
function alertsFromValues(values: EditorValues): AlertRules | undefined {
  const rules: AlertRules = {};
  if (values.alertAfter.trim()) rules.afterFailures = Number(values.alertAfter.trim());
  if (values.alertRecovered) rules.recovered = true;
  if (values.expectSuccessWithin.trim()) rules.expectSuccessWithin = parseDuration(values.expectSuccessWithin);
  const slower = values.alertSlowerThan.trim();
  if (slower) rules.slowerThan = slower === SLOW_AUTO ? SLOW_AUTO : parseDuration(slower);
  return Object.keys(rules).length > 0 ? rules : undefined;
}

/** One trigger row's problems, each under its field (`triggers[1].expression`). */
export function triggerErrors(row: TriggerRow, index: number, nowMs: number, editing: JobView | null = null): FieldErrors {
  const { type } = row;
  const field = (name: string) => triggerField(index, name);
  const zone = resolveTimeZone(row.timezone);
  const unknownZone = `unknown time zone "${row.timezone.trim()}"`;
  switch (type) {
    case "cron": {
      const errors: FieldErrors = {};
      if (!row.cronExpression.trim()) errors[field("expression")] = "must not be empty";
      if (!zone) errors[field("timezone")] = unknownZone;
      return errors;
    }
    case "interval": {
      // What the engine alone can judge (end before start, jitter as long as the period)
      // comes back from its preview and lands on the same fields.
      const errors: FieldErrors = {};
      const problem = durationProblem(row.every);
      if (problem) errors[field("everySeconds")] = problem;
      // Whether a wall time is a real date and time does not depend on the zone.
      if (row.intervalStart && !wallTimeToIso(row.intervalStart, "UTC")) errors[field("start")] = "must be a date and time";
      if (row.intervalEnd && !wallTimeToIso(row.intervalEnd, "UTC")) errors[field("end")] = "must be a date and time";
      if (!isNone(row.jitter)) {
        const jitterProblem = durationProblem(row.jitter);
        if (jitterProblem) errors[field("jitterSeconds")] = jitterProblem;
      }
      return errors;
    }
    case "once": {
      if (!row.runAt) return { [field("at")]: "is required" };
      if (!zone) return { [field("timezone")]: unknownZone };
      const at = wallTimeToIso(row.runAt, zone);
      if (!at) return { [field("at")]: "must be a date and time" };
      if (editing !== null && unchangedDateTrigger(row)) return {};
      return Date.parse(at) <= nowMs ? { [field("at")]: "is in the past" } : {};
    }
    case "startup":
    case "wake": {
      const problem = isNone(row.delay) ? null : durationProblem(row.delay);
      return problem ? { [field("delaySeconds")]: problem } : {};
    }
    case "watch": {
      const errors: FieldErrors = {};
      if (!row.watchPath.trim()) errors[field("path")] = "must not be empty";
      const problem = isNone(row.watchDebounce) ? null : durationProblem(row.watchDebounce);
      if (problem) errors[field("debounceSeconds")] = problem;
      return errors;
    }
    case "after":
      return row.afterJob ? {} : { [field("job")]: "must name a job" };
    default:
      return unhandledKind(type);
  }
}

/**
 * The one-off trigger a row was filled from when it still shows its time (to the minute, in
 * the row's zone), else null. Such a date is the job's own: it is kept exactly (seconds
 * included) and not refused for having passed, so a finished job edited without a new date
 * stays finished, and a later date re-arms it.
 */
function unchangedDateTrigger(row: TriggerRow): DateTriggerSpec | null {
  const { source } = row;
  if (row.type !== "once" || source?.type !== "date") return null;
  return row.runAt === isoToWallTime(source.at, row.timezone) ? source : null;
}

/**
 * The zone a row's times are typed and previewed in: its zone field where its kind has one,
 * else undefined (this computer's zone, as an interval runs).
 */
export function rowZone(row: Pick<TriggerRow, "type" | "timezone">): string | undefined {
  const { type } = row;
  switch (type) {
    case "cron":
    case "once":
      return resolveTimeZone(row.timezone) ?? row.timezone;
    case "interval":
    case "startup":
    case "wake":
    case "watch":
    case "after":
      return undefined;
    default:
      return unhandledKind(type);
  }
}

/** Whether a row fires at clock times (its next runs can be previewed). */
export function isTimeRow(row: Pick<TriggerRow, "type">): boolean {
  return row.type === "cron" || row.type === "interval" || row.type === "once";
}

/** The zone the form's preview times show in: its first time trigger's, else undefined (this computer's). */
export function formZone(values: Pick<EditorValues, "triggers">): string | undefined {
  const first = values.triggers.find(isTimeRow);
  return first ? rowZone(first) : undefined;
}

const CLOCK_FIELD = /^\d{1,2}$/;

/**
 * The time of day a five-field cron expression fires at when it names one minute and one
 * hour (`30 8 * * 1-5` → `08:30`), else null: what the preset time picker shows.
 */
export function presetTimeOf(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  const [minute = "", hour = ""] = fields;
  if (fields.length !== 5 || !CLOCK_FIELD.test(minute) || !CLOCK_FIELD.test(hour)) return null;
  if (Number(minute) > 59 || Number(hour) > 23) return null;
  return formatClockTime(Number(hour), Number(minute));
}

/**
 * The expression moved to another time of day (`HH:MM`), its days kept
 * (`30 8 * * 1-5` at 07:15 → `15 7 * * 1-5`); null when it has no single time to move.
 */
export function withPresetTime(expression: string, time: string): string | null {
  const clock = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!clock || presetTimeOf(expression) === null) return null;
  const [, , ...days] = expression.trim().split(/\s+/);
  return [Number(clock[2]), Number(clock[1]), ...days].join(" ");
}

/** A schedule type or trigger kind this form does not know yet: adding one fails to compile here. */
function unhandledKind(kind: never): never {
  throw new Error(`the editor has no fields for ${JSON.stringify(kind)}`);
}

/** An empty duration, or `0`, means none (a jitter, a delay, a debounce). */
function isNone(text: string): boolean {
  return text.trim() === "" || text.trim() === "0";
}

function durationProblem(text: string): string | null {
  try {
    parseDuration(text);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The trigger a row describes, or null while its fields are not valid yet. Editing keeps
 * what the form does not show: an interval's anchor, while its start stays (a new start
 * moves the rhythm there, as for a new job). A zone typed as a city is its zone's name.
 * Call only when `triggerErrors` has nothing for the row.
 */
export function triggerFromRow(row: TriggerRow, systemZone: string): TriggerSpecInput | null {
  try {
    const { type, source } = row;
    switch (type) {
      case "cron": {
        const sourceZone = source?.type === "cron" ? source.timezone : undefined;
        const chosen = resolveTimeZone(row.timezone) ?? row.timezone;
        // The system zone stays implicit (the job follows the computer) unless it was chosen.
        const timezone = chosen === systemZone && sourceZone === undefined ? undefined : chosen;
        return { type: "cron", expression: row.cronExpression.trim(), ...(timezone ? { timezone } : {}) };
      }
      case "interval": {
        const kept = source?.type === "interval" ? source : null;
        // An interval's times are in the zone it runs in: this computer's.
        const start = row.intervalStart ? wallTimeToIso(row.intervalStart, systemZone) : undefined;
        const end = row.intervalEnd ? wallTimeToIso(row.intervalEnd, systemZone) : undefined;
        if (start === null || end === null) return null;
        const sameStart = kept !== null && instantOf(kept.start) === instantOf(start);
        const anchor = sameStart ? kept.anchor : undefined;
        // The same instant keeps its stored spelling, so an untouched field is not a change.
        const storedEnd = kept !== null && instantOf(kept.end) === instantOf(end) ? kept.end : end;
        const jitterSeconds = isNone(row.jitter) ? undefined : parseDuration(row.jitter);
        return {
          type: "interval",
          everySeconds: parseDuration(row.every),
          ...(anchor ? { anchor } : {}),
          ...(start ? { start: sameStart ? kept.start : start } : {}),
          ...(storedEnd ? { end: storedEnd } : {}),
          ...(jitterSeconds ? { jitterSeconds } : {}),
        };
      }
      case "once": {
        const kept = unchangedDateTrigger(row);
        if (kept) return kept;
        const at = wallTimeToIso(row.runAt, resolveTimeZone(row.timezone) ?? row.timezone);
        return at ? { type: "date", at } : null;
      }
      case "startup":
      case "wake": {
        const delaySeconds = isNone(row.delay) ? undefined : parseDuration(row.delay);
        return { type, ...(delaySeconds ? { delaySeconds } : {}) };
      }
      case "watch":
        return {
          type: "watch",
          path: row.watchPath.trim(),
          ...(row.watchRecursive ? { recursive: true } : {}),
          debounceSeconds: isNone(row.watchDebounce) ? 0 : parseDuration(row.watchDebounce),
        };
      case "after":
        return row.afterJob ? { type: "after", job: row.afterJob, on: row.afterOn } : null;
      default:
        return unhandledKind(type);
    }
  } catch {
    return null;
  }
}

/** Every row's trigger, or null while one of them is not valid yet. */
export function triggersFromValues(values: Pick<EditorValues, "triggers">, systemZone: string): TriggerSpecInput[] | null {
  const triggers = values.triggers.map((row) => triggerFromRow(row, systemZone));
  return triggers.every((trigger) => trigger !== null) ? (triggers as TriggerSpecInput[]) : null;
}

/** An optional instant as epoch ms, to compare spellings of one instant; null when absent. */
function instantOf(iso: string | undefined): number | null {
  return iso === undefined ? null : Date.parse(iso);
}

/** A job as the editor sends it: always a list of triggers (possibly empty: a manual job). */
export type EditorJobInput = Exclude<JobInput, SingleTriggerJobInput>;

/** The JobInput for Save on a new job. Call only when the form has no errors. */
export function inputFromValues(values: EditorValues, systemZone: string, original: JobView | null): EditorJobInput {
  const triggers = triggersFromValues(values, systemZone);
  if (!triggers) throw new Error("The schedule is not complete");
  const input: EditorJobInput = {
    name: values.name.trim(),
    triggers,
    command: values.command,
    env: envRecord(values.env),
    overlap: values.overlap,
    catchUp: values.catchUp,
    retries: {
      count: Number(values.retries.trim()),
      delaySeconds: values.retryDelay.trim() === "0" ? 0 : parseDuration(values.retryDelay),
      backoff: original?.retries.backoff ?? 1,
    },
  };
  if (values.notify) input.notify = values.notify;
  const alerts = alertsFromValues(values);
  if (alerts) input.alerts = alerts;
  const channels = channelList(values.channels);
  if (channels.length > 0) input.channels = channels;
  if (values.pingUrl.trim()) input.pingUrl = values.pingUrl.trim();
  const tags = tagsFromText(values.tags);
  if (tags.length > 0) input.tags = tags;
  const conditions = conditionsFromValues(values);
  if (conditions) {
    input.conditions = conditions;
    // What an unmet condition does matters only with a condition to be unmet.
    if (values.whenUnmet !== DEFAULT_WHEN_UNMET_POLICY) input.whenUnmet = values.whenUnmet;
    if (values.whenUnmet === "wait" && values.waitUpTo.trim()) input.waitUpToSeconds = parseDuration(values.waitUpTo);
  }
  if (values.cwd.trim()) input.cwd = values.cwd.trim();
  if (values.timeout.trim()) input.timeoutSeconds = parseDuration(values.timeout);
  if (original?.shell) input.shell = original.shell;
  if (original?.catchUpGraceSeconds) input.catchUpGraceSeconds = original.catchUpGraceSeconds;
  return input;
}

/**
 * The JobPatch for Save on an existing job: only the fields that changed, `null` for an
 * optional field that was cleared (the service then removes it).
 */
export function patchFromValues(values: EditorValues, systemZone: string, original: JobView): JobPatch {
  const input = inputFromValues(values, systemZone, original);
  const patch: JobPatch = {};
  const changed = (key: Exclude<keyof EditorJobInput, "triggers">) => canonical(input[key]) !== canonical(original[key]);
  if (changed("name")) patch.name = input.name;
  if (canonical(input.triggers) !== canonical(original.triggers)) patch.triggers = input.triggers;
  if (changed("command")) patch.command = input.command;
  if (changed("cwd")) patch.cwd = input.cwd ?? null;
  if (changed("env")) patch.env = input.env;
  if (changed("timeoutSeconds")) patch.timeoutSeconds = input.timeoutSeconds ?? null;
  if (changed("overlap")) patch.overlap = input.overlap;
  if (changed("catchUp")) patch.catchUp = input.catchUp;
  if (changed("retries")) patch.retries = input.retries;
  if (changed("notify")) patch.notify = input.notify ?? null;
  if (changed("alerts")) patch.alerts = input.alerts ?? null;
  if (changed("channels")) patch.channels = input.channels ?? null;
  if (changed("pingUrl")) patch.pingUrl = input.pingUrl ?? null;
  // A job stored before tags existed has none: the same as an empty list.
  if (canonical(input.tags ?? []) !== canonical(original.tags ?? [])) patch.tags = input.tags ?? [];
  if (changed("conditions")) patch.conditions = input.conditions ?? null;
  if (changed("whenUnmet")) patch.whenUnmet = input.whenUnmet ?? null;
  if (changed("waitUpToSeconds")) patch.waitUpToSeconds = input.waitUpToSeconds ?? null;
  return patch;
}

/** `hook, desktop` → ["hook", "desktop"]. */
function channelList(text: string): string[] {
  return text
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

/** JSON with sorted keys and without a trigger's `version`, to compare values by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) => {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      const isTrigger = "type" in inner;
      const entries = Object.entries(inner).filter(([name]) => !(isTrigger && name === "version"));
      return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}

function envRecord(rows: EnvRow[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const row of rows) if (row.key) env[row.key] = row.value;
  return env;
}

/** The job-wide values a single input edits (not the trigger rows, the environment or the skip dates). */
export type SimpleValueKey = Exclude<keyof EditorValues, "triggers" | "env" | "skipDates">;

/** The fields each input answers for; an edit to the input clears the engine's verdict on them. */
export const FIELDS_OF_VALUE: Record<SimpleValueKey, readonly string[]> = {
  name: ["name"],
  command: ["command"],
  cwd: ["cwd"],
  timeout: ["timeoutSeconds"],
  overlap: ["overlap"],
  catchUp: ["catchUp"],
  retries: ["retries.count", "retries"],
  retryDelay: ["retries.delaySeconds", "retries"],
  notify: ["notify"],
  alertAfter: ["alerts.afterFailures", "alerts"],
  alertRecovered: ["alerts.recovered", "alerts"],
  expectSuccessWithin: ["alerts.expectSuccessWithin", "alerts"],
  alertSlowerThan: ["alerts.slowerThan", "alerts"],
  channels: ["channels"],
  pingUrl: ["pingUrl"],
  tags: ["tags"],
  betweenFrom: ["conditions.between", "conditions"],
  betweenTo: ["conditions.between", "conditions"],
  days: ["conditions.days", "conditions"],
  acPower: ["conditions.acPower", "conditions"],
  online: ["conditions.online", "conditions"],
  whenUnmet: ["whenUnmet", "waitUpToSeconds"],
  waitUpTo: ["waitUpToSeconds"],
};

/**
 * A trigger's fields (after `triggers[i].`) each row value answers for; "" is the trigger
 * itself (`triggers[1]: is the same trigger as triggers[0]`).
 */
export const TRIGGER_FIELDS_OF_VALUE: Record<TriggerValueKey, readonly string[]> = {
  type: ["", "type", "expression", "everySeconds", "start", "end", "jitterSeconds", "at", "timezone", "delaySeconds", "path", "recursive", "debounceSeconds", "job", "on"],
  cronExpression: ["", "expression"],
  every: ["", "everySeconds", "jitterSeconds", "end"],
  intervalStart: ["", "start", "end"],
  intervalEnd: ["", "end"],
  jitter: ["", "jitterSeconds"],
  runAt: ["", "at"],
  timezone: ["timezone", "at"],
  delay: ["", "delaySeconds"],
  watchPath: ["", "path"],
  watchRecursive: ["", "recursive"],
  watchDebounce: ["", "debounceSeconds"],
  afterJob: ["", "job"],
  afterOn: ["", "on"],
};

/** The row value each trigger field (after `triggers[i].`) is shown next to, for each kind that shows it. */
const TRIGGER_VALUE_OF_FIELD: Readonly<Record<string, TriggerValueKey>> = {
  expression: "cronExpression",
  timezone: "timezone",
  everySeconds: "every",
  start: "intervalStart",
  end: "intervalEnd",
  jitterSeconds: "jitter",
  at: "runAt",
  delaySeconds: "delay",
  path: "watchPath",
  recursive: "watchRecursive",
  debounceSeconds: "watchDebounce",
  job: "afterJob",
  on: "afterOn",
};

/** The fields (after `triggers[i].`) a row of each kind shows an input for. */
const SHOWN_TRIGGER_FIELDS: Record<ScheduleType, readonly string[]> = {
  cron: ["expression", "timezone"],
  interval: ["everySeconds", "start", "end", "jitterSeconds"],
  once: ["at", "timezone"],
  startup: ["delaySeconds"],
  wake: ["delaySeconds"],
  watch: ["path", "recursive", "debounceSeconds"],
  after: ["job", "on"],
};

/** The row value that shows a trigger field (`expression`) in a row of `type`, or null when the row has no input for it. */
export function triggerValueOf(type: ScheduleType, field: string): TriggerValueKey | null {
  return SHOWN_TRIGGER_FIELDS[type].includes(field) ? (TRIGGER_VALUE_OF_FIELD[field] ?? null) : null;
}

/** The input each job-wide field name (as the service names it) is shown next to. */
export const VALUE_OF_FIELD: Readonly<Record<string, keyof EditorValues>> = {
  name: "name",
  command: "command",
  cwd: "cwd",
  timeoutSeconds: "timeout",
  "retries.count": "retries",
  "retries.delaySeconds": "retryDelay",
  overlap: "overlap",
  catchUp: "catchUp",
  notify: "notify",
  "alerts.afterFailures": "alertAfter",
  "alerts.recovered": "alertRecovered",
  "alerts.expectSuccessWithin": "expectSuccessWithin",
  "alerts.slowerThan": "alertSlowerThan",
  channels: "channels",
  pingUrl: "pingUrl",
  tags: "tags",
  "conditions.between": "betweenFrom",
  "conditions.days": "days",
  "conditions.skipDates": "skipDates",
  "conditions.acPower": "acPower",
  "conditions.online": "online",
  whenUnmet: "whenUnmet",
  waitUpToSeconds: "waitUpTo",
};

/** Human names of the fields, for the summary next to Save and the errors' subjects. */
export const FIELD_LABELS: Record<string, string> = {
  triggers: "Triggers",
  name: "Name",
  command: "Command",
  cwd: "Working directory",
  timeoutSeconds: "Timeout",
  "retries.count": "Retries",
  "retries.delaySeconds": "Retry delay",
  overlap: "Overlap",
  catchUp: "Catch-up",
  notify: "Notify",
  alerts: "Alerts",
  "alerts.afterFailures": "Alert after failures in a row",
  "alerts.recovered": "Alert when it recovers",
  "alerts.expectSuccessWithin": "Expect a success within",
  "alerts.slowerThan": "Alert when a run takes longer than",
  channels: "Channels",
  pingUrl: "Ping URL",
  tags: "Tags",
  conditions: "Conditions",
  "conditions.between": "Between",
  "conditions.days": "Days",
  "conditions.skipDates": "Skip dates",
  "conditions.acPower": "On AC power",
  "conditions.online": "Online",
  whenUnmet: "If unmet",
  waitUpToSeconds: "Wait up to",
};

/** Human names of a trigger's fields (after `triggers[i].`), as its row labels them. */
export const TRIGGER_FIELD_LABELS: Record<string, string> = {
  type: "Kind",
  expression: "Cron expression",
  timezone: "Time zone",
  everySeconds: "Every",
  start: "Start",
  end: "End",
  jitterSeconds: "Jitter",
  at: "Run at",
  delaySeconds: "Delay",
  path: "Path",
  recursive: "Include subfolders",
  debounceSeconds: "Wait for quiet",
  job: "After job",
  on: "When it",
};

/**
 * A field's label, including environment rows (`env.HOME` → "Variable HOME") and triggers:
 * with several, each is named by its place ("Trigger 2: Cron expression"); with one, its
 * field alone ("Cron expression").
 */
export function fieldLabel(field: string, triggerCount = 1): string {
  if (field.startsWith("env.")) return `Variable ${field.slice(4) || "(no name)"}`;
  const skip = /^conditions\.skipDates\.(\d+)$/.exec(field);
  if (skip) return `Skip date ${Number(skip[1]) + 1}`;
  const trigger = parseTriggerField(field);
  if (trigger) {
    const name = `Trigger ${trigger.index + 1}`;
    if (!trigger.field) return name;
    const label = TRIGGER_FIELD_LABELS[trigger.field] ?? trigger.field;
    return triggerCount > 1 ? `${name}: ${label}` : label;
  }
  return FIELD_LABELS[field] ?? field;
}

/** A field's problem as the form shows it, naming its subject: "Run at is in the past", "Trigger 2: Cron expression must not be empty". */
export function fieldProblemText(field: string, message: string, triggerCount = 1): string {
  return fieldProblem(fieldLabel(field, triggerCount), message);
}
