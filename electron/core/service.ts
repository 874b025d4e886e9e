/**
 * SchedulerService: every operation a front end may call, in one place. The CLI (over the
 * control socket), the web UI (over HTTP) and the Electron window (over IPC) all route onto
 * this class. Inputs are validated here, once, with the shared schemas; every problem is
 * reported at once, each naming its field.
 */
import fs from "node:fs";
import type { EngineStatus, PreviewRequest, PreviewResult, RunLog, SchedulerApi } from "../shared/contract.js";
import {
  AmbiguousJobError,
  JobNotFoundError,
  RunNotFoundError,
  ValidationError,
  type FieldIssue,
} from "../shared/errors.js";
import {
  JobInputSchema,
  JobPatchSchema,
  TriggerSpecSchema,
  toFieldIssues,
  type Job,
  type JobInput,
  type JobPatch,
  type JobView,
  type Run,
  type ValidJobInput,
  type TriggerSpec,
} from "../shared/schemas.js";
import type { Clock } from "./clock.js";
import type { EventBus, EventListener } from "./events.js";
import type { Scheduler } from "./scheduler.js";
import type { RunHistory } from "./store/run-history.js";
import type { RunLogs } from "./store/run-logs.js";
import { formatInZone, fromSpec, previewTimes, systemTimeZone, validateTrigger } from "./triggers/index.js";

export interface SchedulerServiceDeps {
  scheduler: Scheduler;
  history: RunHistory;
  logs: RunLogs;
  events: EventBus;
  clock: Clock;
  home: string;
  version: string;
  /** Problems the host wants shown in `status` (e.g. a failed write). */
  warnings: () => string[];
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

  async addJob(input: JobInput): Promise<JobView> {
    const parsed = JobInputSchema.safeParse(input);
    const issues = parsed.success ? [] : toFieldIssues(parsed.error);
    issues.push(...this.#semanticIssues(input as Partial<Job>, null));
    if (!parsed.success || issues.length > 0) throw new ValidationError(dedupe(issues));
    return this.deps.scheduler.addJob(parsed.data);
  }

  async importJobs(inputs: JobInput[]): Promise<JobView[]> {
    if (!Array.isArray(inputs)) throw new ValidationError([{ field: "jobs", message: "must be a list of jobs" }]);
    const issues: FieldIssue[] = [];
    const valid: ValidJobInput[] = [];
    const names = new Set<string>();
    inputs.forEach((input, index) => {
      const prefix = `jobs[${index}]`;
      const parsed = JobInputSchema.safeParse(input);
      const own = parsed.success ? [] : toFieldIssues(parsed.error);
      own.push(...this.#semanticIssues(input as Partial<Job>, null));
      if (parsed.success) {
        if (names.has(parsed.data.name)) own.push({ field: "name", message: `"${parsed.data.name}" appears more than once in the import` });
        names.add(parsed.data.name);
        valid.push(parsed.data);
      }
      issues.push(...dedupe(own).map((issue) => ({ field: `${prefix}.${issue.field}`, message: issue.message })));
    });
    if (issues.length > 0) throw new ValidationError(issues);
    return this.deps.scheduler.addJobs(valid);
  }

  async updateJob(ref: string, patch: JobPatch): Promise<JobView> {
    const job = this.#resolve(ref);
    const parsed = JobPatchSchema.safeParse(patch);
    const issues = parsed.success ? [] : toFieldIssues(parsed.error);
    if (!parsed.success) throw new ValidationError(dedupe([...issues, ...this.#semanticIssues(patch as Partial<Job>, job)]));
    const merged: Job = { ...job };
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value === undefined) continue;
      if (value === null) delete (merged as Record<string, unknown>)[key];
      else (merged as Record<string, unknown>)[key] = value;
    }
    const semantic = this.#semanticIssues(parsed.data as Partial<Job>, job);
    if (semantic.length > 0) throw new ValidationError(dedupe(semantic));
    return this.deps.scheduler.updateJob(job.id, merged);
  }

  async removeJob(ref: string): Promise<void> {
    await this.deps.scheduler.removeJob(this.#resolve(ref).id);
  }

  async pauseJob(ref: string): Promise<JobView> {
    const job = this.#resolve(ref);
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
    this.#requireRun(runId);
    return this.deps.scheduler.cancelRun(runId);
  }

  async history(query: { job?: string; limit?: number } = {}): Promise<Run[]> {
    const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
    if (!Number.isInteger(limit) || limit <= 0) throw new ValidationError([{ field: "limit", message: "must be a positive whole number" }]);
    const jobId = query.job ? this.#resolve(query.job).id : undefined;
    return this.deps.history.list({ ...(jobId ? { jobId } : {}), limit });
  }

  async getRun(runId: string): Promise<Run> {
    return this.#requireRun(runId);
  }

  async runLog(runId: string): Promise<RunLog> {
    this.#requireRun(runId);
    const log = await this.deps.logs.read(runId);
    return { runId, text: log?.text ?? "", truncated: log?.truncated ?? false, running: this.deps.scheduler.isRunning(runId) };
  }

  async previewTrigger(request: PreviewRequest): Promise<PreviewResult> {
    const parsed = TriggerSpecSchema.safeParse(request?.trigger);
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error, "trigger"));
    const count = request.count ?? 5;
    if (!Number.isInteger(count) || count <= 0 || count > MAX_PREVIEW) {
      throw new ValidationError([{ field: "count", message: `must be a whole number from 1 to ${MAX_PREVIEW}` }]);
    }
    const from = request.from === undefined ? this.deps.clock.now() : Date.parse(request.from);
    if (Number.isNaN(from)) throw new ValidationError([{ field: "from", message: "must be an ISO 8601 date-time" }]);
    const spec: TriggerSpec =
      parsed.data.type === "interval" && !parsed.data.anchor
        ? { ...parsed.data, anchor: parsed.data.start ?? new Date(from).toISOString() }
        : parsed.data;
    // "in the past" is about creating a job, not about looking at a schedule.
    const issues = validateTrigger(spec, new Date(from)).filter((issue) => !/in the past/.test(issue.message));
    if (issues.length > 0) throw new ValidationError(issues);
    const trigger = fromSpec(spec);
    const zone = spec.type === "cron" ? (spec.timezone ?? systemTimeZone()) : systemTimeZone();
    return {
      times: previewTimes(trigger, new Date(from), count).map((time) => formatInZone(time, zone)),
      description: trigger.describe(),
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
    };
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

  #requireRun(runId: string): Run {
    const run = typeof runId === "string" ? this.deps.history.get(runId) : null;
    if (!run) throw new RunNotFoundError(String(runId));
    return run;
  }

  /** Checks zod cannot make: the trigger's math, the zone, the folder, a unique name. */
  #semanticIssues(input: Partial<Job>, existing: Job | null): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const trigger = TriggerSpecSchema.safeParse(input.trigger);
    if (trigger.success) issues.push(...validateTrigger(trigger.data, new Date(this.deps.clock.now())));
    if (typeof input.cwd === "string" && input.cwd.length > 0) {
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
      if (name && clash) issues.push({ field: "name", message: `a job named "${name}" already exists (${clash.id})` });
    }
    return issues;
  }
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
