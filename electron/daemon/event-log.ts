/**
 * The daemon's log lines for engine events (`run r_… started: backup (schedule)`): what a
 * person tailing the daemon wants to see. Run output is not logged here (it has its own
 * log file per run).
 */
import type { SchedulerEvent } from "../shared/contract.js";
import type { Run } from "../shared/schemas.js";
import { waitingForWords } from "../shared/wording.js";

export function describeEvent(event: SchedulerEvent): string | null {
  switch (event.type) {
    case "run.started":
      return `run ${event.run.id} started: ${event.run.jobName} (${reasonWords(event.run)})`;
    case "run.finished":
      return `run ${event.run.id} ${event.run.status.replace("_", " ")}: ${event.run.jobName}${outcomeWords(event.run)}`;
    case "run.waiting":
      return `run ${event.run.id} waiting: ${event.run.jobName} (${reasonWords(event.run)}, ${waitingForWords(event.run)})`;
    case "job.added":
      return `job ${event.job.id} added: ${event.job.name}${event.job.nextRunAt ? `, next run ${event.job.nextRunAt}` : ""}`;
    case "job.updated":
      return `job ${event.job.id} updated: ${event.job.name}${event.job.paused ? " (paused)" : event.job.nextRunAt ? `, next run ${event.job.nextRunAt}` : ""}`;
    case "job.removed":
      return `job ${event.jobId} removed`;
    case "engine.paused":
      return `all jobs paused${event.pausedUntil ? ` until ${event.pausedUntil}` : ""}`;
    case "engine.resumed":
      return "all jobs resumed";
    case "engine.warning":
      return `warning: ${event.message}`;
    case "settings.changed":
      return "settings changed";
    case "alert.raised":
      return `alert ${event.alert.kind}${event.alert.jobName ? ` on ${event.alert.jobName}` : ""}: ${event.alert.title}`;
    case "run.output":
      return null;
  }
}

function reasonWords(run: Run): string {
  return run.attempt > 1 ? `${run.reason}, attempt ${run.attempt}` : run.reason;
}

function outcomeWords(run: Run): string {
  const parts = [
    run.exitCode !== null ? `exit ${run.exitCode}` : null,
    run.signal ? `signal ${run.signal}` : null,
    run.durationMs !== null ? `${(run.durationMs / 1000).toFixed(1)}s` : null,
    run.missedCount && run.missedCount > 1 ? `${run.missedCount} slots` : null,
    run.error,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}
