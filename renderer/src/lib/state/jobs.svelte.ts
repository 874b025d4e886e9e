/**
 * Every job as the list shows it, kept live by engine events, plus the list's filter and
 * sort. The array is `$state.raw`: 10,000 jobs are replaced, never deeply proxied.
 */
import type { SchedulerEvent } from "../../../../electron/shared/contract.js";
import type { JobView, Run } from "../../../../electron/shared/schemas.js";
import type { SundialClient } from "../api.js";
import { messageOf } from "../errors.js";

/** How the list is ordered: soonest next run first (default), or by name. */
export type JobSort = "next" | "name";

/** Above this many jobs waiting for a refresh, one listJobs beats many getJob calls. */
const MAX_SINGLE_REFRESHES = 20;

/** The jobs list's data and the actions on the whole list. */
export class JobsState {
  jobs = $state.raw<JobView[]>([]);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  filterText = $state("");
  sort = $state<JobSort>("next");
  /** Every schedule is paused (Pause all), possibly until `pausedUntil`. */
  allPaused = $state(false);
  pausedUntil = $state<string | null>(null);
  /** Problems the engine reported (engine.warning events). */
  warnings = $state<string[]>([]);

  /** The jobs the list shows: filtered, then sorted. */
  readonly visibleJobs = $derived.by(() => sortJobs(filterJobs(this.jobs, this.filterText), this.sort));

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
    const unsubscribe = this.#client.subscribe((event) => this.handleEvent(event));
    const stopWatching = this.#client.onConnectionChange((status) => {
      // Events sent while we were disconnected are lost: read the truth again.
      if (status === "open" && this.loaded) void this.load();
    });
    void this.load();
    return () => {
      unsubscribe();
      stopWatching();
    };
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
          if (error instanceof Error && error.name === "JobNotFoundError") this.remove(jobId);
        }
      }),
    );
  }
}

/** Jobs whose name, command or id contains `text` (any case). */
export function filterJobs(jobs: JobView[], text: string): JobView[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return jobs;
  return jobs.filter(
    (job) => job.name.toLowerCase().includes(needle) || job.command.toLowerCase().includes(needle) || job.id.toLowerCase() === needle,
  );
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** A sorted copy: by next run (jobs with none last, by name), or by name. */
export function sortJobs(jobs: JobView[], sort: JobSort): JobView[] {
  if (sort === "name") return [...jobs].sort((a, b) => byName.compare(a.name, b.name));
  // Parse each date once, not once per comparison.
  const keyed = jobs.map((job) => ({ job, at: job.nextRunAt ? Date.parse(job.nextRunAt) : Number.POSITIVE_INFINITY }));
  keyed.sort((a, b) => (a.at === b.at ? byName.compare(a.job.name, b.job.name) : a.at < b.at ? -1 : 1));
  return keyed.map(({ job }) => job);
}
