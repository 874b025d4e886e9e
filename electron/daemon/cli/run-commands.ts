/** `run`, `cancel`, `history`, `logs`, `status`: runs and the running instance. */
import type { Run } from "../../shared/schemas.js";
import type { EventStream } from "../client.js";
import { CliInputError, ConnectionLostError } from "../../shared/errors.js";
import { printJson, println, writeRunOutput, type CliContext } from "./context.js";
import { formatWallTime, renderTable } from "./format.js";
import { DELETED_JOB_MARK, formatRelative, openAlertLine, formatRunDuration, reasonLabel, runJobLabel, statusWithReason } from "../../shared/wording.js";
import { EXIT } from "../../shared/exit-codes.js";
import { joinCommand } from "./job-options.js";
import { healthWords } from "./channel-commands.js";
import type { EngineStatus } from "../../shared/contract.js";

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
  // Ctrl-C stops the waiting, never the run (it belongs to the engine): listened for from
  // before the run starts, so the message below can always name it.
  let interrupt = (): void => undefined;
  const interrupted = new Promise<"interrupted">((resolve) => (interrupt = () => resolve("interrupted")));
  const stopListening = context.onInterrupt?.(() => interrupt()) ?? (() => undefined);
  try {
    const started = await client.runNow(ref);
    println(context.stderr, `Started run ${started.id} of "${started.jobName}"`);
    const dropped = { count: 0 };
    const following = followRun(context, stream, started.id, dropped);
    // Closing the stream below ends the follow with a lost connection: nobody is waiting for it.
    following.catch(() => undefined);
    const finished = await Promise.race([interrupted, following]);
    if (finished === "interrupted") {
      for (const line of detachedLines(context, started)) println(context.stderr, line);
      return EXIT.interrupted;
    }
    if (dropped.count > 0) println(context.stderr, droppedNote(dropped.count, finished.id));
    println(context.stderr, runSummary(finished));
    return finished.status === "succeeded" ? 0 : 1;
  } finally {
    stopListening();
    stream.close();
  }
}

/** Said on Ctrl-C during `run --wait`: the run goes on, and how to follow or cancel it. */
function detachedLines(context: CliContext, run: Run): string[] {
  const command = (...words: string[]) => joinCommand(["sundial", ...words, ...(context.homeGiven ? ["--home", context.home] : [])]);
  return [
    // The terminal echoed "^C" without a newline.
    ...(context.stderr.isTTY ? [""] : []),
    `Stopped waiting. Run ${run.id} of "${run.jobName}" goes on in Sundial.`,
    `  Follow it: ${command("logs", run.id, "--follow")}`,
    `  Cancel it: ${command("cancel", run.id)}`,
  ];
}

/** `sundial cancel RUN`: stops a running run's process tree and waits until it is recorded. */
export async function cancelCommand(context: CliContext, runId: string): Promise<void> {
  const run = await context.client().cancelRun(runId);
  println(context.stdout, runSummary(run));
}

/**
 * Prints a run's live output until its `run.finished` event, which it returns. Output events
 * the engine dropped because we read too slowly are counted in `dropped` (the run's log has them).
 */
async function followRun(context: CliContext, stream: EventStream, runId: string, dropped: { count: number }): Promise<Run> {
  for (;;) {
    const { value: event, done } = await stream.next();
    if (done) throw new ConnectionLostError(context.home);
    if (event.type === "stream.dropped" && event.runIds.includes(runId)) {
      dropped.count += event.count;
    } else if (event.type === "run.output" && event.runId === runId) {
      writeRunOutput(event.stream === "stderr" ? context.stderr : context.stdout, event.text);
    } else if (event.type === "run.finished" && event.run.id === runId) {
      return event.run;
    }
  }
}

/** Said when output was skipped, so a shortened output is never taken for the whole of it. */
function droppedNote(count: number, runId: string): string {
  return `(${count} output event${count === 1 ? "" : "s"} dropped: the output came faster than it was read; see \`sundial logs ${runId}\`)`;
}

/** `Run r_… failed (exit 1) after 0.2 s` — what the user most wants to know, in one line. */
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
  // On stderr, so that stdout stays exactly what the run printed.
  const run = await client.getRun(runId);
  if (run.jobDeleted) println(context.stderr, `Run ${run.id} of "${run.jobName}" (${DELETED_JOB_MARK})`);
  if (!options.follow) {
    const log = await client.runLog(runId);
    writeRunOutput(context.stdout, log.text);
    return;
  }
  const stream = await client.events();
  try {
    const log = await client.runLog(runId);
    writeRunOutput(context.stdout, log.text);
    if (!log.running) return;
    // Output that arrived while the log was being read may already be in it: skip the
    // buffered events whose text the log ends with.
    const buffered = stream.takeBuffered();
    const outputs = buffered.flatMap((event) => (event.type === "run.output" && event.runId === runId ? [event.text] : []));
    let covered = outputs.length;
    while (covered > 0 && !log.text.endsWith(outputs.slice(0, covered).join(""))) covered--;
    const finishedEarly = buffered.find((event) => event.type === "run.finished" && event.run.id === runId);
    const dropped = { count: 0 };
    for (const event of buffered) {
      if (event.type === "stream.dropped" && event.runIds.includes(runId)) dropped.count += event.count;
      if (event.type !== "run.output" || event.runId !== runId) continue;
      if (covered > 0) {
        covered--;
        continue;
      }
      writeRunOutput(event.stream === "stderr" ? context.stderr : context.stdout, event.text);
    }
    const finished = finishedEarly?.type === "run.finished" ? finishedEarly.run : await followRun(context, stream, runId, dropped);
    if (dropped.count > 0) println(context.stderr, droppedNote(dropped.count, runId));
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
      runJobLabel(run),
      statusWithReason(run) + (run.missedCount && run.missedCount > 1 ? ` ×${run.missedCount}` : ""),
      reasonLabel(run.reason) + (run.attempt > 1 ? ` #${run.attempt}` : ""),
      run.exitCode === null ? "-" : String(run.exitCode),
      formatRunDuration(run.durationMs, "-"),
    ];
  });
  println(context.stdout, renderTable(["STARTED", "RUN", "JOB", "STATUS", "REASON", "EXIT", "DURATION"], rows), "lines");
}

export async function statusCommand(context: CliContext, options: { json?: boolean }): Promise<void> {
  const status = await context.client().status();
  if (options.json) return printJson(context.stdout, status);
  const now = context.now();
  const lines = [
    `Sundial ${status.version} is running on ${status.home} (pid ${status.pid}), started ${formatRelative(Date.parse(status.startedAt), now.getTime())}`,
    `Jobs: ${status.jobs}${status.pausedJobs ? ` (${status.pausedJobs} paused)` : ""}`,
  ];
  if (status.allPaused) lines.push(`All jobs paused${status.pausedUntil ? ` until ${formatWallTime(new Date(status.pausedUntil))}` : ""}`);
  if (status.nextRun) {
    const at = new Date(status.nextRun.at);
    lines.push(`Next run: "${status.nextRun.jobName}" ${formatWallTime(at)} (${formatRelative(at.getTime(), now.getTime())})`);
  }
  lines.push(`Running: ${status.runningRuns.length === 0 ? "nothing" : ""}`);
  for (const run of status.runningRuns) {
    lines.push(`  ${run.id} "${run.jobName}" started ${run.startedAt ? formatRelative(Date.parse(run.startedAt), now.getTime()) : "just now"}`);
  }
  const openAlerts = status.openAlerts ?? [];
  if (openAlerts.length > 0) lines.push("Alerts:");
  for (const open of openAlerts) lines.push(`  ${openAlertLine(open.jobName, open.alert, now.getTime())}`);
  for (const warning of status.warnings) lines.push(`Warning: ${warning}`);
  lines.push(...deliveryLines(status, now.getTime()));
  for (const line of lines) println(context.stdout, line.trimEnd());
}

/**
 * Channels and ping URLs in `status`: one line each for those added, so a broken one is seen
 * (`Channel "hook": failing: connection refused (1 min ago), 2 waiting`). Older engines send none.
 */
function deliveryLines(status: EngineStatus, now: number): string[] {
  const channels = (status.channels ?? []).filter((channel) => channel.type !== "desktop");
  const pings = status.pings ?? [];
  const failing = channels.filter((channel) => channel.health.state === "failing").length + pings.filter((ping) => ping.health.state === "failing").length;
  if (channels.length === 0 && pings.length === 0) return [];
  return [
    `Channels: ${channels.length}, ping URLs: ${pings.length}${failing > 0 ? ` (${failing} failing)` : ""}`,
    ...channels.map((channel) => `  channel "${channel.name}" (${channel.type}): ${healthWords(channel.health, now)}`),
    ...pings.map((ping) => `  ping URL of "${ping.jobName}" (${ping.url}): ${healthWords(ping.health, now)}`),
  ];
}
