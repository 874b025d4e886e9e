/**
 * Turns `add` / `edit` / `next` options into the contract's JobInput, JobPatch and
 * TriggerSpec, and maps the service's field names back to option names, so every problem is
 * reported as `--option: what is wrong` (one line each, all of them at once).
 */
import path from "node:path";
import type { FieldIssue } from "../../shared/errors.js";
import { parseDuration } from "../../shared/duration.js";
import type { CatchUpPolicy, JobInput, JobPatch, JobView, NotifyPolicy, OverlapPolicy, TriggerSpec } from "../../shared/schemas.js";
import { isKnownTimeZone, localTimeZone, parseDateTime } from "./datetime.js";
import { CliInputError } from "./errors.js";

export { CliInputError };


// The contract's policy names. Kept here as plain lists so a CLI call does not load zod just
// to parse its options; `satisfies` keeps each name valid and a test keeps the lists complete.
export const OVERLAP_POLICIES = ["skip", "queue", "parallel", "replace"] as const satisfies readonly OverlapPolicy[];
export const CATCH_UP_POLICIES = ["skip", "once", "all"] as const satisfies readonly CatchUpPolicy[];
export const NOTIFY_POLICIES = ["failure", "always", "never"] as const satisfies readonly NotifyPolicy[];

/** Trigger options shared by add, edit and next. */
export interface TriggerOptionValues {
  cron?: string;
  every?: string;
  at?: string;
  tz?: string;
}

/** Options of add and edit (commander's camelCase names). */
export interface JobOptionValues extends TriggerOptionValues {
  name?: string;
  timeout?: string;
  cwd?: string;
  env?: string[];
  overlap?: string;
  catchUp?: string;
  retries?: string;
  retryDelay?: string;
  notify?: string;
  paused?: boolean;
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
 * The trigger the options describe, or undefined when none of --cron/--every/--at is given.
 * `--at` without an offset is wall time in `--tz` (default: the system zone).
 */
function triggerFromOptions(values: TriggerOptionValues, problems: Problems, now: Date): TriggerSpec | undefined {
  const given = (["cron", "every", "at"] as const).filter((key) => values[key] !== undefined);
  if (given.length > 1) {
    problems.add(`--${given[0]}`, `cannot be combined with ${given.slice(1).map((key) => `--${key}`).join(", ")}; give one schedule`);
    return undefined;
  }
  const zoneValid = values.tz === undefined || isKnownTimeZone(values.tz);
  if (!zoneValid) problems.add("--tz", `unknown time zone "${values.tz}"`);

  if (values.cron !== undefined) {
    if (values.cron.trim() === "") problems.add("--cron", "must not be empty");
    return { type: "cron", version: 1, expression: values.cron, ...(values.tz !== undefined ? { timezone: values.tz } : {}) };
  }
  if (values.every !== undefined) {
    if (values.tz !== undefined) problems.add("--tz", "applies to --cron and --at only (an interval counts real time)");
    const everySeconds = duration("--every", values.every, problems);
    return everySeconds === undefined ? undefined : { type: "interval", version: 1, everySeconds };
  }
  if (values.at !== undefined) {
    if (!zoneValid) return undefined;
    try {
      const at = parseDateTime(values.at, values.tz ?? localTimeZone());
      if (at.getTime() <= now.getTime()) {
        problems.add("--at", `"${values.at}" is in the past`);
        return undefined;
      }
      return { type: "date", version: 1, at: at.toISOString() };
    } catch (error) {
      problems.add("--at", (error as Error).message);
    }
  }
  return undefined;
}

/** The schedule for `sundial next`: exactly one of --cron/--every/--at is required. */
export function previewTriggerFromOptions(values: TriggerOptionValues, now: Date): TriggerSpec {
  const problems = new Problems();
  const trigger = triggerFromOptions(values, problems, now);
  if (!trigger && problems.lines.length === 0) problems.add("schedule", "give one of --cron EXPR, --every DURATION or --at DATETIME");
  problems.throwIfAny();
  return trigger!;
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

/** Policy and environment options, shared by add and edit. */
function commonFields(values: JobOptionValues, problems: Problems) {
  return {
    timeoutSeconds: values.timeout === undefined ? undefined : duration("--timeout", values.timeout, problems),
    // The daemon has its own working folder: a relative --cwd means relative to the user's.
    cwd: values.cwd === undefined ? undefined : values.cwd.trim() === "" ? "" : path.resolve(values.cwd),
    env: parseEnv(values.env, problems),
    overlap: choice("--overlap", values.overlap, OVERLAP_POLICIES, problems),
    catchUp: choice("--catch-up", values.catchUp, CATCH_UP_POLICIES, problems),
    notify: choice("--notify", values.notify, NOTIFY_POLICIES, problems),
    retryCount: retryCount(values.retries, problems),
    retryDelaySeconds: values.retryDelay === undefined ? undefined : duration("--retry-delay", values.retryDelay, problems, true),
  };
}

/** `sundial add NAME … -- COMMAND…` → JobInput. Throws CliInputError listing every problem. */
export function jobInputFromOptions(name: string, commandWords: string[], values: JobOptionValues, now: Date): JobInput {
  const problems = new Problems();
  if (name.trim() === "") problems.add("NAME", "must not be empty");
  const command = commandFromWords(commandWords, problems, true);
  const trigger = triggerFromOptions(values, problems, now);
  if (!trigger && !problems.lines.some((line) => /^--(cron|every|at|tz):/.test(line))) {
    problems.add("schedule", "give one of --cron EXPR, --every DURATION or --at DATETIME");
  }
  const fields = commonFields(values, problems);
  problems.throwIfAny();

  const input: JobInput = { name, trigger: trigger!, command: command! };
  if (fields.timeoutSeconds !== undefined) input.timeoutSeconds = fields.timeoutSeconds;
  if (fields.cwd !== undefined) input.cwd = fields.cwd;
  if (fields.env !== undefined) input.env = fields.env;
  if (fields.overlap) input.overlap = fields.overlap;
  if (fields.catchUp) input.catchUp = fields.catchUp;
  if (fields.notify) input.notify = fields.notify;
  if (fields.retryCount !== undefined || fields.retryDelaySeconds !== undefined) {
    input.retries = { count: fields.retryCount ?? 0, ...(fields.retryDelaySeconds !== undefined ? { delaySeconds: fields.retryDelaySeconds } : {}) };
  }
  if (values.paused) input.paused = true;
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

  const trigger = triggerFromOptions(values, problems, now);
  if (trigger) patch.trigger = trigger;
  else if (values.tz !== undefined && values.cron === undefined && values.every === undefined && values.at === undefined) {
    if (current.trigger.type === "cron") patch.trigger = { ...current.trigger, timezone: values.tz };
    else if (isKnownTimeZone(values.tz)) problems.add("--tz", `job "${current.name}" has ${current.trigger.type === "date" ? "a date" : "an interval"} trigger; --tz applies to --cron (give --at again with --tz to move a date)`);
  }

  const fields = commonFields(values, problems);
  problems.throwIfAny();

  if (fields.timeoutSeconds !== undefined) patch.timeoutSeconds = fields.timeoutSeconds;
  if (fields.cwd !== undefined) patch.cwd = fields.cwd;
  if (fields.env !== undefined) patch.env = { ...current.env, ...fields.env };
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
  if (values.paused) patch.paused = true;
  return patch;
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

/** Which option a service field came from (`trigger.expression` → `--cron`). */
export function optionForField(field: string, trigger?: Pick<TriggerSpec, "type">): string {
  const [head, ...rest] = field.split(".");
  const tail = rest.join(".");
  switch (head) {
    case "name":
      return "NAME";
    case "command":
      return "COMMAND";
    case "cwd":
      return "--cwd";
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
    case "retries":
      return tail === "delaySeconds" ? "--retry-delay" : "--retries";
    case "trigger":
      if (tail === "expression") return "--cron";
      if (tail === "timezone") return "--tz";
      if (tail === "at") return "--at";
      if (tail === "everySeconds" || tail === "anchor" || tail === "start" || tail === "end" || tail === "jitterSeconds") return "--every";
      return trigger ? { cron: "--cron", interval: "--every", date: "--at" }[trigger.type] : "schedule";
    default:
      return field;
  }
}

/** The service's ValidationError issues, as lines naming options. */
export function issuesAsOptionLines(issues: FieldIssue[], trigger?: Pick<TriggerSpec, "type">): string[] {
  return issues.map((issue) => `${optionForField(issue.field, trigger)}: ${issue.message}`);
}
