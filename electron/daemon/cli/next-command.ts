/**
 * `sundial next`: previews fire times offline, with the engine's own trigger code, so what
 * it prints is exactly what the scheduler would do (no daemon needed).
 */
import { formatInZone, fromSpec, systemTimeZone, triggerZone, validateTrigger, withTriggerDefaults } from "../../core/triggers/index.js";
import { previewJobTimes } from "../../core/job-preview.js";
import { conditionInput, readConditionOptions, type ConditionOptionValues } from "./condition-options.js";
import { conditionsInWords } from "../../shared/wording.js";
import type { TriggerSpec } from "../../shared/schemas.js";
import { printJson, println, type CliContext } from "./context.js";
import { isValidTimeZone, parseDateTime } from "../../shared/civil-time.js";
import { formatWallTime } from "./format.js";
import { formatRelative } from "../../shared/wording.js";
import { CliInputError } from "../../shared/errors.js";
import { issuesAsOptionLines, previewTriggerFromOptions, type TriggerOptionValues } from "./job-options.js";
import { describeSchedule } from "./schedule.js";

export interface NextOptions extends TriggerOptionValues, Pick<ConditionOptionValues, "between" | "days" | "skipDates" | "ifUnmet"> {
  from?: string;
  n?: string;
  json?: boolean;
}

export function nextCommand(context: CliContext, options: NextOptions): void {
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
