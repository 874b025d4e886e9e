/**
 * The renderer's hash routes the shell links to (renderer/src/lib/state/router.svelte.ts:
 * `#/` the jobs list, `#/jobs/<id>` a job's detail with its runs and their logs).
 */
import type { RunNotification } from "../core/notifier/notifier.js";

export function jobHash(jobId: string): string {
  return `#/jobs/${encodeURIComponent(jobId)}`;
}

/**
 * Where a clicked notification leads: the job's detail, where its newest run (the one the
 * notification is about) and its log are shown. The renderer has no route for a single run.
 */
export function notificationHash(notification: Pick<RunNotification, "jobId" | "runId">): string {
  return jobHash(notification.jobId);
}
