/**
 * Importing a crontab (issue 17): what a face sends (`CrontabImportRequest`) and the plan the
 * engine answers with (`CrontabPlan`), shown as a table by the CLI's `--dry-run` and by the
 * UI's "Import from crontab" preview before anything is stored. Zod-free: the renderer
 * bundles it. The parser is the engine's (`electron/core/interop/crontab-import.ts`).
 */
import type { JobInput, TriggerSpec } from "./schemas.js";

export interface CrontabImportRequest {
  /** The crontab's text, as `crontab -l` prints it. */
  text: string;
  /**
   * A name an existing job already has: true (default) imports it as `name-2` (the plan says
   * so); false refuses the import, naming each clash.
   */
  rename?: boolean;
  /** Lines the import cannot take are left out instead of refusing the whole import. */
  skipUnsupported?: boolean;
}

/** One job the import would add: from one crontab line, or several with the same name and command. */
export interface CrontabPlanEntry {
  /** The crontab lines (1-based) this job comes from. */
  lines: number[];
  name: string;
  /** The name the crontab gave (or that was made from the command) when it had to change. */
  renamedFrom?: string;
  triggers: TriggerSpec[];
  /** The command as Sundial stores it (`%` stdin turned into a `printf … |`). */
  command: string;
  /** What the user should know about this job: stdin from `%`, a rename, a cron feature without an equivalent. */
  notes: string[];
  /** The job as the import would add it. */
  job: JobInput & { triggers: TriggerSpec[] };
}

/** A crontab line the import cannot take, and why. */
export interface CrontabUnsupportedLine {
  line: number;
  text: string;
  reason: string;
}

export interface CrontabPlan {
  jobs: CrontabPlanEntry[];
  unsupported: CrontabUnsupportedLine[];
  /** Settings of the whole crontab with no Sundial equivalent (MAILTO, RANDOM_DELAY), each naming its line. */
  notes: string[];
  /** Names that clash with existing jobs when renaming was refused (`rename: false`); the import is refused. */
  clashes: string[];
}

/** Whether the import would go ahead with this plan (nothing unsupported, or the user skips it; no refused clash). */
export function crontabPlanIsImportable(plan: CrontabPlan, skipUnsupported: boolean): boolean {
  return plan.clashes.length === 0 && (plan.unsupported.length === 0 || skipUnsupported) && plan.jobs.length > 0;
}
