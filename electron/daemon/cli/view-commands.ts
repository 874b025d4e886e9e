/** `list` and `show`: jobs as people read them (or as JSON for scripts). */
import { formatDuration } from "../../shared/duration.js";
import type { JobView } from "../../shared/schemas.js";
import { printJson, println, type CliContext } from "./context.js";
import { formatOffset, systemTimeZone } from "../../shared/civil-time.js";
import { formatWallTime, renderTable } from "./format.js";
import { ALERT_KIND_LABELS, alertRulesInWords, conditionsInWords, formatRelative, formatRunDuration, openAlertLine, statusWithReason, waitingForWords } from "../../shared/wording.js";
import { describeJobSchedule, jobNamesById } from "./schedule.js";
import { maskUrl, withMaskedSecrets } from "../../shared/secrets.js";
import { DESKTOP_CHANNEL } from "../../shared/channels.js";

/**
 * Where a job stands: running, broken, finished, paused, waiting for its conditions (with
 * what it waits for), or how its last run ended (a skip with its reason); "new" before its
 * first run.
 */
export function jobState(job: JobView, allPaused = false): string {
  if (job.runningRunIds.length > 0) return "running";
  // Falsy as well when an older engine leaves the field out.
  if (job.problem) return "broken";
  // Before finished: a one-off job's last run may still be waiting for its conditions.
  if (job.waiting) return statusWithReason(job.waiting.run);
  if (job.finished) return "finished";
  if (job.paused || allPaused) return "paused";
  return job.lastRun ? statusWithReason(job.lastRun) : "new";
}

export async function listCommand(context: CliContext, options: { json?: boolean }): Promise<void> {
  const client = context.client();
  const [jobs, status] = await Promise.all([client.listJobs(), client.status()]);
  // Ping URLs may hold a token: masked here as everywhere (sundial export --include-secrets has them).
  if (options.json) return printJson(context.stdout, jobs.map(withMaskedSecrets));
  const now = context.now();
  const names = jobNamesById(jobs);
  const offsetMinutes = -now.getTimezoneOffset();
  // The engine runs beside us, usually in the same zone: its name saves asking ICU (~9 ms).
  const zoneName = status.timeZone?.utcOffsetMinutes === offsetMinutes ? status.timeZone.name : systemTimeZone();
  const sorted = [...jobs].sort((a, b) => timeOf(a.nextRunAt) - timeOf(b.nextRunAt) || compareNames(a.name, b.name));
  const rows = sorted.map((job) => {
    const next = job.nextRunAt ? new Date(job.nextRunAt) : null;
    const last = job.lastRun?.startedAt ?? job.lastRun?.endedAt ?? null;
    return [
      next ? formatWallTime(next) : "-",
      next ? formatRelative(next.getTime(), now.getTime()) : "-",
      last ? formatRelative(Date.parse(last), now.getTime()) : "-",
      jobState(job, status.allPaused),
      job.name,
      describeJobSchedule(job.triggers, names, zoneName),
    ];
  });
  println(context.stdout, renderTable(["NEXT", "LEFT", "LAST", "STATUS", "NAME", "SCHEDULE"], rows), "lines");
  println(context.stdout);
  const zone = `${zoneName}, ${formatOffset(offsetMinutes * 60_000)}`;
  println(context.stdout, `${jobs.length} job${jobs.length === 1 ? "" : "s"} listed. Times are local (${zone}).`);
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

export async function showCommand(context: CliContext, ref: string, options: { json?: boolean }): Promise<void> {
  const job = await context.client().getJob(ref);
  if (options.json) return printJson(context.stdout, withMaskedSecrets(job));
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

