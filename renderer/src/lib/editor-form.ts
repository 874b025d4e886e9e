/**
 * The job editor's form as plain data: what each field holds (text as typed), how a job
 * fills it, how it becomes a JobInput / JobPatch, and the checks that need no engine.
 * Error keys are the field names the service uses (`trigger.expression`, `env.KEY`, …) so
 * the engine's ValidationError issues land on the same inputs.
 */
import { httpUrlProblem } from "../../../electron/shared/channels.js";
import { formatDuration, parseDuration } from "../../../electron/shared/duration.js";
import type { AlertRules, DateTriggerSpec, JobPatch, SingleTriggerJobInput, JobView, TriggerSpecInput } from "../../../electron/shared/schemas.js";
import { MAX_ALERT_AFTER_FAILURES, SLOW_AUTO } from "../../../electron/shared/alert-rules.js";
import {
  DEFAULT_CATCH_UP_POLICY,
  DEFAULT_OVERLAP_POLICY,
  type CatchUpPolicy,
  type NotifyPolicy,
  type OverlapPolicy,
} from "../../../electron/shared/policies.js";
import { isoToWallTime, resolveTimeZone, wallTimeToIso } from "../../../electron/shared/civil-time.js";
import { fieldProblem, formatClockTime } from "../../../electron/shared/wording.js";

/** The three kinds of schedule, as the radio group names them. */
export type ScheduleType = "cron" | "interval" | "once";

/** One row of the environment variables table; `id` keeps rows stable while keys change. */
export interface EnvRow {
  id: number;
  key: string;
  value: string;
}

/** Every field of the form, as the user typed it. */
export interface EditorValues {
  name: string;
  scheduleType: ScheduleType;
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
}

/** Field name (as the service names it) → what is wrong with it. */
export type FieldErrors = Record<string, string>;

let nextEnvRowId = 1;

/** A new, empty environment row. */
export function emptyEnvRow(): EnvRow {
  return { id: nextEnvRowId++, key: "", value: "" };
}

/** The form for a new job: daily cron in the system zone, the contract's default policies. */
export function blankValues(systemZone: string): EditorValues {
  return {
    name: "",
    scheduleType: "cron",
    cronExpression: "",
    every: "1h",
    intervalStart: "",
    intervalEnd: "",
    jitter: "",
    runAt: "",
    timezone: systemZone,
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
  };
}

/** The form filled from an existing job (for Edit and Duplicate). */
export function valuesFromJob(job: JobView, systemZone: string): EditorValues {
  const values = blankValues(systemZone);
  // The editor shows one trigger (the first) until it lists them (issue 15, the UI's part).
  const trigger = job.triggers[0];
  switch (trigger?.type) {
    case undefined:
    case "startup":
    case "wake":
    case "watch":
    case "after":
      break;
    case "cron":
      values.cronExpression = trigger.expression;
      values.timezone = trigger.timezone ?? systemZone;
      break;
    case "interval":
      values.scheduleType = "interval";
      values.every = formatDuration(trigger.everySeconds);
      values.intervalStart = trigger.start ? isoToWallTime(trigger.start, systemZone) : "";
      values.intervalEnd = trigger.end ? isoToWallTime(trigger.end, systemZone) : "";
      values.jitter = trigger.jitterSeconds ? formatDuration(trigger.jitterSeconds) : "";
      break;
    case "date":
      values.scheduleType = "once";
      values.runAt = isoToWallTime(trigger.at, systemZone);
      break;
    default:
      return unhandledKind(trigger);
  }
  return {
    ...values,
    name: job.name,
    command: job.command,
    cwd: job.cwd ?? "",
    env: Object.entries(job.env).map(([key, value]) => ({ id: nextEnvRowId++, key, value })),
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
  };
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

  Object.assign(errors, scheduleErrors(values, nowMs, editing));

  if (!values.command.trim()) errors.command = "must not be empty";
  const pingProblem = values.pingUrl.trim() ? httpUrlProblem(values.pingUrl.trim()) : null;
  if (pingProblem) errors.pingUrl = pingProblem;

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
  return errors;
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

/** The schedule fields' problems, for the form's schedule type. */
function scheduleErrors(values: EditorValues, nowMs: number, editing: JobView | null): FieldErrors {
  const { scheduleType } = values;
  const zone = resolveTimeZone(values.timezone);
  const unknownZone = `unknown time zone "${values.timezone.trim()}"`;
  switch (scheduleType) {
    case "cron": {
      const errors: FieldErrors = {};
      if (!values.cronExpression.trim()) errors["trigger.expression"] = "must not be empty";
      if (!zone) errors["trigger.timezone"] = unknownZone;
      return errors;
    }
    case "interval": {
      // What the engine alone can judge (end before start, jitter as long as the period)
      // comes back from its preview and lands on the same fields.
      const errors: FieldErrors = {};
      const problem = durationProblem(values.every);
      if (problem) errors["trigger.everySeconds"] = problem;
      // Whether a wall time is a real date and time does not depend on the zone.
      if (values.intervalStart && !wallTimeToIso(values.intervalStart, "UTC")) errors["trigger.start"] = "must be a date and time";
      if (values.intervalEnd && !wallTimeToIso(values.intervalEnd, "UTC")) errors["trigger.end"] = "must be a date and time";
      if (!isNoJitter(values.jitter)) {
        const jitterProblem = durationProblem(values.jitter);
        if (jitterProblem) errors["trigger.jitterSeconds"] = jitterProblem;
      }
      return errors;
    }
    case "once": {
      if (!values.runAt) return { "trigger.at": "is required" };
      if (!zone) return { "trigger.timezone": unknownZone };
      const at = wallTimeToIso(values.runAt, zone);
      if (!at) return { "trigger.at": "must be a date and time" };
      if (unchangedDateTrigger(values, editing)) return {};
      return Date.parse(at) <= nowMs ? { "trigger.at": "is in the past" } : {};
    }
    default:
      return unhandledKind(scheduleType);
  }
}

/**
 * The one-off trigger of `original` when the form still shows its time (to the minute, in the
 * form's zone), else null. Such a date is the job's own: it is kept exactly (seconds
 * included) and not refused for having passed, so a finished job edited without a new date
 * stays finished, and a later date re-arms it.
 */
function unchangedDateTrigger(values: EditorValues, original: JobView | null): DateTriggerSpec | null {
  const trigger = original?.triggers[0];
  if (values.scheduleType !== "once" || trigger?.type !== "date") return null;
  return values.runAt === isoToWallTime(trigger.at, values.timezone) ? trigger : null;
}

/**
 * The zone the form's times are typed and previewed in: the zone field where the schedule
 * type has one, else undefined (this computer's zone, as an interval runs).
 */
export function formZone(values: Pick<EditorValues, "scheduleType" | "timezone">): string | undefined {
  const { scheduleType } = values;
  switch (scheduleType) {
    case "cron":
    case "once":
      return resolveTimeZone(values.timezone) ?? values.timezone;
    case "interval":
      return undefined;
    default:
      return unhandledKind(scheduleType);
  }
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

/** An empty jitter, or `0`, means none. */
function isNoJitter(text: string): boolean {
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
 * The trigger the form describes, or null while its fields are not valid yet. Editing keeps
 * what the form does not show: an interval's anchor, while its start stays (a new start
 * moves the rhythm there, as for a new job). A zone typed as a city is its zone's name.
 * Call only when `localErrors` has nothing for the trigger's fields.
 */
export function triggerFromValues(values: EditorValues, systemZone: string, original: JobView | null): TriggerSpecInput | null {
  try {
    const { scheduleType } = values;
    switch (scheduleType) {
      case "cron": {
        const originalTrigger = original?.triggers[0];
        const originalZone = originalTrigger?.type === "cron" ? originalTrigger.timezone : undefined;
        const chosen = resolveTimeZone(values.timezone) ?? values.timezone;
        // The system zone stays implicit (the job follows the computer) unless it was chosen.
        const timezone = chosen === systemZone && originalZone === undefined ? undefined : chosen;
        return { type: "cron", expression: values.cronExpression.trim(), ...(timezone ? { timezone } : {}) };
      }
      case "interval": {
        const originalTrigger = original?.triggers[0];
        const kept = originalTrigger?.type === "interval" ? originalTrigger : null;
        // An interval's times are in the zone it runs in: this computer's.
        const start = values.intervalStart ? wallTimeToIso(values.intervalStart, systemZone) : undefined;
        const end = values.intervalEnd ? wallTimeToIso(values.intervalEnd, systemZone) : undefined;
        if (start === null || end === null) return null;
        const sameStart = kept !== null && instantOf(kept.start) === instantOf(start);
        const anchor = sameStart ? kept.anchor : undefined;
        // The same instant keeps its stored spelling, so an untouched field is not a change.
        const storedEnd = kept !== null && instantOf(kept.end) === instantOf(end) ? kept.end : end;
        const jitterSeconds = isNoJitter(values.jitter) ? undefined : parseDuration(values.jitter);
        return {
          type: "interval",
          everySeconds: parseDuration(values.every),
          ...(anchor ? { anchor } : {}),
          ...(start ? { start: sameStart ? kept.start : start } : {}),
          ...(storedEnd ? { end: storedEnd } : {}),
          ...(jitterSeconds ? { jitterSeconds } : {}),
        };
      }
      case "once": {
        const kept = unchangedDateTrigger(values, original);
        if (kept) return kept;
        const at = wallTimeToIso(values.runAt, resolveTimeZone(values.timezone) ?? values.timezone);
        return at ? { type: "date", at } : null;
      }
      default:
        return unhandledKind(scheduleType);
    }
  } catch {
    return null;
  }
}

/** An optional instant as epoch ms, to compare spellings of one instant; null when absent. */
function instantOf(iso: string | undefined): number | null {
  return iso === undefined ? null : Date.parse(iso);
}

/** The JobInput for Save on a new job. Call only when the form has no errors. */
export function inputFromValues(values: EditorValues, systemZone: string, original: JobView | null): SingleTriggerJobInput {
  const trigger = triggerFromValues(values, systemZone, original);
  if (!trigger) throw new Error("The schedule is not complete");
  const input: SingleTriggerJobInput = {
    name: values.name.trim(),
    trigger,
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
  const changed = (key: Exclude<keyof SingleTriggerJobInput, "trigger" | "triggers">) => canonical(input[key]) !== canonical(original[key]);
  if (changed("name")) patch.name = input.name;
  if (canonical([input.trigger]) !== canonical(original.triggers)) patch.trigger = input.trigger;
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

/** The fields each input answers for; an edit to the input clears the engine's verdict on them. */
export const FIELDS_OF_VALUE: Record<Exclude<keyof EditorValues, "env">, readonly string[]> = {
  name: ["name"],
  scheduleType: [
    "trigger",
    "trigger.type",
    "trigger.expression",
    "trigger.everySeconds",
    "trigger.start",
    "trigger.end",
    "trigger.jitterSeconds",
    "trigger.at",
    "trigger.timezone",
  ],
  cronExpression: ["trigger", "trigger.expression"],
  every: ["trigger", "trigger.everySeconds", "trigger.jitterSeconds", "trigger.end"],
  intervalStart: ["trigger", "trigger.start", "trigger.end"],
  intervalEnd: ["trigger", "trigger.end"],
  jitter: ["trigger", "trigger.jitterSeconds"],
  runAt: ["trigger", "trigger.at"],
  timezone: ["trigger.timezone", "trigger.at"],
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
};

/** The input each field name (as the service names it) is shown next to. */
export const VALUE_OF_FIELD: Readonly<Record<string, keyof EditorValues>> = {
  name: "name",
  "trigger.expression": "cronExpression",
  "trigger.timezone": "timezone",
  "trigger.everySeconds": "every",
  "trigger.start": "intervalStart",
  "trigger.end": "intervalEnd",
  "trigger.jitterSeconds": "jitter",
  "trigger.at": "runAt",
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
};

/** Human names of the fields, for the summary next to Save and the errors' subjects. */
export const FIELD_LABELS: Record<string, string> = {
  trigger: "Schedule",
  name: "Name",
  "trigger.expression": "Cron expression",
  "trigger.timezone": "Time zone",
  "trigger.everySeconds": "Every",
  "trigger.start": "Start",
  "trigger.end": "End",
  "trigger.jitterSeconds": "Jitter",
  "trigger.at": "Run at",
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
};

/** A field's label, including environment rows (`env.HOME` → "Variable HOME"). */
export function fieldLabel(field: string): string {
  if (field.startsWith("env.")) return `Variable ${field.slice(4) || "(no name)"}`;
  return FIELD_LABELS[field] ?? field;
}

/** A field's problem as the form shows it, naming its subject: "Run at is in the past". */
export function fieldProblemText(field: string, message: string): string {
  return fieldProblem(fieldLabel(field), message);
}
