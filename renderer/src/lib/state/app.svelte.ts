/**
 * The app's composition root: builds the states from one client and owns what crosses
 * views (the open editor, the delete confirmation, notices). Components get the pieces and
 * call back through `actions`.
 */
import type { JobView } from "../../../../electron/shared/schemas.js";
import type { SundialClient } from "../api.js";
import { messageOf } from "../errors.js";
import { Clock } from "./clock.svelte.js";
import { ConnectionState } from "./connection.svelte.js";
import { EditorState } from "./editor.svelte.js";
import { CrontabImportState } from "./crontab-import.svelte.js";
import { JobsState } from "./jobs.svelte.js";
import { Router } from "./router.svelte.js";
import { SettingsState } from "./settings.svelte.js";
import { followTimeFormat } from "../format.js";

/** What a job's buttons (in a row or on its page) can ask for. */
export interface JobActions {
  onrun(job: JobView): void;
  ontogglepause(job: JobView): void;
  onedit(job: JobView): void;
  onduplicate(job: JobView): void;
  ondelete(job: JobView): void;
}

/** A short message about the last action; errors stay until dismissed. */
export interface Notice {
  text: string;
  tone: "info" | "error";
}

const NOTICE_MS = 6000;

export class AppState {
  readonly client: SundialClient;
  readonly clock: Clock;
  readonly jobs: JobsState;
  readonly router: Router;
  readonly connection: ConnectionState;
  readonly settings: SettingsState;

  editor = $state<EditorState | null>(null);
  pendingDelete = $state<JobView | null>(null);
  /** The open "Import from crontab" dialog, or null. */
  crontabImport = $state<CrontabImportState | null>(null);
  notice = $state<Notice | null>(null);

  readonly actions: JobActions = {
    onrun: (job) => void this.runNow(job),
    ontogglepause: (job) => void this.togglePause(job),
    onedit: (job) => this.openEditor({ job }),
    onduplicate: (job) => this.openEditor({ copyOf: job }),
    ondelete: (job) => {
      this.pendingDelete = job;
    },
  };

  #noticeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(client: SundialClient, target: Window = window) {
    this.client = client;
    this.clock = new Clock();
    this.jobs = new JobsState(client);
    this.router = new Router(target);
    this.connection = new ConnectionState(client);
    this.settings = new SettingsState(client);
  }

  /** Starts the clock, the jobs feed and routing; returns stop. */
  start(): () => void {
    // Every time on the page follows the time-format setting from here on.
    followTimeFormat(() => this.settings.timeFormat);
    const stops = [this.connection.start(), this.clock.start(), this.router.start(), this.jobs.start(), this.settings.start(), this.#stopClockWhileOffline()];
    return () => {
      for (const stop of stops) stop();
      this.editor?.dispose();
    };
  }

  /**
   * With the engine gone, countdowns would run on toward runs nobody may start: the clock
   * stops (the page keeps the time it last knew) and ticks again once the feed is back.
   */
  #stopClockWhileOffline(): () => void {
    return this.client.onConnectionChange((status) => {
      if (status === "reconnecting") this.clock.stop();
      else if (status === "open") this.clock.start();
    });
  }

  openEditor(source: { job?: JobView; copyOf?: JobView } = {}): void {
    this.editor?.dispose();
    this.editor = new EditorState({ client: this.client, jobs: this.jobs.jobs, ...source });
  }

  openCrontabImport(): void {
    this.crontabImport = new CrontabImportState(this.client);
  }

  closeCrontabImport(): void {
    this.crontabImport = null;
  }

  /** Imports the dialog's previewed crontab; closes it and says how many jobs came in. */
  async confirmCrontabImport(): Promise<void> {
    const dialog = this.crontabImport;
    if (!dialog) return;
    const added = await dialog.confirm();
    if (!added || this.crontabImport !== dialog) return;
    for (const job of added) this.jobs.upsert(job);
    this.closeCrontabImport();
    this.say(`Imported ${added.length} ${added.length === 1 ? "job" : "jobs"} from the crontab`);
  }

  closeEditor(): void {
    this.editor?.dispose();
    this.editor = null;
  }

  /** Saves the open editor; closes it and shows the job when the engine accepted it. */
  async saveEditor(): Promise<void> {
    const editor = this.editor;
    if (!editor) return;
    const job = await editor.save();
    if (!job || this.editor !== editor) return;
    this.jobs.upsert(job);
    this.closeEditor();
    this.say(editor.mode === "edit" ? `Saved “${job.name}”` : `Created “${job.name}”`);
  }

  async runNow(job: JobView): Promise<void> {
    try {
      await this.client.runNow(job.id);
      this.say(`Started “${job.name}”`);
    } catch (error) {
      this.say(messageOf(error), "error");
    }
  }

  async togglePause(job: JobView): Promise<void> {
    try {
      this.jobs.upsert(job.paused ? await this.client.resumeJob(job.id) : await this.client.pauseJob(job.id));
    } catch (error) {
      this.say(messageOf(error), "error");
    }
  }

  async togglePauseAll(): Promise<void> {
    try {
      await this.jobs.togglePauseAll();
    } catch (error) {
      this.say(messageOf(error), "error");
    }
  }

  /** Deletes the job the dialog asked about; its runs and logs stay unless `purge`. */
  async confirmDelete(purge = false): Promise<void> {
    const job = this.pendingDelete;
    if (!job) return;
    this.pendingDelete = null;
    try {
      await this.client.removeJob(job.id, { purge });
      this.jobs.remove(job.id);
      const { route } = this.router;
      if (route.name === "job" && route.jobId === job.id) this.router.navigate({ name: "jobs" });
      this.say(purge ? `Deleted “${job.name}” and its history` : `Deleted “${job.name}”; its past runs stay in History`);
    } catch (error) {
      this.say(messageOf(error), "error");
    }
  }

  cancelDelete(): void {
    this.pendingDelete = null;
  }

  say(text: string, tone: Notice["tone"] = "info"): void {
    this.notice = { text, tone };
    if (this.#noticeTimer !== null) clearTimeout(this.#noticeTimer);
    this.#noticeTimer = tone === "info" ? setTimeout(() => this.dismissNotice(), NOTICE_MS) : null;
  }

  dismissNotice(): void {
    this.notice = null;
  }
}
