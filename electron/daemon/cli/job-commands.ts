/** `add`, `edit`, `pause`, `resume`, `remove`: the commands that change jobs. */
import { ValidationError } from "../../shared/errors.js";
import type { JobView, TriggerSpec } from "../../shared/schemas.js";
import { printJson, println, type CliContext } from "./context.js";
import { CliInputError } from "./errors.js";
import { formatLeft, formatWallTime } from "./format.js";
import { issuesAsOptionLines, jobInputFromOptions, jobPatchFromOptions, type JobOptionValues } from "./job-options.js";

/** The service's ValidationError, re-worded with option names. */
async function withOptionNames<T>(operation: Promise<T>, trigger?: Pick<TriggerSpec, "type">): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof ValidationError) throw new CliInputError(issuesAsOptionLines(error.issues, trigger));
    throw error;
  }
}

export async function addCommand(context: CliContext, name: string, commandWords: string[], options: JobOptionValues & { json?: boolean }): Promise<void> {
  const input = jobInputFromOptions(name, commandWords, options, context.now());
  const job = await withOptionNames(context.client().addJob(input), input.trigger);
  if (options.json) return printJson(context.stdout, job);
  println(context.stdout, `Added job ${job.id} "${job.name}"; ${nextRunSentence(job, context.now())}`);
}

export async function editCommand(context: CliContext, ref: string, commandWords: string[], options: JobOptionValues & { json?: boolean }): Promise<void> {
  const client = context.client();
  const current = await client.getJob(ref);
  const patch = jobPatchFromOptions(current, commandWords, options, context.now());
  if (Object.keys(patch).length === 0) {
    throw new CliInputError(["options: nothing to change; give at least one option (see sundial edit --help)"]);
  }
  const job = await withOptionNames(client.updateJob(current.id, patch), patch.trigger);
  if (options.json) return printJson(context.stdout, job);
  println(context.stdout, `Updated job ${job.id} "${job.name}"; ${nextRunSentence(job, context.now())}`);
}

/** "next run Wed 2026-11-25 16:00:00 (in 4h 12m)", or why there is none. */
export function nextRunSentence(job: JobView, now: Date): string {
  if (job.paused) return "paused";
  if (!job.nextRunAt) return job.finished ? "finished" : "no next run";
  const next = new Date(job.nextRunAt);
  return `next run ${formatWallTime(next)} (${formatLeft(next, now)})`;
}

export async function pauseCommand(context: CliContext, ref: string | undefined, options: { all?: boolean }, pause: boolean): Promise<void> {
  const verb = pause ? "pause" : "resume";
  if (ref !== undefined && options.all) throw new CliInputError([`--all: cannot be combined with a job; use sundial ${verb} JOB or sundial ${verb} --all`]);
  if (ref === undefined && !options.all) throw new CliInputError([`JOB: give a job id or name, or --all`]);
  const client = context.client();
  if (options.all) {
    await (pause ? client.pauseAll() : client.resumeAll());
    println(context.stdout, pause ? "Paused all jobs." : "Resumed all jobs.");
    return;
  }
  const job = await (pause ? client.pauseJob(ref!) : client.resumeJob(ref!));
  println(context.stdout, `${pause ? "Paused" : "Resumed"} job ${job.id} "${job.name}"${pause ? "" : `; ${nextRunSentence(job, context.now())}`}`);
}

export async function removeCommand(context: CliContext, ref: string): Promise<void> {
  const client = context.client();
  const job = await client.getJob(ref);
  await client.removeJob(job.id);
  println(context.stdout, `Removed job ${job.id} "${job.name}"`);
}
