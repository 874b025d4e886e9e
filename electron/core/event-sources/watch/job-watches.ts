/**
 * Every job's watched paths (DESIGN.md "Beyond the clock", `watch`), one debounced burst per
 * job, and the job's watch problem ("watched path missing: …"). It only says "this job's paths
 * changed"; the watch source (../watch-source.ts) asks the engine for the run, and the
 * scheduler decides what a run is (pause, overlap) and starts it with the reason `watch`.
 *
 * Policies (README "Watching files"):
 * - One debounce per job over all of its watch triggers: a burst ends after the shortest
 *   `debounceSeconds` of them without a change, or BURST_CAP_FACTOR times that after its
 *   first change, so a folder that never goes quiet still runs now and then.
 * - A job's own runs do not trigger it: changes seen while a run of the job is in progress,
 *   and for RUN_SETTLE_MS after it ends, are not counted (a job that writes into the folder it
 *   watches would otherwise run for ever). A run that starts also drops the burst under way:
 *   that run sees the changes already.
 */
import nodePath from "node:path";
import type { SchedulerEvent } from "../../../shared/contract.js";
import { watchProblemWords } from "../../../shared/wording.js";
import type { Clock } from "../../clock.js";
import type { EventListener } from "../../events.js";
import { ChangeDebouncer, type ChangeBurst } from "./change-debouncer.js";
import type { PathWatchStatus } from "./path-watch.js";
import { WatchHub, type WatchSubscription } from "./watch-hub.js";

/** A never-quiet folder runs at the latest this many debounce periods after its first change. */
export const BURST_CAP_FACTOR = 5;
/** Changes this long after a run of the job ends still count as the run's own. */
export const RUN_SETTLE_MS = 1_000;
/** At most this many paths in SUNDIAL_CHANGED_PATHS… */
export const MAX_CHANGED_PATHS = 1_000;
/** …and at most this many bytes (Linux refuses one environment string of 128 KiB). */
export const MAX_CHANGED_PATHS_BYTES = 64 * 1024;

/** What a watch trigger holds that the source needs. */
export interface WatchSpecLike {
  path: string;
  recursive?: boolean | undefined;
  debounceSeconds: number;
}

/** A job as the source sees it: its id, its name (for the log) and its watch triggers. */
export interface WatchedJob {
  id: string;
  name: string;
  watches: readonly WatchSpecLike[];
}

export interface JobWatchesOptions {
  clock: Clock;
  /** The engine's events: runs starting and ending (a job's own changes are not counted). */
  subscribe: (listener: EventListener) => () => void;
  log: (line: string) => void;
  /** A burst of changes to the job's watched paths ended: run the job. */
  fire: (jobId: string, burst: ChangeBurst) => void;
  /** The job's watch problem changed (null: every path is watched). */
  problemChanged: (jobId: string, problem: string | null) => void;
}

interface JobWatch {
  job: WatchedJob;
  /** The watches as given, to tell a real change from a save that left them alone. */
  key: string;
  debouncer: ChangeDebouncer;
  subscriptions: { path: string; subscription: WatchSubscription }[];
  runs: Set<string>;
  /** Monotonic ms until which changes are the last run's own. */
  settleUntil: number;
  problem: string | null;
}

export class JobWatches {
  readonly #options: JobWatchesOptions;
  readonly #hub = new WatchHub();
  readonly #jobs = new Map<string, JobWatch>();
  readonly #unsubscribe: () => void;
  #stopped = false;

  constructor(options: JobWatchesOptions) {
    this.#options = options;
    this.#unsubscribe = options.subscribe((event) => this.#onEvent(event));
  }

  /**
   * Watches what `job` watches now (nothing: stops watching for it). Resolves once its
   * watchers are ready, so a change made after it is seen.
   */
  async setJob(job: WatchedJob): Promise<void> {
    if (this.#stopped) return;
    if (job.watches.length === 0 && !this.#jobs.has(job.id)) return;
    const key = JSON.stringify(job.watches.map((spec) => [nodePath.resolve(spec.path), spec.recursive === true, spec.debounceSeconds]));
    const existing = this.#jobs.get(job.id);
    if (existing && existing.key === key) {
      existing.job = job;
      return;
    }
    if (existing) await this.removeJob(job.id);
    if (job.watches.length === 0 || this.#stopped) return;
    const debounceMs = Math.min(...job.watches.map((spec) => spec.debounceSeconds)) * 1000;
    const entry: JobWatch = {
      job,
      key,
      debouncer: new ChangeDebouncer({
        clock: this.#options.clock,
        quietMs: debounceMs,
        maxWaitMs: debounceMs * BURST_CAP_FACTOR,
        maxPaths: MAX_CHANGED_PATHS,
        onBurst: (burst) => this.#options.fire(job.id, burst),
      }),
      subscriptions: [],
      runs: new Set(),
      settleUntil: -Infinity,
      problem: null,
    };
    this.#jobs.set(job.id, entry);
    for (const spec of job.watches) {
      const path = nodePath.resolve(spec.path);
      const subscription = this.#hub.subscribe(path, spec.recursive === true, {
        change: (changed) => this.#onChange(entry, changed),
        status: () => this.#updateProblem(entry),
      });
      entry.subscriptions.push({ path, subscription });
    }
    await Promise.all(entry.subscriptions.map(({ subscription }) => subscription.ready));
    this.#updateProblem(entry);
  }

  /** Stops watching for the job (removed, or no watch trigger left). */
  async removeJob(jobId: string): Promise<void> {
    const entry = this.#jobs.get(jobId);
    if (!entry) return;
    this.#jobs.delete(jobId);
    entry.debouncer.cancel();
    await Promise.all(entry.subscriptions.map(({ subscription }) => subscription.close()));
  }

  /** Whether the job's paths are watched. */
  has(jobId: string): boolean {
    return this.#jobs.has(jobId);
  }

  /** The jobs watched now. */
  jobIds(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Why the job's watch does not see its path now ("watched path missing: …"), or null. */
  problemOf(jobId: string): string | null {
    return this.#jobs.get(jobId)?.problem ?? null;
  }

  /** How many OS-level watchers are open (one per distinct path). */
  get watcherCount(): number {
    return this.#hub.size;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe();
    for (const entry of this.#jobs.values()) entry.debouncer.cancel();
    this.#jobs.clear();
    await this.#hub.close();
  }

  #onChange(entry: JobWatch, path: string): void {
    if (this.#jobs.get(entry.job.id) !== entry) return;
    if (entry.runs.size > 0 || this.#options.clock.monotonic() < entry.settleUntil) return;
    entry.debouncer.add(path);
  }

  #onEvent(event: SchedulerEvent): void {
    if (event.type !== "run.started" && event.type !== "run.finished") return;
    const entry = this.#jobs.get(event.run.jobId);
    if (!entry) return;
    if (event.type === "run.started") {
      entry.runs.add(event.run.id);
      entry.debouncer.cancel();
    } else if (entry.runs.delete(event.run.id)) {
      entry.settleUntil = this.#options.clock.monotonic() + RUN_SETTLE_MS;
    }
  }

  #updateProblem(entry: JobWatch): void {
    if (this.#jobs.get(entry.job.id) !== entry) return;
    let problem: string | null = null;
    for (const { path, subscription } of entry.subscriptions) {
      problem = problemOf(path, subscription.status);
      if (problem) break;
    }
    if (problem === entry.problem) return;
    entry.problem = problem;
    // The engine logs the problem when it is reported; its end is said here.
    if (!problem) this.#options.log(`"${entry.job.name}": watching its path again`);
    this.#options.problemChanged(entry.job.id, problem);
  }
}

function problemOf(path: string, status: PathWatchStatus): string | null {
  switch (status.state) {
    case "starting":
    case "watching":
      return null;
    case "missing":
    case "failed":
      return watchProblemWords(path, status);
    default: {
      const unhandled: never = status;
      throw new Error(`unknown watch status ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * The variables a watch run gets: SUNDIAL_CHANGED_PATHS, the changed paths (absolute, sorted,
 * one per line), at most MAX_CHANGED_PATHS of them in MAX_CHANGED_PATHS_BYTES; past that,
 * SUNDIAL_CHANGED_PATHS_TRUNCATED=1 says the list is incomplete (look at the folder itself).
 */
export function changedPathsVariables(burst: ChangeBurst): Record<string, string> {
  const kept: string[] = [];
  let bytes = 0;
  let truncated = burst.truncated;
  for (const path of [...burst.paths].sort()) {
    const size = Buffer.byteLength(path) + 1;
    if (kept.length >= MAX_CHANGED_PATHS || bytes + size > MAX_CHANGED_PATHS_BYTES) {
      truncated = true;
      break;
    }
    kept.push(path);
    bytes += size;
  }
  return truncated ? { SUNDIAL_CHANGED_PATHS: kept.join("\n"), SUNDIAL_CHANGED_PATHS_TRUNCATED: "1" } : { SUNDIAL_CHANGED_PATHS: kept.join("\n") };
}
