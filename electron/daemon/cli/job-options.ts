/**
 * Turns `add` / `edit` / `next` options into the contract's JobInput, JobPatch and
 * TriggerSpec, and maps the service's field names back to option names, so every problem is
 * reported as `--option: what is wrong` (one line each, all of them at once).
 */
import path from "node:path";
import { CliInputError, type FieldIssue } from "../../shared/errors.js";
import { parseDuration } from "../../shared/duration.js";
import type { AlertRules, IntervalTriggerSpec, JobInput, JobPatch, JobView, TriggerSpec } from "../../shared/schemas.js";
import { SLOW_AUTO } from "../../shared/alert-rules.js";
import { CATCH_UP_POLICIES, NOTIFY_POLICIES, OVERLAP_POLICIES } from "../../shared/policies.js";
import { isValidTimeZone, parseDateTime, systemTimeZone } from "../../shared/civil-time.js";
import { triggerNoun, triggerWithZone, type TriggerKind } from "../../shared/trigger-kinds.js";
import { AFTER_OUTCOMES, DEFAULT_AFTER_OUTCOME, DEFAULT_WATCH_DEBOUNCE_SECONDS, type AfterOutcome } from "../../shared/trigger-types.js";
import { readClearFields, type ClearableField } from "./clear-fields.js";
import { conditionInput, conditionOption, conditionPatch, readConditionOptions, type ConditionOptionValues } from "./condition-options.js";

export { CliInputError };

/** The option that gives each trigger kind (a new kind fails to compile until it has one). */
const TRIGGER_OPTIONS: Readonly<Record<TriggerKind, string>> = { cron: "--cron", interval: "--every", date: "--at", startup: "--on", wake: "--on", watch: "--watch", after: "--after" };

/** Trigger options shared by add, edit and next. */
export interface TriggerOptionValues {
  cron?: string;
  every?: string;
  at?: string;
  tz?: string;
  /** An interval's window and jitter (only with --every, or on edit of an interval job). */
  start?: string;
  end?: string;
  jitter?: string;
}

/**
 * The trigger options of add and edit: every kind repeatable (a job has any number of
 * triggers), `--manual` for none.
 */
export interface ScheduleOptionValues extends Omit<TriggerOptionValues, "cron" | "every" | "at"> {
  cron?: string[];
  every?: string[];
  at?: string[];
  /** `--on startup|wake` */
  on?: string[];
  /** `--watch PATH` */
  watch?: string[];
  /** `--after JOB[:success|failure|always]` */
  after?: string[];
  manual?: boolean;
}

/** Options of add and edit (commander's camelCase names). */
export interface JobOptionValues extends ScheduleOptionValues, ConditionOptionValues {
  name?: string;
  timeout?: string;
  cwd?: string;
  shell?: string;
  env?: string[];
  overlap?: string;
  catchUp?: string;
  retries?: string;
  retryDelay?: string;
  notify?: string;
  paused?: boolean;
  /** Alert rules (issue 16): `--alert-after N`, `--alert-recovered`, `--expect-success-within D`, `--alert-slower-than D|auto`. */
  alertAfter?: string;
  alertRecovered?: boolean;
  expectSuccessWithin?: string;
  alertSlowerThan?: string;
  /** `edit --clear FIELD` (repeatable): optional fields to empty, before the other options apply. */
  clear?: string[];
  /** `--channel NAME` (repeatable): where outcomes and alerts go (default: the desktop). */
  channel?: string[];
  pingUrl?: string;
  /** `--tag NAME` (repeatable): the job's tags; on edit they replace the job's (issue 17). */
  tag?: string[];
}

/** Collects problems so the user sees all of them in one go. */
class Problems {
  readonly lines: string[] = [];
  add(option: string, message: string): void {
    this.lines.push(`${option}: ${message}`);
  }
  throwIfAny(): void {
    if (this.lines.length) throw new CliInputError(this.lines);
  }
}

/**
 * `sundial next`'s one schedule, or undefined when none of --cron/--every/--at is given.
 * `--at` without an offset is wall time in `--tz` (default: the system zone).
 */
function triggerFromOptions(values: TriggerOptionValues, problems: Problems, now: Date): TriggerSpec | undefined {
  const given = (["cron", "every", "at"] as const).filter((key) => values[key] !== undefined);
  if (given.length > 1) {
    problems.add(`--${given[0]}`, `cannot be combined with ${given.slice(1).map((key) => `--${key}`).join(", ")}; give one schedule`);
    return undefined;
  }
  const zoneValid = values.tz === undefined || isValidTimeZone(values.tz);
  if (!zoneValid) problems.add("--tz", `unknown time zone "${values.tz}"`);

  if (values.cron !== undefined || values.at !== undefined) windowNotForKind(values, given[0] === "cron" ? "--cron" : "--at", problems);

  if (values.cron !== undefined) {
    if (values.cron.trim() === "") problems.add("--cron", "must not be empty");
    return { type: "cron", version: 1, expression: values.cron, ...(values.tz !== undefined ? { timezone: values.tz } : {}) };
  }
  if (values.every !== undefined) {
    if (values.tz !== undefined && values.start === undefined && values.end === undefined) {
      problems.add("--tz", "applies to --cron and --at only, and to an interval's --start/--end (an interval counts real time)");
    }
    const everySeconds = duration("--every", values.every, problems);
    const window = intervalWindow(values, zoneValid, problems);
    return everySeconds === undefined ? undefined : { type: "interval", version: 1, everySeconds, ...definedOnly(window) };
  }
  if (values.at !== undefined) return dateFromOption(values.at, values.tz, zoneValid, problems, now);
  return undefined;
}

/** The options that give a trigger, in the order a job's list is built from them. */
const TRIGGER_LIST_OPTIONS = ["cron", "every", "at", "on", "watch", "after"] as const;
const EVENT_NAMES = ["startup", "wake"] as const;
const NO_TRIGGER = "give --cron EXPR, --every DURATION, --at DATETIME, --on startup|wake, --watch PATH or --after JOB (each repeatable), or --manual for a job that runs only when asked";

/**
 * The triggers add/edit options describe (undefined when no trigger option is given): each
 * --cron, --every and --at is a time trigger, `--on startup|wake`, `--watch PATH` and
 * `--after JOB[:success|failure|always]` event triggers, `--manual` none at all.
 * An interval's --start/--end/--jitter go with the one --every.
 */
function triggersFromOptions(values: ScheduleOptionValues, problems: Problems, now: Date): TriggerSpec[] | undefined {
  const given = TRIGGER_LIST_OPTIONS.filter((key) => (values[key]?.length ?? 0) > 0);
  if (given.length === 0 && !values.manual) return undefined;
  if (values.manual) {
    if (given.length > 0) problems.add("--manual", `cannot be combined with ${given.map((key) => `--${key}`).join(", ")} (a manual job has no trigger)`);
    if (windowOptionsGiven(values)) windowNotForKind(values, "--manual", problems);
    if (values.tz !== undefined) problems.add("--tz", "applies to --cron and --at (and an interval's --start/--end), not to --manual");
    return [];
  }
  const crons = values.cron ?? [];
  const everys = values.every ?? [];
  const ats = values.at ?? [];
  const zoneValid = values.tz === undefined || isValidTimeZone(values.tz);
  if (!zoneValid) problems.add("--tz", `unknown time zone "${values.tz}"`);
  if (values.tz !== undefined && crons.length === 0 && ats.length === 0 && values.start === undefined && values.end === undefined) {
    problems.add("--tz", "applies to --cron and --at only, and to an interval's --start/--end (an interval counts real time)");
  }
  if (windowOptionsGiven(values) && everys.length !== 1) {
    if (everys.length === 0) windowNotForKind(values, given.length > 0 ? `--${given[0]}` : null, problems);
    else for (const key of ["start", "end", "jitter"] as const) if (values[key] !== undefined) problems.add(`--${key}`, `applies to one --every; this job has ${everys.length} (give each window its own job)`);
  }

  const triggers: TriggerSpec[] = [];
  for (const expression of crons) {
    if (expression.trim() === "") problems.add("--cron", "must not be empty");
    triggers.push({ type: "cron", version: 1, expression, ...(values.tz !== undefined ? { timezone: values.tz } : {}) });
  }
  for (const every of everys) {
    const everySeconds = duration("--every", every, problems);
    const window = everys.length === 1 ? intervalWindow(values, zoneValid, problems) : {};
    if (everySeconds !== undefined) triggers.push({ type: "interval", version: 1, everySeconds, ...definedOnly(window) });
  }
  for (const text of ats) {
    const at = dateFromOption(text, values.tz, zoneValid, problems, now);
    if (at) triggers.push(at);
  }
  const events = new Set<string>();
  for (const name of values.on ?? []) {
    if (!(EVENT_NAMES as readonly string[]).includes(name)) problems.add("--on", `"${name}" is not one of ${EVENT_NAMES.join(", ")}`);
    else if (events.has(name)) problems.add("--on", `"${name}" is given twice`);
    else {
      events.add(name);
      triggers.push({ type: name as (typeof EVENT_NAMES)[number], version: 1 });
    }
  }
  for (const watched of values.watch ?? []) {
    if (watched.trim() === "") problems.add("--watch", "must not be empty (give a file or folder)");
    // The daemon has its own working folder: a relative path means relative to the user's.
    else triggers.push({ type: "watch", version: 1, path: path.resolve(watched), debounceSeconds: DEFAULT_WATCH_DEBOUNCE_SECONDS });
  }
  for (const text of values.after ?? []) {
    const after = afterFromOption(text, problems);
    if (after) triggers.push(after);
  }
  return triggers;
}

/** `--after JOB[:success|failure|always]` (default success); a name may itself hold a colon. */
function afterFromOption(text: string, problems: Problems): TriggerSpec | undefined {
  const colon = text.lastIndexOf(":");
  const suffix = colon >= 0 ? text.slice(colon + 1) : "";
  const outcome = (AFTER_OUTCOMES as readonly string[]).includes(suffix) ? (suffix as AfterOutcome) : null;
  const job = (outcome ? text.slice(0, colon) : text).trim();
  if (job === "") {
    problems.add("--after", `must name a job (JOB or JOB:${AFTER_OUTCOMES.join("|")})`);
    return undefined;
  }
  return { type: "after", version: 1, job, on: outcome ?? DEFAULT_AFTER_OUTCOME };
}

/** `--at`: without an offset, wall time in `--tz` (default: the system zone); never in the past. */
function dateFromOption(text: string, tz: string | undefined, zoneValid: boolean, problems: Problems, now: Date): TriggerSpec | undefined {
  if (!zoneValid) return undefined;
  try {
    const at = new Date(parseDateTime(text, tz ?? systemTimeZone()));
    if (at.getTime() <= now.getTime()) {
      problems.add("--at", `"${text}" is in the past`);
      return undefined;
    }
    return { type: "date", version: 1, at: at.toISOString() };
  } catch (error) {
    problems.add("--at", (error as Error).message);
    return undefined;
  }
}

/** The schedule for `sundial next`: exactly one of --cron/--every/--at is required. */
export function previewTriggerFromOptions(values: TriggerOptionValues, now: Date): TriggerSpec {
  const problems = new Problems();
  const trigger = triggerFromOptions(values, problems, now);
  if (!trigger && problems.lines.length === 0) problems.add("schedule", "give one of --cron EXPR, --every DURATION or --at DATETIME");
  problems.throwIfAny();
  return trigger!;
}

/** The options an interval's window is read from. */
type WindowOptionValues = Pick<TriggerOptionValues, "start" | "end" | "jitter" | "tz">;

/** An interval's `--start`, `--end` and `--jitter`, as given (a key is present only when its option is). */
interface IntervalWindow {
  start?: string;
  end?: string;
  jitterSeconds?: number;
}

function windowOptionsGiven(values: WindowOptionValues): boolean {
  return values.start !== undefined || values.end !== undefined || values.jitter !== undefined;
}

/** `--start`/`--end`/`--jitter` next to a cron or a date: one line per option given. */
function windowNotForKind(values: WindowOptionValues, schedule: string | null, problems: Problems): void {
  for (const key of ["start", "end", "jitter"] as const) {
    if (values[key] !== undefined) problems.add(`--${key}`, `applies to --every only (an interval's window and jitter)${schedule ? `, not to ${schedule}` : ""}`);
  }
}

/**
 * The window options read: `--start`/`--end` are DATETIMEs (without an offset, wall time in
 * `--tz`, default the system zone; a start may lie in the past: it sets the rhythm), `--jitter`
 * a DURATION (0 allowed). Cross-field rules (end after start, jitter shorter than the period)
 * are the engine's, reported under these options.
 */
function intervalWindow(values: WindowOptionValues, zoneValid: boolean, problems: Problems): IntervalWindow {
  const window: IntervalWindow = {};
  for (const key of ["start", "end"] as const) {
    const text = values[key];
    if (text === undefined || !zoneValid) continue;
    try {
      window[key] = new Date(parseDateTime(text, values.tz ?? systemTimeZone())).toISOString();
    } catch (error) {
      problems.add(`--${key}`, (error as Error).message);
    }
  }
  if (values.jitter !== undefined) {
    const seconds = duration("--jitter", values.jitter, problems, true);
    if (seconds !== undefined) window.jitterSeconds = seconds;
  }
  return window;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function duration(option: string, text: string, problems: Problems, allowZero = false): number | undefined {
  if (allowZero && /^\s*0+[smhd]?\s*$/i.test(text)) return 0;
  try {
    return parseDuration(text);
  } catch (error) {
    problems.add(option, (error as Error).message);
    return undefined;
  }
}

function choice<T extends string>(option: string, text: string | undefined, allowed: readonly T[], problems: Problems): T | undefined {
  if (text === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  problems.add(option, `"${text}" is not one of ${allowed.join(", ")}`);
  return undefined;
}

function parseEnv(pairs: string[] | undefined, problems: Problems): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) {
      problems.add("--env", `"${pair}" must be KEY=VALUE`);
      continue;
    }
    env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return env;
}

function retryCount(text: string | undefined, problems: Problems): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(text)) {
    problems.add("--retries", `"${text}" must be a whole number (0 or more)`);
    return undefined;
  }
  return Number(text);
}

/**
 * The alert rule options given (a key only for an option given). The bounds (`--alert-after 0`)
 * are the engine's (AlertRulesSchema), reported under these option names.
 */
function alertFields(values: JobOptionValues, problems: Problems): AlertRules {
  const rules: AlertRules = {};
  if (values.alertAfter !== undefined) {
    if (/^\s*\d+\s*$/.test(values.alertAfter)) rules.afterFailures = Number(values.alertAfter);
    else problems.add("--alert-after", `"${values.alertAfter}" must be a whole number (1 or more: alert at the Nth failure in a row)`);
  }
  if (values.alertRecovered) rules.recovered = true;
  if (values.expectSuccessWithin !== undefined) {
    const seconds = duration("--expect-success-within", values.expectSuccessWithin, problems);
    if (seconds !== undefined) rules.expectSuccessWithin = seconds;
  }
  if (values.alertSlowerThan !== undefined) {
    if (values.alertSlowerThan.trim() === SLOW_AUTO) rules.slowerThan = SLOW_AUTO;
    else {
      const seconds = duration("--alert-slower-than", values.alertSlowerThan, problems);
      if (seconds !== undefined) rules.slowerThan = seconds;
    }
  }
  return rules;
}

/** Which rule each `--clear` name empties. */
const ALERT_CLEARS: Partial<Record<ClearableField, keyof AlertRules>> = {
  "alert-after": "afterFailures",
  "alert-recovered": "recovered",
  "expect-success-within": "expectSuccessWithin",
  "alert-slower-than": "slowerThan",
};

/** Policy and environment options, shared by add and edit. */
function commonFields(values: JobOptionValues, problems: Problems) {
  return {
    timeoutSeconds: values.timeout === undefined ? undefined : duration("--timeout", values.timeout, problems),
    // The daemon has its own working folder: a relative --cwd means relative to the user's.
    cwd: values.cwd === undefined ? undefined : values.cwd.trim() === "" ? "" : path.resolve(values.cwd),
    // As given: a bare name is looked up on PATH when the run starts.
    shell: values.shell,
    env: parseEnv(values.env, problems),
    overlap: choice("--overlap", values.overlap, OVERLAP_POLICIES, problems),
    catchUp: choice("--catch-up", values.catchUp, CATCH_UP_POLICIES, problems),
    notify: choice("--notify", values.notify, NOTIFY_POLICIES, problems),
    retryCount: retryCount(values.retries, problems),
    retryDelaySeconds: values.retryDelay === undefined ? undefined : duration("--retry-delay", values.retryDelay, problems, true),
    alerts: alertFields(values, problems),
  };
}

/** `sundial add NAME … -- COMMAND…` → JobInput. Throws CliInputError listing every problem. */
export function jobInputFromOptions(name: string, commandWords: string[], values: JobOptionValues, now: Date): JobInput {
  const problems = new Problems();
  if (name.trim() === "") problems.add("NAME", "must not be empty");
  const command = commandFromWords(commandWords, problems, true);
  const triggers = triggersFromOptions(values, problems, now);
  if (triggers === undefined) {
    problems.add("schedule", NO_TRIGGER);
    if (windowOptionsGiven(values)) windowNotForKind(values, null, problems);
  }
  const fields = commonFields(values, problems);
  const conditions = readConditionOptions(values);
  problems.lines.push(...conditions.problems);
  problems.throwIfAny();

  const input: JobInput = { name, triggers: triggers!, command: command!, ...conditionInput(conditions.fields) };
  if (fields.timeoutSeconds !== undefined) input.timeoutSeconds = fields.timeoutSeconds;
  if (fields.cwd !== undefined) input.cwd = fields.cwd;
  if (fields.shell !== undefined) input.shell = fields.shell;
  if (fields.env !== undefined) input.env = fields.env;
  if (fields.overlap) input.overlap = fields.overlap;
  if (fields.catchUp) input.catchUp = fields.catchUp;
  if (fields.notify) input.notify = fields.notify;
  if (fields.retryCount !== undefined || fields.retryDelaySeconds !== undefined) {
    input.retries = { count: fields.retryCount ?? 0, ...(fields.retryDelaySeconds !== undefined ? { delaySeconds: fields.retryDelaySeconds } : {}) };
  }
  if (values.channel?.length) input.channels = values.channel;
  if (values.pingUrl !== undefined) input.pingUrl = values.pingUrl;
  if (values.paused) input.paused = true;
  if (Object.keys(fields.alerts).length > 0) input.alerts = fields.alerts;
  if (values.tag?.length) input.tags = values.tag;
  return input;
}

/**
 * `sundial edit JOB …` → JobPatch holding only what the options change. Needs the current
 * job: `--tz` alone re-zones its cron trigger, `--env` adds to its variables, and retry
 * options keep the half of the retry policy that was not given.
 */
export function jobPatchFromOptions(current: JobView, commandWords: string[], values: JobOptionValues, now: Date): JobPatch {
  const problems = new Problems();
  const patch: JobPatch = {};
  if (values.name !== undefined) {
    if (values.name.trim() === "") problems.add("--name", "must not be empty");
    patch.name = values.name;
  }
  if (commandWords.length) patch.command = commandFromWords(commandWords, problems, false);

  const clears = readClearFields(values.clear);
  problems.lines.push(...clears.problems);
  for (const field of clears.fields) {
    for (const [key, option] of CLEAR_CONFLICTS[field] ?? []) {
      if (values[key] !== undefined) problems.add(`--clear ${field}`, `cannot be combined with ${option} (one clears it, the other sets it)`);
    }
  }
  const triggers = editedTriggers(current, values, clears.fields, problems, now);
  if (triggers) patch.triggers = triggers;

  const fields = commonFields(values, problems);
  const conditions = readConditionOptions(values);
  problems.lines.push(...conditions.problems);
  problems.throwIfAny();

  Object.assign(patch, conditionPatch(current, conditions.fields, clears.fields));
  if (clears.fields.has("timeout")) patch.timeoutSeconds = null;
  if (clears.fields.has("cwd")) patch.cwd = null;
  if (clears.fields.has("shell")) patch.shell = null;
  if (clears.fields.has("catch-up-grace")) patch.catchUpGraceSeconds = null;
  if (clears.fields.has("retries")) patch.retries = { count: 0 };
  if (clears.fields.has("env")) patch.env = {};
  if (fields.timeoutSeconds !== undefined) patch.timeoutSeconds = fields.timeoutSeconds;
  if (fields.cwd !== undefined) patch.cwd = fields.cwd;
  if (fields.shell !== undefined) patch.shell = fields.shell;
  if (fields.env !== undefined) patch.env = { ...(clears.fields.has("env") ? {} : current.env), ...fields.env };
  if (fields.overlap) patch.overlap = fields.overlap;
  if (fields.catchUp) patch.catchUp = fields.catchUp;
  if (fields.notify) patch.notify = fields.notify;
  if (fields.retryCount !== undefined || fields.retryDelaySeconds !== undefined) {
    patch.retries = {
      ...current.retries,
      ...(fields.retryCount !== undefined ? { count: fields.retryCount } : {}),
      ...(fields.retryDelaySeconds !== undefined ? { delaySeconds: fields.retryDelaySeconds } : {}),
    };
  }
  if (clears.fields.has("channels")) patch.channels = null;
  if (clears.fields.has("ping-url")) patch.pingUrl = null;
  // Like --env after --clear env: the channels given replace the job's (edit takes the whole list).
  if (values.channel?.length) patch.channels = values.channel;
  if (values.pingUrl !== undefined) patch.pingUrl = values.pingUrl;
  // Like --channel: the tags given replace the job's; --clear tags alone takes them all off.
  if (clears.fields.has("tags")) patch.tags = [];
  if (values.tag?.length) patch.tags = values.tag;
  if (values.paused) patch.paused = true;
  const clearedRules = [...clears.fields].map((field) => ALERT_CLEARS[field]).filter((rule) => rule !== undefined);
  if (clears.fields.has("alerts") || clearedRules.length > 0 || Object.keys(fields.alerts).length > 0) {
    const kept: AlertRules = clears.fields.has("alerts") ? {} : { ...current.alerts };
    for (const rule of clearedRules) delete kept[rule];
    const rules = { ...kept, ...fields.alerts };
    patch.alerts = Object.keys(rules).length > 0 ? rules : null;
  }
  return patch;
}

/**
 * The options that set what each `--clear` field clears: giving both is refused. `env` is not
 * here on purpose: `--clear env --env A=1` replaces every variable with A=1.
 */
const CLEAR_CONFLICTS: Partial<Record<ClearableField, readonly (readonly [keyof JobOptionValues, string])[]>> = {
  timeout: [["timeout", "--timeout"]],
  cwd: [["cwd", "--cwd"]],
  shell: [["shell", "--shell"]],
  tz: [["tz", "--tz"]],
  start: [["start", "--start"]],
  end: [["end", "--end"]],
  jitter: [["jitter", "--jitter"]],
  retries: [
    ["retries", "--retries"],
    ["retryDelay", "--retry-delay"],
  ],
  "alert-after": [["alertAfter", "--alert-after"]],
  "alert-recovered": [["alertRecovered", "--alert-recovered"]],
  "expect-success-within": [["expectSuccessWithin", "--expect-success-within"]],
  "alert-slower-than": [["alertSlowerThan", "--alert-slower-than"]],
  "ping-url": [["pingUrl", "--ping-url"]],
  between: [["between", "--between"]],
  days: [["days", "--days"]],
  "skip-dates": [["skipDates", "--skip-dates"]],
  "ac-power": [["acPower", "--ac-power"]],
  online: [["online", "--online"]],
};

const WINDOW_FIELDS = ["start", "end", "jitter"] as const satisfies readonly ClearableField[];

/**
 * The triggers an edit leaves, or undefined when they do not change. Trigger options replace
 * the job's whole list (a new --every on a job with one interval keeps its start, end and
 * jitter unless they are given or cleared). Without them: --tz re-zones the job's cron
 * triggers, --start/--end/--jitter change its interval, `--clear tz|start|end|jitter` empties them.
 */
function editedTriggers(job: JobView, values: JobOptionValues, clears: ReadonlySet<ClearableField>, problems: Problems, now: Date): TriggerSpec[] | undefined {
  const given = triggersFromOptions(values, problems, now);
  const intervals = job.triggers.flatMap((trigger, index) => (trigger.type === "interval" ? [index] : []));
  if (given !== undefined) {
    const givenIntervals = given.filter((trigger) => trigger.type === "interval");
    const current = intervals.length === 1 ? (job.triggers[intervals[0]!] as IntervalTriggerSpec) : null;
    if (givenIntervals.length !== 1 || current === null) return given;
    const { start, end, jitterSeconds } = current;
    return given.map((trigger) => (trigger.type === "interval" ? withoutCleared({ ...definedOnly({ start, end, jitterSeconds }), ...trigger }, clears) : trigger));
  }
  const windowGiven = windowOptionsGiven(values);
  const windowCleared = WINDOW_FIELDS.filter((field) => clears.has(field));
  if (intervals.length === 0) {
    if (windowGiven) windowNotForKind(values, `job "${job.name}", which ${hasWords(job)}`, problems);
    for (const field of windowCleared) problems.add(`--clear ${field}`, `job "${job.name}" ${hasWords(job)}; start, end and jitter belong to intervals (--every)`);
  }
  if (values.tz !== undefined && values.start === undefined && values.end === undefined) {
    const rezoned = job.triggers.map((trigger) => triggerWithZone(trigger, values.tz!));
    if (rezoned.some((trigger) => trigger !== null)) return job.triggers.map((trigger, index) => rezoned[index] ?? trigger);
    if (isValidTimeZone(values.tz)) problems.add("--tz", `job "${job.name}" ${hasWords(job)}; --tz applies to --cron (give --at again with --tz to move a date)`);
    return undefined;
  }
  if (clears.has("tz")) {
    if (!job.triggers.some((trigger) => trigger.type === "cron")) {
      problems.add("--clear tz", `job "${job.name}" ${hasWords(job)}, which has no time zone of its own`);
      return undefined;
    }
    // Without a zone, a cron schedule follows the system's, wherever the computer is.
    return job.triggers.map((trigger) => {
      if (trigger.type !== "cron") return trigger;
      const { timezone: _cleared, ...followsSystemZone } = trigger;
      return followsSystemZone;
    });
  }
  if (intervals.length === 0 || (!windowGiven && windowCleared.length === 0)) return undefined;
  if (intervals.length > 1) {
    const option = windowGiven ? `--${(["start", "end", "jitter"] as const).find((key) => values[key] !== undefined)}` : `--clear ${windowCleared[0]}`;
    problems.add(option, `job "${job.name}" has ${intervals.length} interval triggers; give its triggers again (--every … with --start/--end/--jitter) to change one`);
    return undefined;
  }
  const index = intervals[0]!;
  const window = intervalWindow(values, values.tz === undefined || isValidTimeZone(values.tz), problems);
  const edited: IntervalTriggerSpec = withoutCleared({ ...(job.triggers[index] as IntervalTriggerSpec) }, clears);
  // A new start is the new anchor: the rhythm restarts there (withIntervalAnchor sets it).
  if (window.start !== undefined) delete edited.anchor;
  return job.triggers.map((trigger, at) => (at === index ? { ...edited, ...definedOnly(window) } : trigger));
}

/** "has a cron trigger", "has no trigger", "has a cron and a startup trigger": what a job's triggers are, for a refusal. */
function hasWords(job: Pick<JobView, "triggers">): string {
  if (job.triggers.length === 0) return "has no trigger (it runs only when asked)";
  const nouns = job.triggers.map((trigger) => triggerNoun(trigger));
  return `has ${nouns.length === 1 ? nouns[0] : `${nouns.slice(0, -1).join(", ")} and ${nouns.at(-1)}`} trigger`;
}

/**
 * An interval without the window fields `--clear` names. An anchor taken from the start goes
 * with it (the job re-anchors at the edit), so clearing a future start lets it run from now.
 */
function withoutCleared(spec: IntervalTriggerSpec, clears: ReadonlySet<ClearableField>): IntervalTriggerSpec {
  const edited = { ...spec };
  if (clears.has("start")) {
    if (edited.anchor !== undefined && edited.anchor === edited.start) delete edited.anchor;
    delete edited.start;
  }
  if (clears.has("end")) delete edited.end;
  if (clears.has("jitter")) delete edited.jitterSeconds;
  return edited;
}

function commandFromWords(words: string[], problems: Problems, required: boolean): string | undefined {
  if (words.length === 0) {
    if (required) problems.add("COMMAND", "missing; give it after -- (e.g. sundial add backup --cron '0 3 * * *' -- rsync -a ~/src /backup)");
    return undefined;
  }
  const command = joinCommand(words);
  if (command.trim() === "") problems.add("COMMAND", "must not be empty");
  return command;
}

/**
 * One word is a shell command line taken verbatim (`-- 'tar czf x.tgz ~/docs && echo ok'`);
 * several are joined with quoting, so each keeps its meaning as one argument.
 */
export function joinCommand(words: string[], platform: NodeJS.Platform = process.platform): string {
  if (words.length === 1) return words[0]!;
  return words.map((word) => quoteWord(word, platform)).join(" ");
}

function quoteWord(word: string, platform: NodeJS.Platform): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  if (platform === "win32") return `"${word.replaceAll('"', '\\"')}"`;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Which option a service field came from (`trigger.expression` or `triggers[1].expression` →
 * `--cron`). `triggers` are the job's triggers as sent: a field naming one without a tail
 * (`triggers[2]: is the same trigger as triggers[0]`) is the option of that trigger's kind.
 */
export function optionForField(field: string, triggers: readonly Pick<TriggerSpec, "type">[] = []): string {
  const [indexed = "", ...rest] = field.split(".");
  const index = /\[(\d+)\]$/.exec(indexed);
  const head = indexed.replace(/\[\d+\]$/, "");
  const trigger = triggers[index ? Number(index[1]) : 0];
  const condition = conditionOption(field);
  if (condition) return condition;
  const tail = rest.join(".");
  switch (head) {
    case "name":
      return "NAME";
    case "command":
      return "COMMAND";
    case "cwd":
      return "--cwd";
    case "shell":
      return "--shell";
    case "env":
      return tail ? `--env ${tail}` : "--env";
    case "timeoutSeconds":
      return "--timeout";
    case "overlap":
      return "--overlap";
    case "catchUp":
    case "catchUpGraceSeconds":
      return "--catch-up";
    case "notify":
      return "--notify";
    case "paused":
      return "--paused";
    case "until":
      return "--until";
    case "alerts":
      return ALERT_OPTIONS[tail as keyof AlertRules] ?? "--alert-after";
    case "channels":
      return "--channel";
    case "pingUrl":
      return "--ping-url";
    case "tags":
      return "--tag";
    case "retries":
      return tail === "delaySeconds" ? "--retry-delay" : "--retries";
    case "trigger":
    case "triggers":
      if (tail === "expression") return "--cron";
      if (tail === "timezone") return "--tz";
      if (tail === "at") return "--at";
      if (tail === "start") return "--start";
      if (tail === "end") return "--end";
      if (tail === "jitterSeconds") return "--jitter";
      if (tail === "everySeconds" || tail === "anchor") return "--every";
      if (tail === "delaySeconds") return "--on";
      if (tail === "path" || tail === "recursive" || tail === "debounceSeconds") return "--watch";
      if (tail === "job" || tail === "on") return "--after";
      return trigger && (index || head === "trigger") ? TRIGGER_OPTIONS[trigger.type] : "schedule";
    default:
      return field;
  }
}

/** The option of each alert rule (`alerts.afterFailures` → `--alert-after`). */
const ALERT_OPTIONS: Readonly<Record<keyof AlertRules, string>> = {
  afterFailures: "--alert-after",
  recovered: "--alert-recovered",
  expectSuccessWithin: "--expect-success-within",
  slowerThan: "--alert-slower-than",
};

/** The service's ValidationError issues, as lines naming options. */
export function issuesAsOptionLines(issues: FieldIssue[], triggers?: readonly Pick<TriggerSpec, "type">[]): string[] {
  return issues.map((issue) => `${optionForField(issue.field, triggers)}: ${issue.message}`);
}
