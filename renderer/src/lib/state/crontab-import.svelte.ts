/**
 * The "Import from crontab" dialog's state (issue 17): the pasted text, the engine's plan for
 * it (the renderer never parses a crontab: the service does, as for the CLI), then the import.
 */
import { crontabPlanIsImportable, type CrontabPlan } from "../../../../electron/shared/crontab.js";
import type { JobView } from "../../../../electron/shared/schemas.js";
import type { SundialClient } from "../api.js";
import { issuesOf, messageOf } from "../errors.js";

export class CrontabImportState {
  text = $state("");
  /** Leave out the lines Sundial cannot take (the CLI's --skip-unsupported). */
  skipUnsupported = $state(false);
  /** Import a taken name as NAME-2 (off: the CLI's --no-rename). */
  rename = $state(true);
  plan = $state<CrontabPlan | null>(null);
  /** The text the plan was made for: an edit after the preview asks for a new one. */
  plannedText = $state<string | null>(null);
  busy = $state(false);
  error = $state<string[] | null>(null);

  readonly #client: Pick<SundialClient, "planCrontabImport" | "importCrontab">;

  constructor(client: Pick<SundialClient, "planCrontabImport" | "importCrontab">) {
    this.#client = client;
  }

  get planIsCurrent(): boolean {
    return this.plan !== null && this.plannedText === this.text;
  }

  /** Whether Import may be pressed: a current plan the engine would accept. */
  get canImport(): boolean {
    return !this.busy && this.planIsCurrent && crontabPlanIsImportable(this.plan!, this.skipUnsupported);
  }

  async preview(): Promise<void> {
    await this.#attempt(async () => {
      const text = this.text;
      this.plan = await this.#client.planCrontabImport({ text, rename: this.rename, skipUnsupported: this.skipUnsupported });
      this.plannedText = text;
    });
  }

  /** Imports the previewed text; the jobs added, or null when it was refused (see `error`). */
  async confirm(): Promise<JobView[] | null> {
    let added: JobView[] | null = null;
    await this.#attempt(async () => {
      added = await this.#client.importCrontab({ text: this.text, rename: this.rename, skipUnsupported: this.skipUnsupported });
    });
    return added;
  }

  async #attempt(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (error) {
      const issues = issuesOf(error);
      this.error = issues ? issues.map((issue) => `${issue.field}: ${issue.message}`) : [messageOf(error)];
    } finally {
      this.busy = false;
    }
  }
}
