/**
 * The job editor's form as plain data: what each field holds (text as typed), how a job
 * fills it, how it becomes a JobInput / JobPatch, and the checks that need no engine.
 * Error keys are the field names the service uses (`trigger.expression`, `env.KEY`, …) so
 * the engine's ValidationError issues land on the same inputs.
 */
import { formatDuration, parseDuration } from "../../../electron/shared/duration.js";
import type { CatchUpPolicy, JobInput, JobPatch, JobView, NotifyPolicy, OverlapPolicy, TriggerSpecInput } from "../../../electron/shared/schemas.js";
import { isoToWallTime, isValidTimeZone, wallTimeToIso } from "./zoned-time.js";

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
  /** `datetime-local` wall time, read in `timezone`. */
  runAt: string;
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
  notify: NotifyPolicy;
}

/** Field name (as the service names it) → what is wrong with it. */
export type FieldErrors = Record<string, string>;

let nextEnvRowId = 1;

/** A new, empty environment row. */
export function emptyEnvRow(): EnvRow {
  return { id: nextEnvRowId++, key: "", value: "" };
}

/** The form for a new job: daily cron in the system zone, desktop-friendly policies. */
export function blankValues(systemZone: string): EditorValues {
  return {
    name: "",
    scheduleType: "cron",
    cronExpression: "",
    every: "1h",
    runAt: "",
    timezone: systemZone,
    command: "",
    cwd: "",
    env: [],
    timeout: "",
    overlap: "skip",
    catchUp: "once",
    retries: "0",
    retryDelay: "1m",
    notify: "failure",
  };
}

/** The form filled from an existing job (for Edit and Duplicate). */
export function valuesFromJob(job: JobView, systemZone: string): EditorValues {
  const values = blankValues(systemZone);
  const { trigger } = job;
  if (trigger.type === "cron") {
    values.cronExpression = trigger.expression;
    values.timezone = trigger.timezone ?? systemZone;
  } else if (trigger.type === "interval") {
    values.scheduleType = "interval";
    values.every = formatDuration(trigger.everySeconds);
  } else {
    values.scheduleType = "once";
    values.runAt = isoToWallTime(trigger.at, systemZone);
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
    notify: job.notify,
  };
}

/** Every problem the form has that can be seen without asking the engine. */
export function localErrors(values: EditorValues, nowMs: number): FieldErrors {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = "must not be empty";
  else if (name.length > 200) errors.name = "must be at most 200 characters";

  if (values.scheduleType === "cron") {
    if (!values.cronExpression.trim()) errors["trigger.expression"] = "must not be empty";
    if (!isValidTimeZone(values.timezone)) errors["trigger.timezone"] = `unknown time zone "${values.timezone}"`;
  } else if (values.scheduleType === "interval") {
    const problem = durationProblem(values.every);
    if (problem) errors["trigger.everySeconds"] = problem;
  } else if (!values.runAt) {
    errors["trigger.at"] = "is required";
  } else if (!isValidTimeZone(values.timezone)) {
    errors["trigger.timezone"] = `unknown time zone "${values.timezone}"`;
  } else {
    const at = wallTimeToIso(values.runAt, values.timezone);
    if (!at) errors["trigger.at"] = "must be a date and time";
    else if (Date.parse(at) <= nowMs) errors["trigger.at"] = "is in the past";
  }

  if (!values.command.trim()) errors.command = "must not be empty";

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
  return errors;
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
 * what the form does not show (an interval's anchor, start, end and jitter).
 * Call only when `localErrors` has nothing for the trigger's fields.
 */
export function triggerFromValues(values: EditorValues, systemZone: string, original: JobView | null): TriggerSpecInput | null {
  try {
    if (values.scheduleType === "cron") {
      const originalZone = original?.trigger.type === "cron" ? original.trigger.timezone : undefined;
      // The system zone stays implicit (the job follows the computer) unless it was chosen.
      const timezone = values.timezone === systemZone && originalZone === undefined ? undefined : values.timezone;
      return { type: "cron", expression: values.cronExpression.trim(), ...(timezone ? { timezone } : {}) };
    }
    if (values.scheduleType === "interval") {
      const kept = original?.trigger.type === "interval" ? original.trigger : null;
      const { anchor, start, end, jitterSeconds } = kept ?? {};
      return {
        type: "interval",
        everySeconds: parseDuration(values.every),
        ...(anchor ? { anchor } : {}),
        ...(start ? { start } : {}),
        ...(end ? { end } : {}),
        ...(jitterSeconds ? { jitterSeconds } : {}),
      };
    }
    const at = wallTimeToIso(values.runAt, values.timezone);
    return at ? { type: "date", at } : null;
  } catch {
    return null;
  }
}

/** The JobInput for Save on a new job. Call only when the form has no errors. */
export function inputFromValues(values: EditorValues, systemZone: string, original: JobView | null): JobInput {
  const trigger = triggerFromValues(values, systemZone, original);
  if (!trigger) throw new Error("The schedule is not complete");
  const input: JobInput = {
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
    notify: values.notify,
  };
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
  const changed = (key: keyof JobInput) => canonical(input[key]) !== canonical(original[key]);
  if (changed("name")) patch.name = input.name;
  if (changed("trigger")) patch.trigger = input.trigger;
  if (changed("command")) patch.command = input.command;
  if (changed("cwd")) patch.cwd = input.cwd ?? null;
  if (changed("env")) patch.env = input.env;
  if (changed("timeoutSeconds")) patch.timeoutSeconds = input.timeoutSeconds ?? null;
  if (changed("overlap")) patch.overlap = input.overlap;
  if (changed("catchUp")) patch.catchUp = input.catchUp;
  if (changed("retries")) patch.retries = input.retries;
  if (changed("notify")) patch.notify = input.notify;
  return patch;
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
  scheduleType: ["trigger", "trigger.type", "trigger.expression", "trigger.everySeconds", "trigger.at", "trigger.timezone"],
  cronExpression: ["trigger", "trigger.expression"],
  every: ["trigger", "trigger.everySeconds"],
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
};

/** The input each field name (as the service names it) is shown next to. */
export const VALUE_OF_FIELD: Readonly<Record<string, keyof EditorValues>> = {
  name: "name",
  "trigger.expression": "cronExpression",
  "trigger.timezone": "timezone",
  "trigger.everySeconds": "every",
  "trigger.at": "runAt",
  command: "command",
  cwd: "cwd",
  timeoutSeconds: "timeout",
  "retries.count": "retries",
  "retries.delaySeconds": "retryDelay",
  overlap: "overlap",
  catchUp: "catchUp",
  notify: "notify",
};

/** Human names of the fields, for the summary next to Save. */
export const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  "trigger.expression": "Cron expression",
  "trigger.timezone": "Time zone",
  "trigger.everySeconds": "Every",
  "trigger.at": "Run at",
  command: "Command",
  cwd: "Working directory",
  timeoutSeconds: "Timeout",
  "retries.count": "Retries",
  "retries.delaySeconds": "Retry delay",
  overlap: "Overlap",
  catchUp: "Catch-up",
  notify: "Notify",
};

/** A field's label, including environment rows (`env.HOME` → "Variable HOME"). */
export function fieldLabel(field: string): string {
  if (field.startsWith("env.")) return `Variable ${field.slice(4) || "(no name)"}`;
  return FIELD_LABELS[field] ?? field;
}
