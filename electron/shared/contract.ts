/**
 * The one API every front end uses (CLI over the socket, web UI over HTTP, Electron over
 * IPC). Written as a map of method signatures returning promises; `SchedulerService`
 * implements it, transports route each key onto it.
 */
import type { ImportedJob, JobPatch, JobView, RemoveJobOptions, Run, TriggerSpecInput, JobInput } from "./schemas.js";
import type { ErrorDetails } from "./errors.js";
import type { SettingsChange, SettingsView } from "./settings.js";
import type { OpenAlert } from "./alert-rules.js";
import type { ChannelInput, ChannelTestResult, ChannelView, ListChannelsOptions, PingHealth } from "./channels.js";
import type { RunStatus } from "./run-statuses.js";
import type { CrontabImportRequest, CrontabPlan } from "./crontab.js";

export interface EngineStatus {
  pid: number;
  home: string;
  version: string;
  startedAt: string;
  jobs: number;
  pausedJobs: number;
  runningRuns: Run[];
  allPaused: boolean;
  pausedUntil: string | null;
  nextRun: { jobId: string; jobName: string; at: string } | null;
  /** Problems the engine reports instead of crashing (e.g. a failed write). */
  warnings: string[];
  /** Jobs with an alert that still holds (issue 16): "backup: no success for 2 days". */
  openAlerts?: { jobId: string; jobName: string; alert: OpenAlert }[];
  /** Every channel (masked) with how its deliveries go: a failing one is `health.state: "failing"`. */
  channels: ChannelView[];
  /** Jobs' ping URLs (masked) with how their pings go. */
  pings: PingHealth[];
  /**
   * The engine's system zone and its UTC offset now, in minutes. A CLI whose own offset is
   * the same names the zone from here instead of asking ICU (~9 ms of its start-up).
   */
  timeZone?: { name: string; utcOffsetMinutes: number };
}

export interface PreviewRequest {
  trigger: TriggerSpecInput;
  /** ISO instant to start after; default now. */
  from?: string;
  /** How many fire times; default 5, at most 1000. */
  count?: number;
}

export interface PreviewResult {
  /** ISO 8601 with the zone's offset. */
  times: string[];
  /** The schedule in words (shared/trigger-kinds.ts describeTrigger), instants in ISO 8601. */
  description: string;
}

export interface RunLog {
  runId: string;
  text: string;
  truncated: boolean;
  /** True while the run is still writing. */
  running: boolean;
}

/**
 * How a job is doing over the runs the history keeps (issue 17). Rates and durations leave
 * out what did not run to an end of its own: a run still going, cancelled, skipped or missed.
 */
export interface JobStats {
  jobId: string;
  /** Runs kept in the history, every status. */
  runs: number;
  succeeded: number;
  /** Runs that ended in a failure (FAILURE_STATUSES: failed, timed out, could not start, interrupted). */
  failed: number;
  /** succeeded / (succeeded + failed), from 0 to 1; null before any run succeeded or failed. */
  successRate: number | null;
  /** Median and 95th percentile (nearest rank) of the durations of the runs that ran to an end; null without one. */
  durationMedianMs: number | null;
  durationP95Ms: number | null;
  /** The newest runs (at most STATS_RECENT_RUNS), oldest first: the duration chart's bars. */
  recent: { runId: string; status: RunStatus; startedAt: string; durationMs: number | null }[];
}

/** How many of a job's newest runs its stats chart. */
export const STATS_RECENT_RUNS = 30;

export interface AgendaRequest {
  /** How many calendar days, today's first: a whole number from 1 to MAX_AGENDA_DAYS; default 7. */
  days?: number;
  /** ISO instant to start after; default now. */
  from?: string;
  /** The zone days are counted in and times written in; default the engine's system zone. */
  timezone?: string;
  /** At most this many runs in all, the soonest (the tray asks for its first lines so); default every run. */
  limit?: number;
}

/** One run the agenda expects. */
export interface AgendaRun {
  jobId: string;
  jobName: string;
  /** ISO 8601 with the agenda zone's offset. */
  at: string;
  /** The zone of the trigger that gives this run, when it is not the agenda's (its wall time there differs); else null. */
  jobZone: string | null;
  tags: string[];
}

export interface AgendaDay {
  /** The day, `YYYY-MM-DD` in the agenda's zone. */
  date: string;
  /** Sorted by time, then job name. */
  runs: AgendaRun[];
  /** Jobs that run more often this day than the agenda lists (AGENDA_RUNS_PER_JOB_PER_DAY): their first runs are listed. */
  more: { jobId: string; jobName: string }[];
}

/**
 * The runs to come of every job's time triggers (cron, interval, date), day by day (issue 17).
 * Paused, finished and broken jobs have none; while every job is paused, none before the pause ends.
 */
export interface Agenda {
  /** The first instant and the end of the last day (ISO 8601, agenda zone). */
  from: string;
  until: string;
  timezone: string;
  /** One entry per day, empty days included. */
  days: AgendaDay[];
}

/** The agenda's bounds: days asked for, and the runs one job may list per day (a `* * * * *` job lists its first 24). */
export const DEFAULT_AGENDA_DAYS = 7;
export const MAX_AGENDA_DAYS = 31;
export const AGENDA_RUNS_PER_JOB_PER_DAY = 24;

export interface SchedulerApi {
  listJobs(): Promise<JobView[]>;
  /** `ref` is a job id or a unique job name. */
  getJob(ref: string): Promise<JobView>;
  addJob(input: JobInput): Promise<JobView>;
  /**
   * Adds several jobs at once, all or none: every job is validated first (issues name
   * `jobs[i].field`), then all are stored in one durable write. A job whose schedule has
   * nothing left to run (its `at`, or its interval's `end`, has passed) is added finished;
   * `finished: true` on a job whose schedule still has runs to come is refused.
   */
  importJobs(inputs: ImportedJob[]): Promise<JobView[]>;
  /**
   * What importing a crontab's text would add (issue 17): one entry per job with its lines,
   * name (and rename), triggers, command and notes; the lines it cannot take; settings with no
   * equivalent. Changes nothing.
   */
  planCrontabImport(request: CrontabImportRequest): Promise<CrontabPlan>;
  /**
   * Imports a crontab's text as `planCrontabImport` plans it, all or none (as `importJobs`).
   * Refused (issues named `line N`) while the plan has lines it cannot take, unless
   * `skipUnsupported`, or a name clash when `rename` is false.
   */
  importCrontab(request: CrontabImportRequest): Promise<JobView[]>;
  updateJob(ref: string, patch: JobPatch): Promise<JobView>;
  /**
   * Removes a job (a running run is cancelled). Its runs and logs stay in the history, marked
   * `jobDeleted`, until retention prunes them; `{ purge: true }` erases them with the job.
   */
  removeJob(ref: string, options?: RemoveJobOptions): Promise<void>;
  pauseJob(ref: string): Promise<JobView>;
  resumeJob(ref: string): Promise<JobView>;
  /** Pauses every job's schedule; with `until`, resumes by itself at that instant. */
  pauseAll(until?: string): Promise<EngineStatus>;
  resumeAll(): Promise<EngineStatus>;
  /** Starts a run now (same env, cwd, logging as a scheduled run); resolves when started. */
  runNow(ref: string): Promise<Run>;
  cancelRun(runId: string): Promise<Run>;
  /** Newest first; `job` may also be a deleted job's id, or its name when no job has it now. */
  history(query?: { job?: string; limit?: number }): Promise<Run[]>;
  getRun(runId: string): Promise<Run>;
  /**
   * Raised alerts (issue 16), newest first: a job's (by id or name; a deleted job's by id), or
   * with no job every job's and the missed-while-away summaries; `kind` filters, e.g.
   * `missed-summary` for the summaries alone. `limit` default 50.
   */
  listAlerts(query?: { job?: string; kind?: AlertKind; limit?: number }): Promise<Alert[]>;
  runLog(runId: string): Promise<RunLog>;
  /** A job's stats over its kept runs (a deleted job's by id, while its runs are kept). */
  jobStats(ref: string): Promise<JobStats>;
  /** Every job's runs to come, day by day (`days` 1–31, default 7). */
  agenda(request?: AgendaRequest): Promise<Agenda>;
  previewTrigger(request: PreviewRequest): Promise<PreviewResult>;
  status(): Promise<EngineStatus>;
  /** Every setting by its key (settings.ts), and which ones this engine cannot change. */
  getSettings(): Promise<SettingsView>;
  /** Changes the given settings, all or none (issues name the key); emits `settings.changed`. */
  updateSettings(change: SettingsChange): Promise<SettingsView>;
  /** The desktop and every channel added, URLs and commands masked unless `includeSecrets`. */
  listChannels(options?: ListChannelsOptions): Promise<ChannelView[]>;
  /** Adds a channel (issues name the field: a duplicate name, `desktop`, a non-http(s) URL). */
  addChannel(input: ChannelInput): Promise<ChannelView>;
  /** Removes a channel; refused (issue on `name`) while a job names it, listing those jobs. */
  removeChannel(name: string): Promise<void>;
  /** Sends a sample delivery to a channel now, once, and says how it went. */
  testChannel(name: string): Promise<ChannelTestResult>;
}

export type SchedulerMethod = keyof SchedulerApi;

/** The shape of one argument, as transports check it before calling the service. */
export type ArgumentKind = "string" | "string?" | "object" | "object?" | "array";

/**
 * The arguments each method takes. Transports (HTTP, IPC) check shapes with this before the
 * call, so a malformed request is refused as such; the service then validates the values.
 */
export const METHOD_ARGUMENTS: { readonly [M in SchedulerMethod]: readonly ArgumentKind[] } = {
  listJobs: [],
  getJob: ["string"],
  addJob: ["object"],
  importJobs: ["array"],
  planCrontabImport: ["object"],
  importCrontab: ["object"],
  updateJob: ["string", "object"],
  removeJob: ["string", "object?"],
  pauseJob: ["string"],
  resumeJob: ["string"],
  pauseAll: ["string?"],
  resumeAll: [],
  runNow: ["string"],
  cancelRun: ["string"],
  history: ["object?"],
  getRun: ["string"],
  listAlerts: ["object?"],
  runLog: ["string"],
  jobStats: ["string"],
  agenda: ["object?"],
  previewTrigger: ["object"],
  status: [],
  getSettings: [],
  updateSettings: ["object"],
  listChannels: ["object?"],
  addChannel: ["object"],
  removeChannel: ["string"],
  testChannel: ["string"],
};

/** Every method name, for transports and parity tests. */
export const SCHEDULER_METHODS = [
  "listJobs",
  "getJob",
  "addJob",
  "importJobs",
  "planCrontabImport",
  "importCrontab",
  "updateJob",
  "removeJob",
  "pauseJob",
  "resumeJob",
  "pauseAll",
  "resumeAll",
  "runNow",
  "cancelRun",
  "history",
  "getRun",
  "listAlerts",
  "runLog",
  "jobStats",
  "agenda",
  "previewTrigger",
  "status",
  "getSettings",
  "updateSettings",
  "listChannels",
  "addChannel",
  "removeChannel",
  "testChannel",
] as const satisfies readonly SchedulerMethod[];

/** Live events, published by the engine; front ends subscribe. */
export type SchedulerEvent =
  | { type: "job.added"; job: JobView }
  | { type: "job.updated"; job: JobView }
  | { type: "job.removed"; jobId: string }
  | { type: "run.started"; run: Run }
  | { type: "run.output"; runId: string; jobId: string; stream: "stdout" | "stderr"; text: string }
  | { type: "run.finished"; run: Run }
  /** A due run waits for its job's conditions (issue 15); `run.started` or `run.finished` (skipped) follows under its id. */
  | { type: "run.waiting"; run: Run }
  | { type: "engine.paused"; pausedUntil: string | null }
  | { type: "engine.resumed" }
  | { type: "engine.warning"; message: string }
  | { type: "settings.changed"; settings: SettingsView }
  | { type: "alert.raised"; alert: Alert };

/**
 * What an alert is about (issue 16; DESIGN.md "Alerts"): the Nth consecutive failure, a success
 * after failures, no success within the expected window (dead-man's switch), a run still going
 * past its limit, or the one summary of slots missed while the computer slept or Sundial was off.
 */
export const ALERT_KINDS = ["failures", "recovered", "no-success", "slow", "missed-summary"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The webhook `event` name of each alert kind (run outcomes are `run.failed` / `run.succeeded`). */
export const ALERT_EVENT_NAMES: Record<AlertKind, string> = {
  failures: "alert.failures",
  recovered: "alert.recovered",
  "no-success": "alert.no-success",
  slow: "alert.slow",
  "missed-summary": "summary.missed",
};

/**
 * One raised alert, as recorded in the job's alert history and published on the event bus
 * (`alert.raised`). The engine shows it as a desktop notification (title + message, the same
 * words every channel carries); channels deliver it further. `jobId`/`jobName` are null for the
 * missed-slots summary, which concerns several jobs (`jobIds`).
 */
export interface Alert {
  id: string;
  kind: AlertKind;
  /** When it was raised (ISO 8601, UTC). */
  at: string;
  jobId: string | null;
  jobName: string | null;
  /** The run it concerns, where there is one (the failing, recovered or slow run). */
  runId: string | null;
  /** The jobs a `missed-summary` covers. */
  jobIds?: string[];
  title: string;
  message: string;
}

/**
 * Said by an event stream (HTTP `GET /api/events`), not by the engine: `count` `run.output`
 * events of `runIds` were dropped before this line because the reader was slower than the
 * output (issue 10, item 9). The runs' logs have all of it; state events are never dropped.
 */
export interface StreamDroppedEvent {
  type: "stream.dropped";
  count: number;
  runIds: string[];
}

/** One line of the event stream: an engine event, or the stream's own note. */
export type StreamEvent = SchedulerEvent | StreamDroppedEvent;

/** Errors cross transports as plain objects and are rebuilt on the other side (shared/wire.ts). */
export interface SerializedError {
  name: string;
  message: string;
  issues?: { field: string; message: string }[];
  /** The ids the error concerns (`{ ref: "backup" }`, `{ runId }`, `{ file, problem }`), per ERROR_KINDS in errors.ts. */
  details?: ErrorDetails;
}
