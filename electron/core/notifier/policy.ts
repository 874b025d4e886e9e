/**
 * Which finished runs raise a notification, and what it says. Pure functions: the run
 * launcher decides with `shouldNotify` and hands `buildRunNotification`'s result to a Notifier.
 */
import { formatRunDuration } from "../../shared/wording.js";
import type { NotifyPolicy, Run, RunStatus } from "../../shared/schemas.js";
import { isFailure } from "../../shared/run-statuses.js";
import type { RunNotification } from "./notifier.js";

/**
 * Statuses never notified, whatever the policy: `running` is not finished, and `skipped` is the
 * overlap policy doing its job (a every-minute job that overlaps would notify every minute).
 *
 * `missed` notifies only under `always`: it follows from the user's own catch-up choice after
 * the machine slept or Sundial was closed, nothing failed, and anacron/systemd stay quiet too.
 * A `cancelled` run was stopped by the user (or replaced), so only `always` reports it.
 */
const NEVER_NOTIFIED: ReadonlySet<RunStatus> = new Set(["running", "skipped", "waiting"]);

/** A job's own notify policy, or the `default-notify` setting for a job that sets none. */
export function notifyPolicyOf(job: { notify?: NotifyPolicy | undefined }, defaultPolicy: NotifyPolicy): NotifyPolicy {
  return job.notify ?? defaultPolicy;
}

/** True when a run that ended in `status` should raise an OS notification. */
export function shouldNotify(policy: NotifyPolicy, status: RunStatus, globalEnabled: boolean): boolean {
  if (!globalEnabled || NEVER_NOTIFIED.has(status)) return false;
  switch (policy) {
    case "never":
      return false;
    case "always":
      return true;
    case "failure":
      return isFailure(status);
  }
}

/** Output lines shown under the summary; a notification bubble has room for little more. */
const TAIL_LINES = 3;
const TAIL_LINE_CHARS = 120;

/**
 * Names the job, the outcome, the exit code (or signal) and the duration, then the last
 * lines of output: title "backup failed", message "Exit code 3 after 12s\n<last 3 lines>".
 */
export function buildRunNotification(job: { id: string; name: string }, run: Run, tail: string): RunNotification {
  const summary = describeOutcome(run);
  const lines = lastLines(tail);
  return {
    title: `${job.name} ${OUTCOME_WORDS[run.status]}`,
    message: lines ? `${summary}\n${lines}` : summary,
    jobId: job.id,
    runId: run.id,
  };
}

const OUTCOME_WORDS: Record<RunStatus, string> = {
  running: "is running",
  succeeded: "succeeded",
  failed: "failed",
  timed_out: "timed out",
  cancelled: "was cancelled",
  interrupted: "was interrupted",
  spawn_error: "could not start",
  skipped: "was skipped",
  missed: "missed runs",
  waiting: "is waiting",
};

function describeOutcome(run: Run): string {
  const after = run.durationMs === null ? "" : ` after ${formatRunDuration(run.durationMs)}`;
  const exit = run.exitCode !== null ? `exit code ${run.exitCode}` : run.signal ? `killed by ${run.signal}` : null;
  switch (run.status) {
    case "succeeded":
    case "failed":
      return `${capitalize(exit ?? "finished")}${after}`;
    case "timed_out":
      return `Stopped at its timeout${after}${exit ? ` (${exit})` : ""}`;
    case "cancelled":
      return `Cancelled${after}${run.error && run.error !== "cancelled" ? `: ${run.error}` : ""}`;
    case "spawn_error":
      return capitalize(run.error ?? "the command could not be started");
    case "interrupted":
      return capitalize(run.error ?? "Sundial stopped while it was running");
    case "missed": {
      const count = run.missedCount ?? 1;
      return `${count} scheduled run${count === 1 ? "" : "s"} did not happen${run.error ? `: ${run.error}` : ""}`;
    }
    case "skipped":
    case "running":
    case "waiting":
      return capitalize(run.error ?? OUTCOME_WORDS[run.status]);
  }
}

/** Terminal colour codes and control characters mean nothing in a notification. */
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x08\x0b-\x1f\x7f]/g;

function lastLines(tail: string): string {
  const lines = tail
    .replace(ANSI_SEQUENCE, "")
    .split(/\r?\n/)
    .map((line) => line.replace(CONTROL_CHARACTERS, "").trimEnd())
    .filter((line) => line.trim() !== "");
  return lines
    .slice(-TAIL_LINES)
    .map((line) => (line.length > TAIL_LINE_CHARS ? `${line.slice(0, TAIL_LINE_CHARS - 1)}…` : line))
    .join("\n");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
