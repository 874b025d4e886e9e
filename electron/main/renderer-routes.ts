/**
 * The renderer's hash routes the shell links to (renderer/src/lib/state/router.svelte.ts:
 * `#/` the jobs list, `#/jobs/<id>` a job's detail with its runs and their logs).
 */
import type { RunNotification } from "../core/notifier/notifier.js";

/** Every raised alert, the missed-while-away summaries among them (issue 16). */
export const ALERTS_HASH = "#/alerts";

export function jobHash(jobId: string): string {
  return `#/jobs/${encodeURIComponent(jobId)}`;
}

/**
 * Where a clicked notification leads: the job's detail, where its newest run (the one the
 * notification is about) and its log are shown. The renderer has no route for a single run.
 */
export function notificationHash(notification: Pick<RunNotification, "jobId" | "runId" | "alert">): string {
  // The missed-while-away summary concerns several jobs: the alerts list names them.
  if (notification.alert?.kind === "missed-summary" || notification.jobId === "") return ALERTS_HASH;
  return jobHash(notification.jobId);
}
