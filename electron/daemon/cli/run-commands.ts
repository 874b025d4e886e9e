/** `run`, `history`, `logs`, `status`: runs and the running instance. */
import type { Run } from "../../shared/schemas.js";
import { ConnectionLostError, type EventStream } from "../client.js";
import { printJson, println, type CliContext } from "./context.js";
import { formatAgo, formatLeft, formatRunDuration, formatSpan, formatWallTime, renderTable } from "./format.js";
import { CliInputError } from "./errors.js";

/** Exit code of `run --wait`: 0 only for a run that succeeded. */
export async function runCommand(context: CliContext, ref: string, options: { wait?: boolean }): Promise<number> {
  const client = context.client();
  if (!options.wait) {
    const run = await client.runNow(ref);
    println(context.stdout, `Started run ${run.id} of "${run.jobName}" (sundial logs ${run.id} --follow)`);
    return 0;
  }
  // Subscribe before starting the run, so not one line of its output can be missed.
  const stream = await client.events();
  try {
    const started = await client.runNow(ref);
    println(context.stderr, `Started run ${started.id} of "${started.jobName}"`);
    const finished = await followRun(context, stream, started.id);
    println(context.stderr, runSummary(finished));
    return finished.status === "succeeded" ? 0 : 1;
  } finally {
    stream.close();
  }
}

/** Prints a run's live output until its `run.finished` event, which it returns. */
async function followRun(context: CliContext, stream: EventStream, runId: string): Promise<Run> {
  for (;;) {
    const { value: event, done } = await stream.next();
    if (done) throw new ConnectionLostError(context.home);
    if (event.type === "run.output" && event.runId === runId) {
      (event.stream === "stderr" ? context.stderr : context.stdout).write(event.text);
    } else if (event.type === "run.finished" && event.run.id === runId) {
      return event.run;
    }
  }
}

/** `Run r_… failed (exit 1) after 0.2s` — what the user most wants to know, in one line. */
export function runSummary(run: Run): string {
  const details = [
    run.exitCode !== null ? `exit ${run.exitCode}` : null,
    run.signal ? `signal ${run.signal}` : null,
    run.error,
  ].filter(Boolean);
  const status = run.status.replace("_", " ");
  return `Run ${run.id} ${status}${details.length ? ` (${details.join(", ")})` : ""}${run.durationMs !== null ? ` after ${formatRunDuration(run.durationMs)}` : ""}`;
}

export async function logsCommand(context: CliContext, runId: string, options: { follow?: boolean }): Promise<void> {
  const client = context.client();
  if (!options.follow) {
    const log = await client.runLog(runId);
    context.stdout.write(log.text);
    return;
  }
  const stream = await client.events();
  try {
    const log = await client.runLog(runId);
    context.stdout.write(log.text);
    if (!log.running) return;
    // Output that arrived while the log was being read may already be in it: skip the
    // buffered events whose text the log ends with.
    const buffered = stream.takeBuffered();
    const outputs = buffered.flatMap((event) => (event.type === "run.output" && event.runId === runId ? [event.text] : []));
    let covered = outputs.length;
    while (covered > 0 && !log.text.endsWith(outputs.slice(0, covered).join(""))) covered--;
    const finishedEarly = buffered.find((event) => event.type === "run.finished" && event.run.id === runId);
    for (const event of buffered) {
      if (event.type !== "run.output" || event.runId !== runId) continue;
      if (covered > 0) {
        covered--;
        continue;
      }
      (event.stream === "stderr" ? context.stderr : context.stdout).write(event.text);
    }
    const finished = finishedEarly?.type === "run.finished" ? finishedEarly.run : await followRun(context, stream, runId);
    println(context.stderr, runSummary(finished));
  } finally {
    stream.close();
  }
}

export async function historyCommand(context: CliContext, ref: string | undefined, options: { limit?: string; json?: boolean }): Promise<void> {
  let limit: number | undefined;
  if (options.limit !== undefined) {
    if (!/^\s*\d+\s*$/.test(options.limit) || Number(options.limit) < 1) throw new CliInputError([`--limit: "${options.limit}" must be a whole number above zero`]);
    limit = Number(options.limit);
  }
  // The service resolves the job, and also accepts the id of a removed job (its runs stay).
  const runs = await context.client().history({ ...(ref !== undefined ? { job: ref } : {}), ...(limit ? { limit } : {}) });
  if (options.json) return printJson(context.stdout, runs);
  if (runs.length === 0) {
    println(context.stdout, ref !== undefined ? `No runs of "${ref}" yet.` : "No runs yet.");
    return;
  }
  const rows = runs.map((run) => {
    const when = run.startedAt ?? run.scheduledAt ?? run.endedAt;
    return [
      when ? formatWallTime(new Date(when)) : "-",
      run.id,
      run.jobName,
      run.status + (run.missedCount && run.missedCount > 1 ? ` ×${run.missedCount}` : ""),
      run.reason + (run.attempt > 1 ? ` #${run.attempt}` : ""),
      run.exitCode === null ? "-" : String(run.exitCode),
      formatRunDuration(run.durationMs),
    ];
  });
  println(context.stdout, renderTable(["STARTED", "RUN", "JOB", "STATUS", "REASON", "EXIT", "DURATION"], rows));
}

export async function statusCommand(context: CliContext, options: { json?: boolean }): Promise<void> {
  const status = await context.client().status();
  if (options.json) return printJson(context.stdout, status);
  const now = context.now();
  const lines = [
    `Sundial ${status.version} is running on ${status.home} (pid ${status.pid}), started ${formatSpan(now.getTime() - Date.parse(status.startedAt))} ago`,
    `Jobs: ${status.jobs}${status.pausedJobs ? ` (${status.pausedJobs} paused)` : ""}`,
  ];
  if (status.allPaused) lines.push(`All jobs paused${status.pausedUntil ? ` until ${formatWallTime(new Date(status.pausedUntil))}` : ""}`);
  if (status.nextRun) {
    const at = new Date(status.nextRun.at);
    lines.push(`Next run: "${status.nextRun.jobName}" ${formatWallTime(at)} (${formatLeft(at, now)})`);
  }
  lines.push(`Running: ${status.runningRuns.length === 0 ? "nothing" : ""}`);
  for (const run of status.runningRuns) {
    lines.push(`  ${run.id} "${run.jobName}" started ${run.startedAt ? formatAgo(new Date(run.startedAt), now) : "just now"}`);
  }
  for (const warning of status.warnings) lines.push(`Warning: ${warning}`);
  for (const line of lines) println(context.stdout, line.trimEnd());
}
