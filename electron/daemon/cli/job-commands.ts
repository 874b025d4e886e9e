/** `add`, `edit`, `pause`, `resume`, `remove`: the commands that change jobs. */
import { CliInputError, ValidationError } from "../../shared/errors.js";
import type { JobView, TriggerSpec } from "../../shared/schemas.js";
import { printJson, println, type CliContext } from "./context.js";
import { withMaskedSecrets } from "../../shared/secrets.js";
import { formatWallTime } from "./format.js";
import { alwaysFiresWarning, formatRelative, historyAfterDelete } from "../../shared/wording.js";
import { parseDuration } from "../../shared/duration.js";
import { parseDateTime, systemTimeZone } from "../../shared/civil-time.js";
import { issuesAsOptionLines, jobInputFromOptions, jobPatchFromOptions, type JobOptionValues } from "./job-options.js";

/** The service's ValidationError, re-worded with option names. */
async function withOptionNames<T>(operation: Promise<T>, triggers?: readonly Pick<TriggerSpec, "type">[]): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof ValidationError) throw new CliInputError(issuesAsOptionLines(error.issues, triggers));
    throw error;
  }
}

export async function addCommand(context: CliContext, name: string, commandWords: string[], options: JobOptionValues & { json?: boolean }): Promise<void> {
  const input = jobInputFromOptions(name, commandWords, options, context.now());
  const job = await withOptionNames(context.client().addJob(input), "triggers" in input ? input.triggers : undefined);
  await warnIfAlwaysFires(context, job);
  if (options.json) return printJson(context.stdout, withMaskedSecrets(job));
  println(context.stdout, `Added job ${job.id} "${job.name}"; ${nextRunSentence(job, context.now())}`);
  warnOfProblem(context, job);
}

/** Saved, but something keeps a trigger from working now (a watched path not there yet): said on stderr. */
function warnOfProblem(context: CliContext, job: JobView): void {
  if (job.problem) println(context.stderr, `warning: ${job.problem}`);
}

export async function editCommand(context: CliContext, ref: string, commandWords: string[], options: JobOptionValues & { json?: boolean }): Promise<void> {
  const client = context.client();
  const current = await client.getJob(ref);
  const patch = jobPatchFromOptions(current, commandWords, options, context.now());
  if (Object.keys(patch).length === 0) {
    throw new CliInputError(["options: nothing to change; give at least one option (see sundial edit --help)"]);
  }
  const job = await withOptionNames(client.updateJob(current.id, patch), patch.triggers);
  if (patch.alerts !== undefined || patch.triggers !== undefined) await warnIfAlwaysFires(context, job);
  if (options.json) return printJson(context.stdout, withMaskedSecrets(job));
  println(context.stdout, `Updated job ${job.id} "${job.name}"; ${nextRunSentence(job, context.now())}`);
  warnOfProblem(context, job);
}

/**
 * A dead-man's window shorter than the job's own period would fire between every two runs:
 * saved (the user may mean it), and said on stderr. The period of a cron schedule is the
 * shortest gap among its next few runs.
 */
async function warnIfAlwaysFires(context: CliContext, job: JobView): Promise<void> {
  const window = job.alerts?.expectSuccessWithin;
  if (window === undefined) return;
  let period: number | null = null;
  for (const trigger of job.triggers) {
    if (trigger.type === "interval") period = Math.min(period ?? Infinity, trigger.everySeconds);
    else if (trigger.type === "cron") {
      const preview = await context.client().previewTrigger({ trigger, count: 4 }).catch(() => null);
      const times = (preview?.times ?? []).map((time) => Date.parse(time));
      for (let index = 1; index < times.length; index++) period = Math.min(period ?? Infinity, (times[index]! - times[index - 1]!) / 1000);
    }
  }
  const warning = period === null ? null : alwaysFiresWarning(window, period);
  if (warning) println(context.stderr, `warning: --expect-success-within: ${warning}`);
}

/** "next run Wed 2026-11-25 16:00:00 (in 4 h 12 min)", or why there is none. */
export function nextRunSentence(job: JobView, now: Date): string {
  if (job.paused) return "paused";
  if (!job.nextRunAt) return job.finished ? "finished" : "no next run";
  const next = new Date(job.nextRunAt);
  return `next run ${formatWallTime(next)} (${formatRelative(next.getTime(), now.getTime())})`;
}

export async function pauseCommand(context: CliContext, ref: string | undefined, options: { all?: boolean; until?: string }, pause: boolean): Promise<void> {
  const verb = pause ? "pause" : "resume";
  if (ref !== undefined && options.all) throw new CliInputError([`--all: cannot be combined with a job; use sundial ${verb} JOB or sundial ${verb} --all`]);
  if (ref === undefined && !options.all) throw new CliInputError([`JOB: give a job id or name, or --all`]);
  if (options.until !== undefined && !options.all) {
    throw new CliInputError([`--until: only with --all (sundial pause --all --until WHEN); a single job stays paused until sundial resume JOB`]);
  }
  const until = options.until === undefined ? undefined : pauseEnd(options.until, context.now());
  const client = context.client();
  if (options.all) {
    if (!pause) {
      await client.resumeAll();
      println(context.stdout, "Resumed all jobs.");
      return;
    }
    const status = await withOptionNames(client.pauseAll(until));
    const resumesAt = status.pausedUntil ? new Date(status.pausedUntil) : null;
    println(
      context.stdout,
      resumesAt
        ? `Paused all jobs until ${formatWallTime(resumesAt)} (${formatRelative(resumesAt.getTime(), context.now().getTime())}); sundial resume --all resumes them sooner.`
        : "Paused all jobs.",
    );
    return;
  }
  const job = await (pause ? client.pauseJob(ref!) : client.resumeJob(ref!));
  println(context.stdout, `${pause ? "Paused" : "Resumed"} job ${job.id} "${job.name}"${pause ? "" : `; ${nextRunSentence(job, context.now())}`}`);
}

/**
 * `--until WHEN` as an instant: a DURATION from now (`2h`, `90m`), else a DATETIME (without an
 * offset, wall time in the system zone). Bad or past input is bad input; nothing is paused.
 */
function pauseEnd(text: string, now: Date): string {
  let ms: number;
  try {
    ms = now.getTime() + parseDuration(text) * 1000;
  } catch {
    try {
      ms = parseDateTime(text, systemTimeZone());
    } catch {
      throw new CliInputError([`--until: "${text}" is neither a duration (90s, 5m, 2h, 1d) nor a date-time (ISO 8601, e.g. 2026-12-24T18:00)`]);
    }
  }
  if (ms <= now.getTime()) throw new CliInputError([`--until: "${text}" is in the past`]);
  return new Date(ms).toISOString();
}

/** Keeps the job's runs and logs unless `--purge`, and says which it did. */
export async function removeCommand(context: CliContext, ref: string, options: { purge?: boolean }): Promise<void> {
  const client = context.client();
  const job = await client.getJob(ref);
  const purge = options.purge === true;
  await client.removeJob(job.id, { purge });
  println(context.stdout, `Removed job ${job.id} "${job.name}"`);
  println(context.stdout, purge ? historyAfterDelete(true) : `${historyAfterDelete(false)} See: sundial history ${job.id}`);
}
