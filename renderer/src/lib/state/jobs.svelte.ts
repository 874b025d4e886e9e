/**
 * Every job as the list shows it, kept live by engine events, plus the list's filter and
 * sort. The array is `$state.raw`: 10,000 jobs are replaced, never deeply proxied.
 */
import type { SchedulerEvent } from "../../../../electron/shared/contract.js";
import type { JobView, Run } from "../../../../electron/shared/schemas.js";
import type { SundialClient } from "../api.js";
import { JobNotFoundError } from "../../../../electron/shared/errors.js";
import { isFailure } from "../../../../electron/shared/run-statuses.js";
import { triggersZone } from "../../../../electron/shared/trigger-kinds.js";
import { cronKeywords } from "../../../../electron/shared/wording.js";
import { systemTimeZone } from "../../../../electron/shared/civil-time.js";
import { allTags, hasTag } from "../../../../electron/shared/tags.js";
import { messageOf } from "../errors.js";
import { describeJobSchedule } from "../schedule.js";
import { followEngine } from "./follow-engine.js";

/**
 * How the list is ordered: soonest next run first (default), by name, by last run (most
 * recent first), or by status (what needs attention first: see `statusRank`).
 */
export type JobSort = "next" | "name" | "last" | "status";

/** Every order the list offers, with the words the Sort by menu shows. */
export const JOB_SORTS: readonly { value: JobSort; label: string }[] = [
  { value: "next", label: "Next run" },
  { value: "name", label: "Name" },
  { value: "last", label: "Last run" },
  { value: "status", label: "Status" },
];

/** Above this many jobs waiting for a refresh, one listJobs beats many getJob calls. */
const MAX_SINGLE_REFRESHES = 20;

/** The jobs list's data and the actions on the whole list. */
export class JobsState {
  jobs = $state.raw<JobView[]>([]);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  filterText = $state("");
  /** Only the jobs with this tag (issue 17); null: every job. */
  tagFilter = $state<string | null>(null);
  sort = $state<JobSort>("next");
  /** Every schedule is paused (Pause all), possibly until `pausedUntil`. */
  allPaused = $state(false);
  pausedUntil = $state<string | null>(null);
  /** Problems the engine reported (engine.warning events). */
  warnings = $state<string[]>([]);

  /** Every tag the jobs carry, for the tag filter. */
  readonly tags = $derived(allTags(this.jobs));

  /** The jobs the list shows: filtered (by tag, then by text), then sorted. */
  readonly visibleJobs = $derived.by(() => {
    const tag = this.tagFilter;
    const tagged = tag === null ? this.jobs : this.jobs.filter((job) => hasTag(job, tag));
    return sortJobs(filterJobs(tagged, this.filterText), this.sort);
  });

  readonly #client: SundialClient;
  #queuedEvents: SchedulerEvent[] | null = null;
  #refreshQueue = new Set<string>();
  #refreshScheduled = false;
  /** Bumped on every event about a job, so a refresh that raced an event is redone. */
  #eventCount = new Map<string, number>();

  constructor(client: SundialClient) {
    this.#client = client;
  }

  /** Loads the jobs and follows events (reloading after a reconnect); returns stop. */
  start(): () => void {
    return followEngine(this.#client, this);
  }

  /** Reads every job and the global pause state; events arriving meanwhile wait. */
  async load(): Promise<void> {
    this.#queuedEvents ??= [];
    // The list shows as soon as it arrives; the pause state may come a little later.
    const status = this.#client.status().then(
      (engine) => {
        this.allPaused = engine.allPaused;
        this.pausedUntil = engine.pausedUntil;
      },
      () => undefined,
    );
    try {
      this.jobs = await this.#client.listJobs();
      this.loadError = null;
      this.loaded = true;
      await status;
    } catch (error) {
      this.loadError = messageOf(error);
    } finally {
      const queued = this.#queuedEvents ?? [];
      this.#queuedEvents = null;
      for (const event of queued) this.handleEvent(event);
    }
  }

  /** The job with this id, if the list has it. */
  byId(jobId: string): JobView | undefined {
    return this.jobs.find((job) => job.id === jobId);
  }

  /** The name of the job with this id (an `after` trigger names its parent by it), or undefined. */
  readonly nameOf = (jobId: string): string | undefined => this.byId(jobId)?.name;

  /** Applies one engine event to the list. */
  handleEvent(event: SchedulerEvent): void {
    if (this.#queuedEvents) {
      this.#queuedEvents.push(event);
      return;
    }
    switch (event.type) {
      case "job.added":
      case "job.updated":
        this.#touch(event.job.id);
        this.upsert(event.job);
        break;
      case "job.removed":
        this.#touch(event.jobId);
        this.remove(event.jobId);
        break;
      case "run.started":
      case "run.waiting":
      case "run.finished":
        this.#applyRun(event.run);
        break;
      case "engine.paused":
        this.allPaused = true;
        this.pausedUntil = event.pausedUntil;
        void this.load();
        break;
      case "engine.resumed":
        this.allPaused = false;
        this.pausedUntil = null;
        void this.load();
        break;
      case "engine.warning":
        this.warnings = [...this.warnings.slice(-4), event.message];
        break;
      case "run.output":
        break;
    }
  }

  /** Puts a job into the list, replacing the one with its id. */
  upsert(job: JobView): void {
    const index = this.jobs.findIndex((existing) => existing.id === job.id);
    this.jobs = index === -1 ? [...this.jobs, job] : this.jobs.with(index, job);
  }

  remove(jobId: string): void {
    if (this.jobs.some((job) => job.id === jobId)) this.jobs = this.jobs.filter((job) => job.id !== jobId);
  }

  /** Pauses or resumes every schedule, depending on the current state. */
  async togglePauseAll(): Promise<void> {
    const status = this.allPaused ? await this.#client.resumeAll() : await this.#client.pauseAll();
    this.allPaused = status.allPaused;
    this.pausedUntil = status.pausedUntil;
  }

  dismissWarnings(): void {
    this.warnings = [];
  }

  #applyRun(run: Run): void {
    this.#touch(run.jobId);
    const job = this.byId(run.jobId);
    if (job) {
      const running = new Set(job.runningRunIds);
      if (run.status === "running") running.add(run.id);
      else running.delete(run.id);
      this.upsert({ ...job, lastRun: run, runningRunIds: [...running] });
    }
    // A run means the schedule moved on: nextRunAt comes from the engine.
    this.#refreshSoon(run.jobId);
  }

  #touch(jobId: string): void {
    this.#eventCount.set(jobId, (this.#eventCount.get(jobId) ?? 0) + 1);
  }

  #refreshSoon(jobId: string): void {
    this.#refreshQueue.add(jobId);
    if (this.#refreshScheduled) return;
    this.#refreshScheduled = true;
    // A minute boundary can start hundreds of runs at once: gather them first.
    setTimeout(() => void this.#refresh(), 50);
  }

  async #refresh(): Promise<void> {
    const jobIds = [...this.#refreshQueue];
    this.#refreshQueue.clear();
    this.#refreshScheduled = false;
    if (jobIds.length > MAX_SINGLE_REFRESHES) return this.load();
    await Promise.all(
      jobIds.map(async (jobId) => {
        const seenEvents = this.#eventCount.get(jobId) ?? 0;
        try {
          const job = await this.#client.getJob(jobId);
          if ((this.#eventCount.get(jobId) ?? 0) !== seenEvents) this.#refreshSoon(jobId);
          else this.upsert(job);
        } catch (error) {
          if (error instanceof JobNotFoundError) this.remove(jobId);
        }
      }),
    );
  }
}

/**
 * Jobs whose name, command, schedule (its words as the list shows them, its cron expression,
 * words like "weekdays"), time zone or a tag contains `text` (any case), or whose id is `text`.
 */
export function filterJobs(jobs: JobView[], text: string, localZone = systemTimeZone()): JobView[] {
  const needle = normaliseForSearch(text.trim());
  if (!needle) return jobs;
  // An `after` trigger reads with its parent's name ("after backup succeeds"): searching "backup" finds the chain.
  const names = new Map(jobs.map((job) => [job.id, job.name]));
  const jobName = (id: string) => names.get(id);
  return jobs.filter((job) => searchTextOf(job, localZone, jobName).includes(needle) || job.id.toLowerCase() === needle);
}

// Jobs are replaced, never mutated (upsert), so a job object's search text never goes stale.
const searchTexts = new WeakMap<JobView, { localZone: string; text: string }>();

function searchTextOf(job: JobView, localZone: string, jobName: (id: string) => string | undefined): string {
  const cached = searchTexts.get(job);
  if (cached?.localZone === localZone) return cached.text;
  const schedule = describeJobSchedule(job.triggers, Date.now(), localZone, jobName);
  const keywords = job.triggers.flatMap((trigger) => (trigger.type === "cron" ? cronKeywords(trigger.expression) : []));
  const text = normaliseForSearch([job.name, job.command, schedule.text, schedule.title, ...keywords, triggersZone(job.triggers), ...(job.tags ?? [])].join("\n"));
  searchTexts.set(job, { localZone, text });
  return text;
}

/** Lower case, and a zone's underscores as spaces, so "new york" finds America/New_York. */
function normaliseForSearch(text: string): string {
  return text.toLowerCase().replaceAll("_", " ");
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** A sorted copy, ties broken by name. */
export function sortJobs(jobs: JobView[], sort: JobSort): JobView[] {
  switch (sort) {
    case "name":
      return [...jobs].sort((a, b) => byName.compare(a.name, b.name));
    case "next":
      // Soonest first; jobs with no next run last.
      return sortByKey(jobs, (job) => (job.nextRunAt ? Date.parse(job.nextRunAt) : Number.POSITIVE_INFINITY));
    case "last":
      // Most recent first; jobs never run last.
      return sortByKey(jobs, (job) => -lastRunMs(job));
    case "status":
      return sortByKey(jobs, statusRank);
    default:
      return unhandledSort(sort);
  }
}

/** When the job's last run ended (a running run: when it started); -Infinity if never (or unreadable). */
export function lastRunMs(job: JobView): number {
  const run = job.lastRun;
  const at = run ? (run.endedAt ?? run.startedAt ?? run.scheduledAt) : null;
  const ms = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * The order of "Sort by status": what needs attention first. A job that cannot run (broken),
 * then one whose last run failed, one running now, one whose last slot was missed, the
 * active jobs that are fine, then the paused ones and the finished one-off jobs.
 */
function statusRank(job: JobView): number {
  if (job.problem) return 0;
  const status = job.lastRun?.status;
  if (status !== undefined && status !== "running" && isFailure(status)) return 1;
  if (job.runningRunIds.length > 0 || status === "running") return 2;
  if (status === "missed") return 3;
  if (job.finished) return 6;
  if (job.paused) return 5;
  return 4;
}

/** Sorts by a number computed once per job (not once per comparison), then by name. */
function sortByKey(jobs: JobView[], keyOf: (job: JobView) => number): JobView[] {
  const keyed = jobs.map((job) => ({ job, key: keyOf(job) }));
  keyed.sort((a, b) => (a.key === b.key ? byName.compare(a.job.name, b.job.name) : a.key < b.key ? -1 : 1));
  return keyed.map(({ job }) => job);
}

function unhandledSort(sort: never): never {
  throw new Error(`Unknown sort: ${String(sort)}`);
}
