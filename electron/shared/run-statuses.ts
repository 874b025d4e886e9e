/**
 * Run statuses and reasons, and which statuses count as a failure, defined once. Plain
 * `as const` lists (no zod), so the engine, the notifier, the tray, the CLI and the renderer
 * all read the same sets; schemas.ts builds its zod enums from them.
 */

/** Every status a run record can have (DESIGN.md "Run statuses"). */
export const RUN_STATUSES = ["running", "succeeded", "failed", "timed_out", "cancelled", "interrupted", "spawn_error", "skipped", "missed", "waiting"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * Why a run started: its time came (`schedule`), Run now (`manual`), a missed slot
 * (`catch-up`), a retry, or an event trigger: the engine started (`startup`), the computer
 * woke (`wake`), a watched path changed (`watch`), another job's run ended (`after`).
 */
export const RUN_REASONS = ["schedule", "manual", "catch-up", "retry", "startup", "wake", "watch", "after"] as const;
export type RunReason = (typeof RUN_REASONS)[number];

/**
 * A run due while its job's conditions do not hold, under `whenUnmet: "wait"` (issue 15): it
 * is recorded `waiting` (its `error` says what it waits for) and becomes `running` under the
 * same id when they hold, or `skipped` when its wait is over.
 */
export const WAITING_STATUS = "waiting" satisfies RunStatus;

/** The reasons of runs an event trigger started (the event sources' runs). */
export const EVENT_RUN_REASONS = ["startup", "wake", "watch", "after"] as const satisfies readonly RunReason[];
export type EventRunReason = (typeof EVENT_RUN_REASONS)[number];

/** Whether a run was started by an event trigger rather than the clock or a person. */
export function isEventReason(reason: RunReason): reason is EventRunReason {
  return (EVENT_RUN_REASONS as readonly RunReason[]).includes(reason);
}

/** Statuses a run ends in. */
export const FINISHED_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter((status) => status !== "running" && status !== WAITING_STATUS);

/**
 * Statuses that mean something went wrong: notified under the default `failure` policy and
 * shown as a failed last run by the tray. A user's cancel, a skip or a missed slot is not one.
 */
export const FAILURE_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(["failed", "timed_out", "spawn_error", "interrupted"]);

/**
 * The failures a job's retry policy answers. `interrupted` is a failure but is not retried:
 * Sundial itself stopped (or died) while it ran, and the next start is not the moment to rerun it.
 */
export const RETRIED_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>([...FAILURE_STATUSES].filter((status) => status !== "interrupted"));

/** True when a run that ended in `status` failed (see FAILURE_STATUSES). */
export function isFailure(status: RunStatus): boolean {
  return FAILURE_STATUSES.has(status);
}
