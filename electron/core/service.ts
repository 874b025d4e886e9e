/**
 * SchedulerService: every operation a front end may call, in one place. The CLI (over the
 * control socket), the web UI (over HTTP) and the Electron window (over IPC) all route onto
 * this class. Inputs are validated here, once, with the shared schemas; every problem is
 * reported at once, each naming its field.
 */
import fs from "node:fs";
import {
  ALERT_KINDS,
  DEFAULT_AGENDA_DAYS,
  MAX_AGENDA_DAYS,
  type Agenda,
  type AgendaRequest,
  type Alert,
  type AlertKind,
  type EngineStatus,
  type JobStats,
  type PreviewRequest,
  type PreviewResult,
  type RunLog,
  type SchedulerApi,
} from "../shared/contract.js";
import { buildAgenda } from "./agenda.js";
import { jobStatsOf } from "./job-stats.js";
import type { AlertHistory } from "./store/alert-history.js";
import {
  AmbiguousJobError,
  JobFinishedError,
  JobNotFoundError,
  RunNotActiveError,
  RunNotFoundError,
  ValidationError,
  nameTakenIssue,
  type FieldIssue,
} from "../shared/errors.js";
import { canonicalTimeZone, readIsoInstant } from "../shared/civil-time.js";
import {
  argumentSizeIssues,
  ImportedJobSchema,
  JobInputSchema,
  JobPatchSchema,
  RemoveJobOptionsSchema,
  TriggerSpecSchema,
  toFieldIssues,
  withTriggerList,
  type ImportedJob,
  type Job,
  type JobInput,
  type JobPatch,
  type JobView,
  type RemoveJobOptions,
  type Run,
  type ValidJobInput,
  type TriggerSpec,
} from "../shared/schemas.js";
import type { Clock } from "./clock.js";
import type { EventBus, EventListener } from "./events.js";
import type { Scheduler } from "./scheduler.js";
import type { RunHistory } from "./store/run-history.js";
import type { RunLogs } from "./store/run-logs.js";
import { formatInZone, fromSpec, isPassedTimeIssue, jobTimesOf, previewTimes, systemTimeZone, triggerZone, validateTrigger, validateTriggers, withTriggerDefaults, withTriggersDefaults } from "./triggers/index.js";
import { describeTrigger, triggersZone } from "../shared/trigger-kinds.js";
import { isTimeTriggerType } from "../shared/trigger-types.js";
import { linkAfterTriggers } from "./triggers/after.js";
import { isSettingKey, START_AT_LOGIN_UNAVAILABLE, unknownSettingMessage, type SettingsChange, type SettingsView } from "../shared/settings.js";
import { SettingsChangeSchema } from "../shared/schemas.js";
import { applySettingsChange, changesRetention, settingsView, type StartAtLogin } from "./settings.js";
import { ChannelInputSchema, type Channel } from "../shared/schemas.js";
import { DESKTOP_CHANNEL, type ChannelInput, type ChannelTestResult, type ChannelView, type ListChannelsOptions } from "../shared/channels.js";
import type { ChannelDeliveries } from "./channels/channel-deliveries.js";
import { CrontabImportRequestSchema } from "../shared/schemas.js";
import type { CrontabImportRequest, CrontabPlan } from "../shared/crontab.js";
import { planCrontab } from "./interop/crontab-import.js";

export interface SchedulerServiceDeps {
  scheduler: Scheduler;
  history: RunHistory;
  /** Raised alerts (issue 16); absent: none are listed. */
  alerts?: AlertHistory;
  logs: RunLogs;
  events: EventBus;
  clock: Clock;
  home: string;
  version: string;
  /** Problems the host wants shown in `status` (e.g. a failed write). */
  warnings: () => string[];
  /** Start at login, where the host can do it (the desktop app); absent in the daemon. */
  startAtLogin?: StartAtLogin | undefined;
  /** Channels' deliveries and their health (issue 16). */
  channels: ChannelDeliveries;
}

const MAX_PREVIEW = 1000;
const DEFAULT_HISTORY_LIMIT = 50;

export class SchedulerService implements SchedulerApi {
  readonly #startedAt: string;

  constructor(private readonly deps: SchedulerServiceDeps) {
    this.#startedAt = new Date(deps.clock.now()).toISOString();
  }

  /** Live events (jobs added/updated/removed, runs started/output/finished). */
  subscribe(listener: EventListener): () => void {
    return this.deps.events.subscribe(listener);
  }

  async listJobs(): Promise<JobView[]> {
    return this.deps.scheduler.views();
  }

  async getJob(ref: string): Promise<JobView> {
    return this.deps.scheduler.view(this.#resolve(ref).id)!;
  }

  async addJob(given: JobInput): Promise<JobView> {
    const { value: input, shorthand } = normaliseTriggers(given);
    const parsed = JobInputSchema.safeParse(input);
    const issues = parsed.success ? [] : toFieldIssues(parsed.error);
    issues.push(...this.#semanticIssues(input as Partial<Job>, null));
    if (parsed.success) {
      issues.push(...argumentSizeIssues(parsed.data));
      const linked = linkAfterTriggers(parsed.data.triggers, { self: { id: null, name: parsed.data.name }, jobs: this.deps.scheduler.jobs() });
      issues.push(...linked.issues);
      parsed.data.triggers = linked.triggers;
    } else {
      // Every problem at once: the `after`s that are well formed are checked too.
      issues.push(...this.#afterIssues(input as Partial<Job>, null));
    }
    if (!parsed.success || issues.length > 0) throw new ValidationError(asGiven(dedupe(issues), shorthand));
    return this.deps.scheduler.addJob(parsed.data);
  }

  /**
   * An export restores each job's state: a schedule with nothing left to run (a one-off job
   * that ran, or whose time passed since the export; an interval past its end) is added
   * finished, never refused for its past time, so any export imports into a fresh home.
   */
  async importJobs(inputs: ImportedJob[]): Promise<JobView[]> {
    if (!Array.isArray(inputs)) throw new ValidationError([{ field: "jobs", message: "must be a list of jobs" }]);
    const issues: FieldIssue[] = [];
    const valid: ValidJobInput[] = [];
    const names = new Set<string>();
    inputs.forEach((given, index) => {
      const prefix = `jobs[${index}]`;
      // An export file can hold anything: a null or a number is one bad entry, not a crash.
      if (typeof given !== "object" || given === null || Array.isArray(given)) {
        issues.push({ field: prefix, message: `must be a job (an object), got ${given === null ? "null" : Array.isArray(given) ? "an array" : typeof given}` });
        return;
      }
      let input: ImportedJob;
      let shorthand: boolean;
      try {
        ({ value: input, shorthand } = normaliseTriggers(given));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        issues.push(...error.issues.map((issue) => ({ field: `${prefix}.${issue.field}`, message: issue.message })));
        return;
      }
      const parsed = ImportedJobSchema.safeParse(input);
      const own = parsed.success ? [] : toFieldIssues(parsed.error);
      own.push(...this.#semanticIssues(input as Partial<Job>, null, { passedTimeAllowed: true }));
      if (parsed.success) {
        const { finished, ...job } = parsed.data;
        if (names.has(job.name)) own.push({ field: "name", message: `"${job.name}" appears more than once in the import` });
        names.add(job.name);
        own.push(...argumentSizeIssues(job));
        if (finished === true && own.length === 0) own.push(...this.#finishedIssues(job.triggers));
        valid.push(job);
      }
      issues.push(...asGiven(dedupe(own), shorthand).map((issue) => ({ field: `${prefix}.${issue.field}`, message: issue.message })));
    });
    if (issues.length === 0) {
      // Chains within the import: a job may run after another job of the same file.
      const jobs = this.deps.scheduler.jobs();
      valid.forEach((job, index) => {
        const batch = valid.filter((_, other) => other !== index);
        const linked = linkAfterTriggers(job.triggers, { self: { id: null, name: job.name }, jobs, batch });
        issues.push(...linked.issues.map((issue) => ({ field: `jobs[${index}].${issue.field}`, message: issue.message })));
        job.triggers = linked.triggers;
      });
    }
    if (issues.length > 0) throw new ValidationError(issues);
    return this.deps.scheduler.addJobs(valid);
  }

  async planCrontabImport(request: CrontabImportRequest): Promise<CrontabPlan> {
    return this.#planCrontab(request).plan;
  }

  /**
   * A crontab's jobs, all or none, through `importJobs`; its refusals are reworded to name the
   * crontab line (`line 9: cwd: folder does not exist`), since the user wrote lines, not jobs.
   */
  async importCrontab(request: CrontabImportRequest): Promise<JobView[]> {
    const { plan, skipUnsupported } = this.#planCrontab(request);
    const issues: FieldIssue[] = plan.clashes.map((clash) => ({ field: "rename", message: `${clash} (renaming was refused)` }));
    if (!skipUnsupported) issues.push(...plan.unsupported.map((line) => ({ field: `line ${line.line}`, message: line.reason })));
    if (plan.jobs.length === 0 && issues.length === 0) issues.push({ field: "text", message: "has no job lines" });
    if (issues.length > 0) throw new ValidationError(issues);
    try {
      return await this.importJobs(plan.jobs.map((entry) => entry.job));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        error.issues.map((issue) => {
          const match = /^jobs\[(\d+)\](?:\.(.*))?$/.exec(issue.field);
          const entry = match ? plan.jobs[Number(match[1])] : undefined;
          return entry ? { field: `line ${entry.lines[0]}`, message: `${match![2] !== undefined ? `${match![2]}: ` : ""}${issue.message}` } : issue;
        }),
      );
    }
  }

  #planCrontab(request: CrontabImportRequest): { plan: CrontabPlan; skipUnsupported: boolean } {
    const parsed = CrontabImportRequestSchema.safeParse(request);
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
    const takenNames = new Set(this.deps.scheduler.views().map((job) => job.name));
    const plan = planCrontab(parsed.data.text, { takenNames, rename: parsed.data.rename, now: new Date(this.deps.clock.now()) });
    return { plan, skipUnsupported: parsed.data.skipUnsupported };
  }

  async updateJob(ref: string, givenPatch: JobPatch): Promise<JobView> {
    const job = this.#resolve(ref);
    const { value: patch, shorthand } = normaliseTriggers(givenPatch);
    const parsed = JobPatchSchema.safeParse(patch);
    const issues = parsed.success ? [] : toFieldIssues(parsed.error);
    // A schedule given back unchanged keeps its state: a finished one-off job's past time is
    // no reason to refuse a new name or command (the scheduler keeps it finished).
    const keepsSchedule = (triggers: unknown) => triggers === undefined || JSON.stringify(triggers) === JSON.stringify(job.triggers);
    if (!parsed.success) {
      const given = patch as Partial<Job> | null;
      const semantic = this.#semanticIssues(given as Partial<Job>, job, { passedTimeAllowed: keepsSchedule(given?.triggers) });
      throw new ValidationError(asGiven(dedupe([...issues, ...semantic, ...this.#afterIssues(given, job)]), shorthand));
    }
    const merged: Job = { ...job };
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value === undefined) continue;
      if (value === null) delete (merged as Record<string, unknown>)[key];
      else (merged as Record<string, unknown>)[key] = value;
    }
    const semantic = [...this.#semanticIssues(parsed.data as Partial<Job>, job, { passedTimeAllowed: keepsSchedule(parsed.data.triggers) }), ...argumentSizeIssues(merged)];
    if (parsed.data.triggers !== undefined) {
      const linked = linkAfterTriggers(parsed.data.triggers, { self: { id: job.id, name: merged.name }, jobs: this.deps.scheduler.jobs() });
      semantic.push(...linked.issues);
      merged.triggers = linked.triggers;
    }
    if (semantic.length > 0) throw new ValidationError(asGiven(dedupe(semantic), shorthand));
    return this.deps.scheduler.updateJob(job.id, merged);
  }

  async removeJob(ref: string, options?: RemoveJobOptions): Promise<void> {
    const parsed = RemoveJobOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
    await this.deps.scheduler.removeJob(this.#resolve(ref).id, parsed.data);
  }

  /** Refused for a finished job (JobFinishedError): its schedule has no runs left to pause. */
  async pauseJob(ref: string): Promise<JobView> {
    const job = this.#resolve(ref);
    if (!job.paused && this.deps.scheduler.view(job.id)!.finished) throw new JobFinishedError(job.name);
    return job.paused ? this.deps.scheduler.view(job.id)! : this.deps.scheduler.updateJob(job.id, { ...job, paused: true });
  }

  async resumeJob(ref: string): Promise<JobView> {
    const job = this.#resolve(ref);
    return job.paused ? this.deps.scheduler.updateJob(job.id, { ...job, paused: false }) : this.deps.scheduler.view(job.id)!;
  }

  async pauseAll(until?: string): Promise<EngineStatus> {
    let untilMs: number | null = null;
    if (until !== undefined && until !== null) {
      untilMs = Date.parse(until);
      if (Number.isNaN(untilMs)) throw new ValidationError([{ field: "until", message: "must be an ISO 8601 date-time" }]);
      if (untilMs <= this.deps.clock.now()) throw new ValidationError([{ field: "until", message: "is in the past" }]);
    }
    await this.deps.scheduler.pauseAll(untilMs);
    return this.status();
  }

  async resumeAll(): Promise<EngineStatus> {
    await this.deps.scheduler.resumeAll();
    return this.status();
  }

  async runNow(ref: string): Promise<Run> {
    return this.deps.scheduler.runNow(this.#resolve(ref).id);
  }

  async cancelRun(runId: string): Promise<Run> {
    const run = this.#requireRun(runId);
    // An ended run says how it ended; a run just ending is refused by the scheduler itself.
    if (run.status !== "running") throw new RunNotActiveError(run.id, run.status);
    return this.deps.scheduler.cancelRun(runId);
  }

  async history(query: { job?: string; limit?: number } = {}): Promise<Run[]> {
    const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
    if (!Number.isInteger(limit) || limit <= 0) throw new ValidationError([{ field: "limit", message: "must be a positive whole number" }]);
    const jobId = query.job ? this.#historyJobId(query.job) : undefined;
    return this.#markDeleted(this.deps.history.list({ ...(jobId ? { jobId } : {}), limit }));
  }

  async listAlerts(query: { job?: string; kind?: AlertKind; limit?: number } = {}): Promise<Alert[]> {
    const issues: FieldIssue[] = [];
    const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
    if (!Number.isInteger(limit) || limit <= 0) issues.push({ field: "limit", message: "must be a positive whole number" });
    if (query.kind !== undefined && !ALERT_KINDS.includes(query.kind)) issues.push({ field: "kind", message: `"${String(query.kind)}" is not one of ${ALERT_KINDS.join(", ")}` });
    if (issues.length > 0) throw new ValidationError(issues);
    const jobId = query.job ? this.#historyJobId(query.job) : undefined;
    return this.deps.alerts?.list({ ...(jobId ? { jobId } : {}), ...(query.kind ? { kind: query.kind } : {}), limit }) ?? [];
  }

  async getRun(runId: string): Promise<Run> {
    return this.#markDeleted([this.#requireRun(runId)])[0]!;
  }

  async runLog(runId: string): Promise<RunLog> {
    this.#requireRun(runId);
    const log = await this.deps.logs.read(runId);
    return { runId, text: log?.text ?? "", truncated: log?.truncated ?? false, running: this.deps.scheduler.isRunning(runId) };
  }

  async jobStats(ref: string): Promise<JobStats> {
    const jobId = this.#historyJobId(ref);
    return jobStatsOf(jobId, this.deps.history.summaries(jobId));
  }

  async agenda(request: AgendaRequest = {}): Promise<Agenda> {
    if (typeof request !== "object" || request === null || Array.isArray(request)) throw new ValidationError([{ field: "agenda", message: "must be an object (days, from, timezone)" }]);
    const issues: FieldIssue[] = [];
    const days = request.days ?? DEFAULT_AGENDA_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_AGENDA_DAYS) issues.push({ field: "days", message: `must be a whole number from 1 to ${MAX_AGENDA_DAYS}` });
    let fromMs = this.deps.clock.now();
    if (request.from !== undefined) {
      const reading = readIsoInstant(request.from);
      if (reading.problem !== undefined) issues.push({ field: "from", message: reading.problem });
      else fromMs = reading.ms;
    }
    let zone = systemTimeZone();
    if (request.timezone !== undefined) {
      const canonical = typeof request.timezone === "string" ? canonicalTimeZone(request.timezone) : null;
      if (canonical === null) issues.push({ field: "timezone", message: `unknown time zone "${String(request.timezone)}"` });
      else zone = canonical;
    }
    const { limit } = request;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) issues.push({ field: "limit", message: "must be a whole number above zero" });
    if (issues.length > 0) throw new ValidationError(issues);
    const { settings } = this.deps.scheduler;
    const pausedUntilMs = settings.allPaused ? (settings.pausedUntil ? Date.parse(settings.pausedUntil) : Infinity) : undefined;
    return buildAgenda(this.deps.scheduler.views(), { fromMs, days, zone, ...(pausedUntilMs !== undefined ? { pausedUntilMs } : {}), ...(limit !== undefined ? { limit } : {}) });
  }

  async previewTrigger(request: PreviewRequest): Promise<PreviewResult> {
    const parsed = TriggerSpecSchema.safeParse(request?.trigger);
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error, "trigger"));
    const count = request.count ?? 5;
    if (!Number.isInteger(count) || count <= 0 || count > MAX_PREVIEW) {
      throw new ValidationError([{ field: "count", message: `must be a whole number from 1 to ${MAX_PREVIEW}` }]);
    }
    let from = this.deps.clock.now();
    if (request.from !== undefined) {
      const reading = readIsoInstant(request.from);
      if (reading.problem !== undefined) throw new ValidationError([{ field: "from", message: reading.problem }]);
      from = reading.ms;
    }
    if (!isTimeTriggerType(parsed.data.type)) throw new ValidationError([{ field: "trigger.type", message: `a ${parsed.data.type} trigger has no clock times to preview` }]);
    // A preview counts an interval from where it would start: its start, else `from`.
    const spec: TriggerSpec = withTriggerDefaults(parsed.data, new Date(from));
    // "in the past" is about creating a job, not about looking at a schedule.
    const issues = validateTrigger(spec, new Date(from)).filter((issue) => !isPassedTimeIssue(issue));
    if (issues.length > 0) throw new ValidationError(issues);
    const trigger = fromSpec(spec);
    const zone = triggerZone(spec);
    return {
      times: previewTimes(trigger, new Date(from), count).map((time) => formatInZone(time, zone)),
      description: describeTrigger(spec, { localZone: systemTimeZone(), formatInstant: formatInZone }),
    };
  }

  async status(): Promise<EngineStatus> {
    const { scheduler } = this.deps;
    const jobs = scheduler.jobs();
    const next = scheduler.nextRun();
    return {
      pid: process.pid,
      home: this.deps.home,
      version: this.deps.version,
      startedAt: this.#startedAt,
      jobs: jobs.length,
      pausedJobs: jobs.filter((job) => job.paused).length,
      runningRuns: scheduler.runningRuns(),
      allPaused: scheduler.settings.allPaused,
      pausedUntil: scheduler.settings.pausedUntil,
      nextRun: next ? { jobId: next.job.id, jobName: next.job.name, at: formatInZone(new Date(next.at), systemTimeZone()) } : null,
      warnings: this.deps.warnings(),
      openAlerts: scheduler.openAlerts(),
      channels: this.deps.channels.views(),
      pings: this.deps.channels.pings(),
      timeZone: { name: systemTimeZone(), utcOffsetMinutes: -new Date().getTimezoneOffset() },
    };
  }

  async getSettings(): Promise<SettingsView> {
    return settingsView(this.deps.scheduler.settings, this.deps.home, this.deps.startAtLogin);
  }

  async updateSettings(change: SettingsChange): Promise<SettingsView> {
    if (typeof change !== "object" || change === null || Array.isArray(change)) {
      throw new ValidationError([{ field: "settings", message: "must be an object of setting keys and values" }]);
    }
    // Every unknown key named on its own line, before the values are looked at.
    const unknown = Object.keys(change).filter((key) => !isSettingKey(key));
    if (unknown.length > 0) throw new ValidationError(unknown.map((key) => ({ field: key, message: unknownSettingMessage(key) })));
    const parsed = SettingsChangeSchema.safeParse(change);
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
    const valid = parsed.data as SettingsChange;
    const { startAtLogin } = this.deps;
    const wantsLogin = valid["start-at-login"];
    if (wantsLogin !== undefined && !startAtLogin) {
      throw new ValidationError([{ field: "start-at-login", message: `is not available here: ${START_AT_LOGIN_UNAVAILABLE}` }]);
    }
    await this.deps.scheduler.updateSettings((settings) => applySettingsChange(settings, valid), { prune: changesRetention(valid) });
    // After the durable write: a store that could not be written leaves the login item as it was.
    if (wantsLogin !== undefined && startAtLogin && startAtLogin.isEnabled() !== wantsLogin) startAtLogin.setEnabled(wantsLogin);
    const view = await this.getSettings();
    this.deps.events.emit({ type: "settings.changed", settings: view });
    return view;
  }

  // ------------------------------------------------------------------ channels

  async listChannels(options: ListChannelsOptions = {}): Promise<ChannelView[]> {
    if (options.includeSecrets !== undefined && typeof options.includeSecrets !== "boolean") {
      throw new ValidationError([{ field: "includeSecrets", message: "must be true or false" }]);
    }
    return this.deps.channels.views(options.includeSecrets === true);
  }

  async addChannel(input: ChannelInput): Promise<ChannelView> {
    const parsed = ChannelInputSchema.safeParse(input);
    const issues = parsed.success ? [] : toFieldIssues(parsed.error);
    const name = typeof (input as { name?: unknown } | null)?.name === "string" ? (input as { name: string }).name.trim() : null;
    if (name !== null && name !== DESKTOP_CHANNEL && this.deps.scheduler.settings.channels.some((channel) => channel.name === name)) {
      issues.push({ field: "name", message: `a channel named "${name}" already exists` });
    }
    if (!parsed.success || issues.length > 0) throw new ValidationError(dedupe(issues));
    const channel: Channel = parsed.data;
    await this.deps.scheduler.updateSettings((settings) => {
      // Checked again inside the write: two adds of one name at once cannot both pass.
      if (settings.channels.some((existing) => existing.name === channel.name)) throw new ValidationError([{ field: "name", message: `a channel named "${channel.name}" already exists` }]);
      settings.channels = [...settings.channels, channel];
    }, { prune: false });
    this.#settingsChanged();
    return this.deps.channels.views().find((view) => view.name === channel.name)!;
  }

  async removeChannel(name: string): Promise<void> {
    const channel = this.#requireChannel(name);
    const users = this.deps.scheduler.jobs().filter((job) => job.channels?.includes(channel.name));
    if (users.length > 0) {
      const names = users.map((job) => `"${job.name}"`).join(", ");
      throw new ValidationError([{ field: "name", message: `channel "${channel.name}" is used by ${users.length === 1 ? "job" : "jobs"} ${names}; take it off ${users.length === 1 ? "that job" : "those jobs"} first (sundial edit JOB --clear channels, or --channel with the others)` }]);
    }
    await this.deps.scheduler.updateSettings((settings) => {
      settings.channels = settings.channels.filter((existing) => existing.name !== channel.name);
    }, { prune: false });
    this.deps.channels.forget(channel.name);
    this.#settingsChanged();
  }

  async testChannel(name: string): Promise<ChannelTestResult> {
    if (name === DESKTOP_CHANNEL) throw new ValidationError([{ field: "name", message: `"${DESKTOP_CHANNEL}" cannot be tested from here: run a job with --notify always to see a desktop notification` }]);
    return this.deps.channels.test(this.#requireChannel(name));
  }

  #requireChannel(name: string): Channel {
    const channels = this.deps.scheduler.settings.channels;
    const channel = typeof name === "string" ? channels.find((candidate) => candidate.name === name.trim()) : undefined;
    if (channel) return channel;
    if (name === DESKTOP_CHANNEL) throw new ValidationError([{ field: "name", message: `"${DESKTOP_CHANNEL}" is the built-in desktop notification; it cannot be removed (a job that names other channels does not use it)` }]);
    throw new ValidationError([{ field: "name", message: unknownChannelMessage(String(name), channels) }]);
  }

  #settingsChanged(): void {
    void this.getSettings().then((view) => this.deps.events.emit({ type: "settings.changed", settings: view }));
  }

  // ------------------------------------------------------------------ helpers

  /** A job id, or a name that names exactly one job. */
  #resolve(ref: string): Job {
    if (typeof ref !== "string" || ref.trim() === "") throw new JobNotFoundError(String(ref ?? ""));
    const jobs = this.deps.scheduler.jobs();
    const byId = jobs.find((job) => job.id === ref);
    if (byId) return byId;
    const byName = jobs.filter((job) => job.name === ref);
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1) throw new AmbiguousJobError(ref, byName.map((job) => job.id));
    throw new JobNotFoundError(ref);
  }

  /**
   * The job whose runs `history` lists: a job that exists (#resolve), else a deleted one whose
   * runs are kept, by its id or by the name its newest run carries.
   */
  #historyJobId(ref: string): string {
    try {
      return this.#resolve(ref).id;
    } catch (error) {
      if (!(error instanceof JobNotFoundError)) throw error;
      const live = new Set(this.deps.scheduler.jobs().map((job) => job.id));
      const deleted = this.deps.history.jobIds().filter((jobId) => !live.has(jobId));
      if (deleted.includes(ref)) return ref;
      const named = deleted.filter((jobId) => this.deps.history.lastRun(jobId)?.jobName === ref);
      if (named.length === 1) return named[0]!;
      if (named.length > 1) throw new AmbiguousJobError(ref, named);
      throw error;
    }
  }

  /** Runs as front ends see them: those of a job deleted since are marked `jobDeleted`. */
  #markDeleted(runs: Run[]): Run[] {
    const live = new Set(this.deps.scheduler.jobs().map((job) => job.id));
    return runs.map((run) => (live.has(run.jobId) ? run : { ...run, jobDeleted: true }));
  }

  #requireRun(runId: string): Run {
    const run = typeof runId === "string" ? this.deps.history.get(runId) : null;
    if (!run) throw new RunNotFoundError(String(runId));
    return run;
  }

  /**
   * Checks zod cannot make: the trigger's math, the zone, the folder, a unique name.
   * `passedTimeAllowed`: the schedule may have nothing left to run (a finished job's).
   */
  #semanticIssues(input: Partial<Job>, existing: Job | null, { passedTimeAllowed = false } = {}): FieldIssue[] {
    const issues: FieldIssue[] = [];
    // Not an object (null, a number): the schema has said so already; nothing more to check.
    if (typeof input !== "object" || input === null) return issues;
    if (Array.isArray(input.triggers)) {
      const now = new Date(this.deps.clock.now());
      input.triggers.forEach((given, index) => {
        const trigger = TriggerSpecSchema.safeParse(given);
        if (!trigger.success) return;
        const triggerIssues = validateTriggers([trigger.data], now).map((issue) => ({ ...issue, field: issue.field.replace(/^triggers\[0\]/, `triggers[${index}]`) }));
        issues.push(...(passedTimeAllowed ? triggerIssues.filter((issue) => !isPassedTimeIssue(issue)) : triggerIssues));
      });
    }
    // A path with a NUL byte is refused by the schema; the file system cannot be asked about it.
    if (typeof input.cwd === "string" && input.cwd.length > 0 && !input.cwd.includes("\u0000")) {
      let isDirectory: boolean;
      try {
        isDirectory = fs.statSync(input.cwd).isDirectory();
      } catch {
        isDirectory = false;
      }
      if (!isDirectory) issues.push({ field: "cwd", message: `folder "${input.cwd}" does not exist` });
    }
    if (typeof input.name === "string") {
      const name = input.name.trim();
      const clash = this.deps.scheduler.jobs().find((job) => job.name === name && job.id !== existing?.id);
      if (name && clash) issues.push(nameTakenIssue("name", name));
    }
    if (Array.isArray(input.channels)) {
      const channels = this.deps.scheduler.settings.channels;
      input.channels.forEach((name) => {
        if (typeof name === "string" && name !== DESKTOP_CHANNEL && !channels.some((channel) => channel.name === name)) {
          issues.push({ field: "channels", message: unknownChannelMessage(name, channels) });
        }
      });
    }
    return issues;
  }

  /** What linkAfterTriggers says of an input the schema refused, from the triggers it could read. */
  #afterIssues(input: Partial<Job> | null, existing: Job | null): FieldIssue[] {
    if (typeof input !== "object" || input === null || !Array.isArray(input.triggers)) return [];
    // A trigger the schema refused stands in as one with no link, so the indexes stay.
    const readable = input.triggers.map((given) => {
      const trigger = TriggerSpecSchema.safeParse(given);
      return trigger.success ? trigger.data : ({ type: "startup", version: 1 } as const);
    });
    const name = typeof input.name === "string" ? input.name.trim() : (existing?.name ?? "");
    return linkAfterTriggers(readable, { self: { id: existing?.id ?? null, name }, jobs: this.deps.scheduler.jobs() }).issues;
  }

  /** `finished: true` on an imported job whose schedule still has runs to come is a contradiction. */
  #finishedIssues(specs: readonly TriggerSpec[]): FieldIssue[] {
    const now = new Date(this.deps.clock.now());
    const next = jobTimesOf(withTriggersDefaults(specs, now))?.next(now) ?? null;
    if (next === null) return [];
    return [{ field: "finished", message: `is true, but its schedule still has runs to come (next ${formatInZone(next, triggersZone(specs))}); remove "finished" to import it as scheduled` }];
  }
}

/** The `trigger` shorthand as a list (withTriggerList), and whether it was used. */
function normaliseTriggers<T>(value: T): { value: T; shorthand: boolean } {
  const shorthand = typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, "trigger") && !Object.hasOwn(value, "triggers");
  return { value: withTriggerList(value), shorthand };
}

/** Issues about the list made from a `trigger` shorthand, named as the caller wrote it (`trigger.expression`). */
function asGiven(issues: FieldIssue[], shorthand: boolean): FieldIssue[] {
  if (!shorthand) return issues;
  return issues.map((issue) => (/^triggers(\[0\])?(\.|$)/.test(issue.field) ? { ...issue, field: issue.field.replace(/^triggers(\[0\])?/, "trigger") } : issue));
}

/** `no channel named "x" (channels: desktop, hook); add one with sundial channel add` */
function unknownChannelMessage(name: string, channels: readonly Channel[]): string {
  return `no channel named "${name}" (channels: ${[DESKTOP_CHANNEL, ...channels.map((channel) => channel.name)].join(", ")}); add one first (sundial channel add, or the Settings page)`;
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.field}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
