/**
 * `sundial next`: previews fire times offline, with the engine's own trigger code, so what
 * it prints is exactly what the scheduler would do (no daemon needed).
 */
import { formatInZone, fromSpec, systemTimeZone, triggerZone, validateTrigger, withTriggerDefaults } from "../../core/triggers/index.js";
import { previewJob, previewJobTimes } from "../../core/job-preview.js";
import { conditionInput, readConditionOptions, type ConditionOptionValues } from "./condition-options.js";
import { conditionsInWords } from "../../shared/wording.js";
import { triggersZone } from "../../shared/trigger-kinds.js";
import { isTimeTriggerType } from "../../shared/trigger-types.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import { printJson, println, type CliContext } from "./context.js";
import { isValidTimeZone, parseDateTime } from "../../shared/civil-time.js";
import { formatWallTime } from "./format.js";
import { formatRelative } from "../../shared/wording.js";
import { CliInputError } from "../../shared/errors.js";
import { issuesAsOptionLines, previewTriggerFromOptions, type TriggerOptionValues } from "./job-options.js";
import { describeJobSchedule, describeSchedule, jobNamesById } from "./schedule.js";

export interface NextOptions extends TriggerOptionValues, Pick<ConditionOptionValues, "between" | "days" | "skipDates" | "ifUnmet"> {
  /** A job's time triggers instead of a schedule given here (with the job's own conditions). */
  job?: string;
  from?: string;
  n?: string;
  json?: boolean;
}

export async function nextCommand(context: CliContext, options: NextOptions): Promise<void> {
  if (options.job !== undefined) return jobNextCommand(context, options.job, options);
  const now = context.now();
  const problems: string[] = [];
  const zone = options.tz ?? systemTimeZone();

  let from = now;
  if (options.from !== undefined && isValidTimeZone(zone)) {
    try {
      from = new Date(parseDateTime(options.from, zone));
    } catch (error) {
      problems.push(`--from: ${(error as Error).message}`);
    }
  }
  let count = 5;
  if (options.n !== undefined) {
    count = Number(options.n);
    if (!/^\s*\d+\s*$/.test(options.n) || count < 1 || count > 1000) problems.push(`-n: "${options.n}" must be a whole number from 1 to 1000`);
  }
  let spec: TriggerSpec | undefined;
  try {
    spec = previewTriggerFromOptions(options, from);
  } catch (error) {
    if (!(error instanceof CliInputError)) throw error;
    problems.push(...error.problems);
  }
  const conditionOptions = readConditionOptions(options);
  problems.push(...conditionOptions.problems);
  if (problems.length || !spec) throw new CliInputError(problems);
  const job = conditionInput(conditionOptions.fields);

  // An interval counts from its anchor; for a preview the anchor is where it starts.
  spec = withTriggerDefaults(spec, from);
  const issues = validateTrigger(spec, from).map((issue) => ({
    field: issue.field.startsWith("trigger") ? issue.field : `trigger.${issue.field}`,
    message: issue.message,
  }));
  if (issues.length) throw new CliInputError(issuesAsOptionLines(issues, [spec]));

  // With conditions, the times a run would start: the same rules as the engine's (issue 15).
  const times = previewJobTimes(fromSpec(spec), job, triggerZone(spec), from, count);
  if (options.json) return printJson(context.stdout, times.map((time) => formatInZone(time, zone)));
  const conditions = conditionsInWords(job.conditions, job.whenUnmet, job.waitUpToSeconds);
  println(context.stdout, `${describeSchedule(spec)}${conditions.length ? ` (${conditions.join(", ")})` : ""}, times in ${zone}:`);
  if (times.length === 0) println(context.stdout, `  it does not fire after ${formatWallTime(from, zone, true)}`);
  for (const time of times) {
    println(context.stdout, `  ${formatWallTime(time, zone, true)}${time > now ? `  (${formatRelative(time.getTime(), now.getTime())})` : ""}`);
  }
}

/**
 * `sundial next --job NAME`: the job's time triggers merged, earliest first (the scheduler's
 * own JobTimes), from the running engine's copy of the job. Event triggers have no times.
 */
async function jobNextCommand(context: CliContext, ref: string, options: NextOptions): Promise<void> {
  const now = context.now();
  const problems: string[] = [];
  for (const key of ["cron", "every", "at", "tz", "start", "end", "jitter"] as const) {
    if (options[key] !== undefined) problems.push(`--job: cannot be combined with --${key} (the job's own triggers are previewed)`);
  }
  for (const [key, option] of [["between", "--between"], ["days", "--days"], ["skipDates", "--skip-dates"], ["ifUnmet", "--if-unmet"]] as const) {
    if (options[key] !== undefined) problems.push(`--job: cannot be combined with ${option} (the job's own conditions apply)`);
  }
  const count = options.n === undefined ? 5 : Number(options.n);
  if (options.n !== undefined && (!/^\s*\d+\s*$/.test(options.n) || count < 1 || count > 1000)) problems.push(`-n: "${options.n}" must be a whole number from 1 to 1000`);
  const job = problems.length === 0 ? await context.client().getJob(ref) : null;
  const zone = job ? triggersZone(job.triggers) : systemTimeZone();
  let from = now;
  if (options.from !== undefined) {
    try {
      from = new Date(parseDateTime(options.from, zone));
    } catch (error) {
      problems.push(`--from: ${(error as Error).message}`);
    }
  }
  if (problems.length || !job) throw new CliInputError(problems);

  let times: Date[];
  try {
    // The times its runs would start: its conditions applied as the engine applies them (issue 15).
    times = previewJob(job, from, count);
  } catch (error) {
    throw new CliInputError([`--job: "${job.name}" cannot be previewed: ${(error as Error).message}`]);
  }
  if (options.json) return printJson(context.stdout, times.map((time) => formatInZone(time, zone)));
  const names = job.triggers.some((trigger) => trigger.type === "after") ? jobNamesById(await context.client().listJobs()) : undefined;
  const conditions = conditionsInWords(job.conditions, job.whenUnmet, job.waitUpToSeconds);
  println(context.stdout, `${job.name}: ${describeJobSchedule(job.triggers, names)}${conditions.length ? ` (${conditions.join(", ")})` : ""}; times in ${zone}:`);
  if (times.length === 0) {
    const timed = job.triggers.some((trigger) => isTimeTriggerType(trigger.type));
    println(context.stdout, timed ? `  it does not fire after ${formatWallTime(from, zone, true)}` : "  it has no time trigger (it runs on its events, or when asked)");
  }
  for (const time of times) {
    println(context.stdout, `  ${formatWallTime(time, zone, true)}${time > now ? `  (${formatRelative(time.getTime(), now.getTime())})` : ""}`);
  }
}
