/** `list` and `show`: jobs as people read them (or as JSON for scripts). */
import { formatDuration } from "../../shared/duration.js";
import type { JobView } from "../../shared/schemas.js";
import { printJson, println, type CliContext } from "./context.js";
import { formatOffset, systemTimeZone } from "../../shared/civil-time.js";
import { formatWallTime, renderTable } from "./format.js";
import {
  AGENDA_EMPTY_WORDS,
  agendaDayWords,
  agendaMoreWords,
  ALERT_KIND_LABELS,
  alertRulesInWords,
  conditionsInWords,
  formatRelative,
  formatRunDuration,
  openAlertLine,
  statsInWords,
  statusWithReason,
  waitingForWords,
} from "../../shared/wording.js";
import { AGENDA_RUNS_PER_JOB_PER_DAY, MAX_AGENDA_DAYS, type AgendaRequest } from "../../shared/contract.js";
import { formatInZone, isValidTimeZone, parseDateTime } from "../../shared/civil-time.js";
import { describeJobSchedule, jobNamesById } from "./schedule.js";
import { eventOnlyNextWords, problemStopsJob } from "../../shared/trigger-kinds.js";
import { maskUrl, withMaskedSecrets } from "../../shared/secrets.js";
import { DESKTOP_CHANNEL } from "../../shared/channels.js";
import { CliInputError } from "../../shared/errors.js";
import { hasTag, tagProblem } from "../../shared/tags.js";

/**
 * Where a job stands: running, broken, finished, paused, waiting for its conditions (with
 * what it waits for), or how its last run ended (a skip with its reason); "new" before its
 * first run.
 */
export function jobState(job: JobView, allPaused = false): string {
  if (job.runningRunIds.length > 0) return "running";
  // Falsy as well when an older engine leaves the field out.
  // A problem in one event trigger (a watched folder gone) leaves the others running.
  if (job.problem) return problemStopsJob(job) ? "broken" : "problem";
  // Before finished: a one-off job's last run may still be waiting for its conditions.
  if (job.waiting) return statusWithReason(job.waiting.run);
  if (job.finished) return "finished";
  if (job.paused || allPaused) return "paused";
  return job.lastRun ? statusWithReason(job.lastRun) : "new";
}

export async function listCommand(context: CliContext, options: { json?: boolean; tag?: string }): Promise<void> {
  const tag = options.tag?.trim();
  const tagIssue = tag === undefined ? null : tagProblem(tag);
  if (tagIssue) throw new CliInputError([`--tag: ${tagIssue}`]);
  const client = context.client();
  const [all, status] = await Promise.all([client.listJobs(), client.status()]);
  const jobs = tag === undefined ? all : all.filter((job) => hasTag(job, tag));
  // Ping URLs may hold a token: masked here as everywhere (sundial export --include-secrets has them).
  if (options.json) return printJson(context.stdout, jobs.map(withMaskedSecrets));
  const now = context.now();
  const names = jobNamesById(all);
  // The TAGS column only where a job has tags: a home without them reads as before.
  const withTags = jobs.some((job) => (job.tags ?? []).length > 0);
  const offsetMinutes = -now.getTimezoneOffset();
  // The engine runs beside us, usually in the same zone: its name saves asking ICU (~9 ms).
  const zoneName = status.timeZone?.utcOffsetMinutes === offsetMinutes ? status.timeZone.name : systemTimeZone();
  const sorted = [...jobs].sort((a, b) => timeOf(a.nextRunAt) - timeOf(b.nextRunAt) || compareNames(a.name, b.name));
  const rows = sorted.map((job) => {
    const next = job.nextRunAt ? new Date(job.nextRunAt) : null;
    const last = job.lastRun?.startedAt ?? job.lastRun?.endedAt ?? null;
    return [
      next ? formatWallTime(next) : (eventOnlyNextWords(job.triggers, { jobName: names }) ?? (job.triggers.length === 0 ? "manual" : "-")),
      next ? formatRelative(next.getTime(), now.getTime()) : "-",
      last ? formatRelative(Date.parse(last), now.getTime()) : "-",
      jobState(job, status.allPaused),
      job.name,
      describeJobSchedule(job.triggers, names, zoneName),
      ...(withTags ? [(job.tags ?? []).join(", ")] : []),
    ];
  });
  println(context.stdout, renderTable(["NEXT", "LEFT", "LAST", "STATUS", "NAME", "SCHEDULE", ...(withTags ? ["TAGS"] : [])], rows), "lines");
  println(context.stdout);
  const zone = `${zoneName}, ${formatOffset(offsetMinutes * 60_000)}`;
  const tagged = tag === undefined ? "" : ` with tag "${tag}"`;
  println(context.stdout, `${jobs.length} job${jobs.length === 1 ? "" : "s"}${tagged} listed. Times are local (${zone}).`);
  if (status.allPaused) {
    println(context.stdout, `All jobs are paused${status.pausedUntil ? ` until ${formatWallTime(new Date(status.pausedUntil))}` : ""} (sundial resume --all).`);
  }
}

/**
 * Names in a stable order without ICU's collator (loading it costs a CLI call ~5 ms): case
 * folded first, then as written.
 */
function compareNames(a: string, b: string): number {
  const [foldedA, foldedB] = [a.toLowerCase(), b.toLowerCase()];
  if (foldedA !== foldedB) return foldedA < foldedB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function timeOf(iso: string | null): number {
  return iso ? Date.parse(iso) : Number.POSITIVE_INFINITY;
}

/** How many of a job's alerts `show` lists. */
const RECENT_ALERTS = 10;

/** `show --json` is the job (JobView) with its stats (JobStats) under `stats`. */
export async function showCommand(context: CliContext, ref: string, options: { json?: boolean }): Promise<void> {
  const job = await context.client().getJob(ref);
  const stats = await context.client().jobStats(job.id);
  if (options.json) return printJson(context.stdout, { ...withMaskedSecrets(job), stats });
  const now = context.now();
  const next = job.nextRunAt ? new Date(job.nextRunAt) : null;
  const last = job.lastRun;
  // An `after` trigger holds its parent's id: its words name the parent.
  const names = job.triggers.some((trigger) => trigger.type === "after") ? jobNamesById(await context.client().listJobs()) : undefined;
  const lines: [string, string][] = [
    ["Job", `${job.id} "${job.name}"`],
    ["Status", jobState(job)],
    ...(job.problem ? [["Problem", job.problem] as [string, string]] : []),
    ["Schedule", describeJobSchedule(job.triggers, names)],
    ["Conditions", conditionsInWords(job.conditions, job.whenUnmet, job.waitUpToSeconds).join(", ") || "none (every due run starts)"],
    ...(job.waiting
      ? [["Waiting", `run ${job.waiting.run.id}, ${waitingForWords(job.waiting.run)}, since ${job.waiting.run.endedAt ? formatWallTime(new Date(job.waiting.run.endedAt), undefined, true) : "-"}${job.waiting.until ? `; skipped if still so at ${formatWallTime(new Date(job.waiting.until), undefined, true)}` : ""}`] as [string, string]]
      : []),
    ["Next run", next ? `${formatWallTime(next, undefined, true)} (${formatRelative(next.getTime(), now.getTime())})` : "-"],
    [
      "Last run",
      last
        ? `${last.id} ${statusWithReason(last)}${last.exitCode !== null ? ` (exit ${last.exitCode})` : ""}, ${last.startedAt ? formatRelative(Date.parse(last.startedAt), now.getTime()) : "not started"}, ${formatRunDuration(last.durationMs, "-")}`
        : "-",
    ],
    ["Command", job.command],
    ["Folder", job.cwd ?? "(home folder)"],
    ...(job.shell ? [["Shell", job.shell] as [string, string]] : []),
    ["Environment", Object.entries(job.env).map(([key, value]) => `${key}=${value}`).join(" ") || "-"],
    ["Timeout", job.timeoutSeconds ? formatDuration(job.timeoutSeconds) : "none"],
    ["Overlap", job.overlap],
    ["Catch-up", job.catchUp],
    ["Retries", job.retries.count ? `${job.retries.count}, ${formatDuration(job.retries.delaySeconds) || "0s"} apart` : "none"],
    ["Notify", job.notify ?? "the default (sundial settings get default-notify)"],
    ["Alerts", alertRulesInWords(job.alerts ?? {}).join("; ") || "none of its own (sundial settings: default-alert-after, default-alert-recovered)"],
    ...(job.openAlert ? [["Open alert", openAlertLine(job.name, job.openAlert, now.getTime())] as [string, string]] : []),
    ["Channels", job.channels?.join(", ") ?? `${DESKTOP_CHANNEL} (the default)`],
    ["Ping URL", job.pingUrl !== undefined ? maskUrl(job.pingUrl) : "none"],
    ["Tags", (job.tags ?? []).join(", ") || "none"],
    ["Stats", statsInWords(stats)],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) println(context.stdout, `${`${label}:`.padEnd(width + 2)}${value}`);
  const alerts = await context.client().listAlerts({ job: job.id, limit: RECENT_ALERTS });
  if (alerts.length === 0) return;
  println(context.stdout);
  println(context.stdout, "Recent alerts (newest first):");
  const rows = alerts.map((alert) => [formatWallTime(new Date(alert.at)), ALERT_KIND_LABELS[alert.kind], alert.title]);
  println(context.stdout, renderTable(["WHEN", "KIND", "ALERT"], rows), "lines");
}


/**
 * `sundial agenda [--days N] [--from DATETIME] [--tz ZONE]`: every job's runs to come, a
 * heading per day. Bad options are said all at once (exit 2), before the engine is asked.
 */
export async function agendaCommand(context: CliContext, options: { days?: string; from?: string; tz?: string; json?: boolean }): Promise<void> {
  const problems: string[] = [];
  const request: AgendaRequest = {};
  if (options.days !== undefined) {
    const days = Number(options.days);
    if (!/^\s*\d+\s*$/.test(options.days) || days < 1 || days > MAX_AGENDA_DAYS) problems.push(`--days: "${options.days}" must be a whole number from 1 to ${MAX_AGENDA_DAYS}`);
    else request.days = days;
  }
  const zoneValid = options.tz === undefined || isValidTimeZone(options.tz);
  if (!zoneValid) problems.push(`--tz: unknown time zone "${options.tz}"`);
  else if (options.tz !== undefined) request.timezone = options.tz;
  if (options.from !== undefined && zoneValid) {
    try {
      request.from = new Date(parseDateTime(options.from, options.tz ?? systemTimeZone())).toISOString();
    } catch (error) {
      problems.push(`--from: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new CliInputError(problems);
  const agenda = await context.client().agenda(request);
  if (options.json) return printJson(context.stdout, agenda);
  // "Today" is today's date in the agenda's zone, whatever --from says.
  const today = formatInZone(context.now(), agenda.timezone).slice(0, 10);
  const now = context.now().getTime();
  let total = 0;
  for (const day of agenda.days) {
    println(context.stdout, agendaDayWords(day.date, today));
    if (day.runs.length === 0) println(context.stdout, "  -");
    const rows = day.runs.map((run) => {
      const at = new Date(run.at);
      return [
        `  ${formatWallTime(at, agenda.timezone).slice(-8, -3)}`,
        at.getTime() > now ? formatRelative(at.getTime(), now) : "",
        run.jobName,
        run.jobZone ? `(${formatWallTime(at, run.jobZone).slice(-8, -3)} ${run.jobZone})` : "",
      ];
    });
    if (rows.length > 0) println(context.stdout, renderTable(["", "", "", ""], rows).split("\n").slice(1).join("\n"), "lines");
    for (const more of day.more) println(context.stdout, `  … ${agendaMoreWords(more.jobName, AGENDA_RUNS_PER_JOB_PER_DAY)}`);
    total += day.runs.length;
  }
  println(context.stdout);
  if (total === 0) println(context.stdout, AGENDA_EMPTY_WORDS);
  const status = await context.client().status();
  println(context.stdout, `${total} run${total === 1 ? "" : "s"} in ${agenda.days.length} day${agenda.days.length === 1 ? "" : "s"}. Times are in ${agenda.timezone}.`);
  if (status.allPaused) println(context.stdout, `All jobs are paused${status.pausedUntil ? ` until ${formatWallTime(new Date(status.pausedUntil))}` : ""}: no run is listed before then (sundial resume --all).`);
}
