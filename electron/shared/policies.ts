/**
 * The job policies' values, defined once (STYLE.md rules 5 and 13). Plain `as const` lists,
 * no zod: the zod schemas (schemas.ts), the CLI's options and help (which should not load
 * zod to parse an option) and the renderer's selects (which must not bundle zod) all read
 * these, so a value added here is accepted, offered and documented everywhere at once.
 */

/** What to do when a run is due while the previous one is still running. */
export const OVERLAP_POLICIES = ["skip", "queue", "parallel", "replace"] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
export const DEFAULT_OVERLAP_POLICY: OverlapPolicy = "skip";

/** What to do with runs missed while the engine was not running (or the machine slept). */
export const CATCH_UP_POLICIES = ["skip", "once", "all"] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];
/** Like systemd `Persistent=true` and anacron: one run for what was missed. */
export const DEFAULT_CATCH_UP_POLICY: CatchUpPolicy = "once";

/** When to raise an OS notification for a finished run. */
export const NOTIFY_POLICIES = ["failure", "always", "never"] as const;
export type NotifyPolicy = (typeof NOTIFY_POLICIES)[number];
export const DEFAULT_NOTIFY_POLICY: NotifyPolicy = "failure";

/** How each notify policy reads in a select (the editor's Notify, Settings' default). */
export const NOTIFY_POLICY_LABELS: Readonly<Record<NotifyPolicy, string>> = {
  failure: "When a run fails",
  always: "After every run",
  never: "Never",
};

/** What a run due while its job's conditions do not hold does (issue 15): recorded skipped, or waits for them. */
export const WHEN_UNMET_POLICIES = ["skip", "wait"] as const;
export type WhenUnmetPolicy = (typeof WHEN_UNMET_POLICIES)[number];
export const DEFAULT_WHEN_UNMET_POLICY: WhenUnmetPolicy = "skip";
