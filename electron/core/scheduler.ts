/**
 * The scheduler: one wake loop for every job. It owns the only timer in the engine, decides
 * which slots are due, applies the catch-up, overlap and retry policies, and hands runs to
 * the RunLauncher. Time comes from the injected Clock; nothing here reads Date.now().
 *
 * Guarantees (DESIGN.md "Semantics"):
 * - a slot at or before the last handled slot never runs again (in memory, and across
 *   restarts because a run is recorded durably before it is spawned);
 * - one timer, armed for the earliest due item and capped at WAKE_CAP_MS so wall-clock
 *   jumps and suspends are noticed; a timer that fires early simply re-arms;
 * - missed slots (engine down, laptop asleep, clock jumped forward) go through `catchUp`.
 *
 * This file composes the roles in scheduler/: the job registry (job-registry.ts, job-state.ts),
 * the trigger's slots (slots.ts), the catch-up and retry plans (policies.ts), carrying runs out
 * under the overlap policy (dispatch.ts), the prepare pass (prepare-pass.ts) and the timer
 * (wake-loop.ts).
 */
import type { Job, JobView, Run, Settings, ValidJobInput } from "../shared/schemas.js";
import { RunNotActiveError, JobBusyError, ValidationError, nameTakenIssue, type FieldIssue } from "../shared/errors.js";
import type { Clock, TimerHandle } from "./clock.js";
import type { EventBus } from "./events.js";
import type { JobStore, UpdateScope } from "./store/job-store.js";
import type { RunHistory } from "./store/run-history.js";
import type { RunLogs } from "./store/run-logs.js";
import type { JobTimes } from "./triggers/job-times.js";
import { jobTimesOf } from "./triggers/index.js";
import type { RunLauncher } from "./run-launcher.js";
import { JobRegistry } from "./scheduler/job-registry.js";
import { JobState, jobView } from "./scheduler/job-state.js";
import { planRetry } from "./scheduler/policies.js";
import { RunDispatch } from "./scheduler/dispatch.js";
import { PreparePass } from "./scheduler/prepare-pass.js";
import { dueAtOf, nextSlotOf, withAnchor } from "./scheduler/slots.js";
import { earliestWake, WakeLoop } from "./scheduler/wake-loop.js";
import { tracePoint } from "./trace.js";
import type { AlertMonitor } from "./alerts/alert-monitor.js";
import type { MissedWhile } from "../shared/wording.js";
import type { OpenAlert } from "../shared/alert-rules.js";
import { ConditionGate } from "./scheduler/condition-gate.js";
import { ALWAYS_READY, type SystemState } from "./system-state/system-state.js";
import type { EventRunReason } from "../shared/run-statuses.js";
import { DEFAULT_EVENT_SOURCES, type EventSource, type EventSourceFactory, type EventSourceHost } from "./event-sources/index.js";

export interface SchedulerOptions {
  clock: Clock;
  store: JobStore;
  history: RunHistory;
  logs: RunLogs;
  launcher: RunLauncher;
  events: EventBus;
  log: (line: string) => void;
  /** Longest sleep; bounds how late a clock change or suspend is noticed. */
  wakeCapMs?: number;
  /** A single slot this late is still an ordinary run; later than this it is a missed run. */
  onTimeToleranceMs?: number;
  /** Wall and monotonic clocks disagreeing by more than this means the clock jumped. */
  clockJumpToleranceMs?: number;
  /** At most this many runs for `catchUp: all` (the rest are recorded as missed). */
  catchUpRunCap?: number;
  /** At most this many slots waiting under `overlap: queue`. */
  queueCap?: number;
  /** Alert rules (issue 16): told of runs, asked at every wake-up; absent, no alerts. */
  alerts?: AlertMonitor;
  /** Power and network for the run conditions (issue 15); absent, they always hold. */
  system?: SystemState;
  /** What runs jobs on events (startup, wake, after, …); default DEFAULT_EVENT_SOURCES. */
  eventSources?: readonly EventSourceFactory[];
}

/**
 * A forward jump of the wall clock at least this long is taken as the computer waking from
 * sleep (the monotonic clock stops while it sleeps): `wake` triggers fire. The daemon has no
 * other way to know; the app also hears Electron's `powerMonitor`.
 */
export const WAKE_GAP_MS = 30_000;
/** Wake signals this close together (the app's resume, then the clock gap it left) are one wake. */
export const WAKE_REPEAT_MS = 60_000;
/** Saving a job waits at most this long for its event sources to be live (a watch's watchers ready). */
export const SOURCE_READY_CAP_MS = 5_000;

const DEFAULTS = {
  wakeCapMs: 60_000,
  onTimeToleranceMs: 5_000,
  clockJumpToleranceMs: 2_000,
  catchUpRunCap: 100,
  queueCap: 100,
};

/**
 * Every store change here replaces whole job objects (never edits one in place) and names
 * them, so a large store appends just those jobs to its journal.
 */
const SETTINGS_ONLY: UpdateScope = { jobIds: [] };

/** How often retention runs (after a run finishes). */
const PRUNE_EVERY_MS = 10 * 60_000;

export class Scheduler {
  readonly #clock: Clock;
  readonly #store: JobStore;
  readonly #history: RunHistory;
  readonly #logs: RunLogs;
  readonly #launcher: RunLauncher;
  readonly #events: EventBus;
  readonly #log: (line: string) => void;
  readonly #options: typeof DEFAULTS;
  readonly #alerts: AlertMonitor | null;
  /** Set by a start, a wake or a forward clock jump: slots found missed in the next full tick make one summary. */
  #away: MissedWhile | null = null;
  #missed: { job: Job; caughtUp: boolean }[] = [];
  readonly #sources: EventSource[];
  /** Monotonic time of the last wake the sources were told of. */
  #lastWake = -Infinity;

  readonly #jobs = new JobRegistry();
  readonly #wakeLoop: WakeLoop;
  readonly #prepare: PreparePass;
  readonly #dispatch: RunDispatch;
  readonly #gate: ConditionGate;
  #started = false;
  #stopping = false;
  #lastPrune = -Infinity;
  /** Counts wake-ups, for the idle-cost benchmark and tests. */
  wakeCount = 0;

  constructor(options: SchedulerOptions) {
    this.#clock = options.clock;
    this.#store = options.store;
    this.#history = options.history;
    this.#logs = options.logs;
    this.#launcher = options.launcher;
    this.#events = options.events;
    this.#log = options.log;
    const { alerts, system, eventSources, ...timing } = options;
    this.#options = { ...DEFAULTS, ...stripUndefined(timing) };
    this.#alerts = alerts ?? null;
    this.#wakeLoop = new WakeLoop({
      clock: this.#clock,
      wakeCapMs: this.#options.wakeCapMs,
      clockJumpToleranceMs: this.#options.clockJumpToleranceMs,
      onWake: () => this.#tick(true),
      onClockJump: (drift) => {
        this.#log(`the wall clock jumped ${drift > 0 ? "forward" : "back"} by ${Math.round(Math.abs(drift) / 1000)}s; re-checking due runs`);
        if (drift > 0) this.#away ??= "asleep";
        for (const state of this.#jobs.states()) this.#computeNext(state);
        if (drift >= WAKE_GAP_MS) this.#woke();
      },
    });
    this.#prepare = new PreparePass({
      launcher: this.#launcher,
      clock: this.#clock,
      states: () => this.#jobs.states(),
      live: () => this.#started && !this.#stopping,
      globallyPaused: () => this.#globallyPaused,
    });
    this.#gate = new ConditionGate({
      clock: this.#clock,
      launcher: this.#launcher,
      system: system ?? ALWAYS_READY,
      log: this.#log,
      warn: (message) => this.#warn(message),
      onSystemChange: () => {
        if (this.#started && !this.#stopping) this.#tick();
      },
    });
    this.#dispatch = new RunDispatch({
      clock: this.#clock,
      launcher: this.#launcher,
      jobs: this.#jobs,
      prepare: this.#prepare,
      gate: this.#gate,
      onTimeToleranceMs: this.#options.onTimeToleranceMs,
      catchUpRunCap: this.#options.catchUpRunCap,
      queueCap: this.#options.queueCap,
      log: this.#log,
      warn: (message) => this.#warn(message),
      computeNext: (state) => this.#computeNext(state),
      onRunEnded: (state, run) => this.#afterRun(state, run),
      onRunStarted: (state, run) => {
        if (this.#alerts?.runStarted(state.job, run)) this.#arm();
      },
      onMissed: (state, caughtUp) => {
        if (this.#away) this.#missed.push({ job: state.job, caughtUp });
      },
    });
    const host: EventSourceHost = {
      jobs: () => this.jobs(),
      job: (jobId) => this.#jobs.get(jobId)?.job,
      fire: (jobId, reason, fireOptions) => this.#fireEvent(jobId, reason, fireOptions?.delayMs ?? 0, fireOptions?.env),
      reportProblem: (jobId, problem) => {
        const state = this.#jobs.get(jobId);
        if (!state || state.eventProblem === problem) return;
        state.eventProblem = problem;
        if (problem) this.#warn(`job "${state.job.name}": ${problem}`);
        this.#events.emit({ type: "job.updated", job: this.#view(state) });
      },
      clock: this.#clock,
      subscribe: (listener) => this.#events.subscribe(listener),
      log: this.#log,
      warn: (message) => this.#warn(message),
    };
    this.#sources = (eventSources ?? DEFAULT_EVENT_SOURCES).map((create) => create(host));
  }

  get settings(): Settings {
    return this.#store.data.settings;
  }

  get #globallyPaused(): boolean {
    return this.settings.allPaused;
  }

  /**
   * Builds every job's state from the store and history, applies catch-up for slots missed
   * while the engine was down, and arms the timer.
   */
  async start(): Promise<void> {
    const now = this.#clock.now();
    const pausedUntil = this.settings.pausedUntil ? Date.parse(this.settings.pausedUntil) : null;
    for (const job of this.#store.data.jobs) {
      let floor = Math.max(Date.parse(job.createdAt), this.#history.lastScheduledAt(job.id)?.getTime() ?? -Infinity);
      // Slots during a global pause that ended while we were down were paused, not missed.
      if (pausedUntil !== null && pausedUntil <= now) floor = Math.max(floor, pausedUntil);
      this.#jobs.set(this.#buildState(job, floor));
    }
    if (this.settings.allPaused && pausedUntil !== null && pausedUntil <= now) {
      await this.#store.update((data) => {
        data.settings.allPaused = false;
        data.settings.pausedUntil = null;
      }, SETTINGS_ONLY);
    }
    this.#started = true;
    await this.#prune();
    this.#away = "off";
    this.#tick();
    this.#tellSources((source) => source.started?.());
  }

  /**
   * The computer resumed from sleep or the screen was unlocked (the app's `powerMonitor`):
   * re-check due runs now, and run the jobs with a `wake` trigger.
   */
  wake(): void {
    if (!this.#started || this.#stopping) return;
    this.#away ??= "asleep";
    this.#tick();
    this.#woke();
  }

  /** Tells the sources of a wake, once for signals that come together (see WAKE_REPEAT_MS). */
  #woke(): void {
    const mono = this.#clock.monotonic();
    if (mono - this.#lastWake < WAKE_REPEAT_MS) return;
    this.#lastWake = mono;
    this.#log("the computer woke: running jobs with a wake trigger");
    this.#tellSources((source) => source.woke?.());
  }

  /** A source's hook; one that throws is a warning, never the engine's end. */
  #tellSources(hook: (source: EventSource) => void): void {
    for (const source of this.#sources) {
      try {
        hook(source);
      } catch (error) {
        this.#warn(`an event source failed: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Tells the sources that jobs changed, and waits until the change is live in them (a watch's
   * watchers are ready), at most SOURCE_READY_CAP_MS: a huge tree to watch must not hold up a save.
   */
  async #jobsChanged(): Promise<void> {
    const pending: Promise<void>[] = [];
    this.#tellSources((source) => {
      const live = source.jobsChanged?.();
      if (live) pending.push(live.catch((error: Error) => this.#warn(`an event source failed: ${error.message}`)));
    });
    if (pending.length === 0) return;
    let timer: TimerHandle | null = null;
    await Promise.race([Promise.all(pending), new Promise<void>((resolve) => (timer = this.#clock.setTimer(resolve, SOURCE_READY_CAP_MS)))]);
    if (timer) this.#clock.clearTimer(timer);
  }

  /** An event source asks for a run (see EventSourceHost.fire). */
  #fireEvent(jobId: string, reason: EventRunReason, delayMs: number, env: Record<string, string> | undefined): void {
    const state = this.#jobs.get(jobId);
    if (!state || !this.#started || this.#stopping) return;
    if (state.job.paused || this.#globallyPaused) {
      this.#log(`"${state.job.name}": ${reason} event ignored (paused)`);
      return;
    }
    if (delayMs > 0) {
      state.delayed.push({ scheduledAt: null, reason, attempt: 1, dueAt: this.#clock.now() + delayMs, ...(env ? { env } : {}) });
      this.#arm();
      return;
    }
    this.#dispatch.fireEvent(state, reason, env);
  }

  // ------------------------------------------------------------------ views

  views(): JobView[] {
    return [...this.#jobs.states()].map((state) => this.#view(state));
  }

  view(jobId: string): JobView | null {
    const state = this.#jobs.get(jobId);
    return state ? this.#view(state) : null;
  }

  jobs(): Job[] {
    return [...this.#jobs.states()].map((state) => state.job);
  }

  /** Jobs whose alert still holds (issue 16), by name. */
  openAlerts(): { jobId: string; jobName: string; alert: OpenAlert }[] {
    if (!this.#alerts) return [];
    const open: { jobId: string; jobName: string; alert: OpenAlert }[] = [];
    for (const state of this.#jobs.states()) {
      const alert = this.#alerts.openAlert(state.job);
      if (alert) open.push({ jobId: state.job.id, jobName: state.job.name, alert });
    }
    return open.sort((a, b) => a.jobName.localeCompare(b.jobName));
  }

  runningRuns(): Run[] {
    return [...this.#jobs.activeRuns()].map((active) => active.run);
  }

  isRunning(runId: string): boolean {
    return this.#jobs.activeRun(runId) !== undefined;
  }

  /** The soonest next run over all jobs. */
  nextRun(): { job: Job; at: number } | null {
    if (this.#globallyPaused) return null;
    let best: { job: Job; at: number } | null = null;
    for (const state of this.#jobs.states()) {
      if (state.job.paused || state.dueAt === null) continue;
      if (!best || state.dueAt < best.at) best = { job: state.job, at: state.dueAt };
    }
    return best;
  }

  #view(state: JobState): JobView {
    return jobView(state, this.#history.lastRun(state.job.id), this.#globallyPaused, this.#alerts?.openAlert(state.job) ?? null, (jobId) => this.#jobs.has(jobId));
  }

  // ------------------------------------------------------------------ job changes

  /** Adds a validated job; resolves once it is durably stored. */
  async addJob(input: ValidJobInput): Promise<JobView> {
    const [view] = await this.addJobs([input]);
    return view!;
  }

  /**
   * Adds validated jobs in one durable write: all of them or, if the write fails, none.
   * Throws ValidationError (`name`, or `jobs[i].name` for several) when a name is taken by a
   * stored job or one being written: checked here, synchronously, because the service's
   * check runs before other writes in flight land.
   */
  async addJobs(inputs: ValidJobInput[]): Promise<JobView[]> {
    const taken = this.#jobs.takenNames();
    const clashes: FieldIssue[] = [];
    inputs.forEach((input, index) => {
      const owner = taken.get(input.name);
      if (owner !== undefined) clashes.push(nameTakenIssue(inputs.length === 1 ? "name" : `jobs[${index}].name`, input.name));
      else taken.set(input.name, "(this import)");
    });
    if (clashes.length > 0) throw new ValidationError(clashes);
    const now = this.#clock.now();
    const nowIso = new Date(now).toISOString();
    const ids = new Set<string>();
    const idOf = new Map<string, string>();
    for (const input of inputs) {
      let id = this.#jobs.uniqueJobId();
      while (ids.has(id)) id = this.#jobs.uniqueJobId();
      ids.add(id);
      idOf.set(input.name, id);
    }
    const states = inputs.map((input) => {
      // An `after` naming another job of this import (the service left its name) now gets its id.
      const triggers = input.triggers.map((trigger) => (trigger.type === "after" && !this.#jobs.has(trigger.job) && idOf.has(trigger.job) ? { ...trigger, job: idOf.get(trigger.job)! } : trigger));
      const job: Job = { ...withAnchor({ ...input, triggers }, nowIso), id: idOf.get(input.name)!, createdAt: nowIso, updatedAt: nowIso };
      return this.#buildState(job, now);
    });
    const release = this.#jobs.reserveNames(states.map((state) => ({ name: state.job.name, jobId: state.job.id })));
    try {
      await this.#store.update(
        (data) => {
          data.jobs.push(...states.map((state) => state.job));
        },
        { jobIds: states.map((state) => state.job.id) },
      );
    } finally {
      release();
    }
    const views = states.map((state) => {
      this.#jobs.set(state);
      const view = this.#view(state);
      this.#events.emit({ type: "job.added", job: view });
      return view;
    });
    this.#arm();
    await this.#jobsChanged();
    // What the sources found meanwhile (a watched path missing) is part of the answer.
    return states.map((state, index) => (this.#jobs.get(state.job.id) === state ? this.#view(state) : views[index]!));
  }

  /**
   * Replaces a job's definition with `next` (already validated and merged). A new trigger
   * starts from now: slots of the old schedule are never caught up under the new one.
   */
  async updateJob(jobId: string, next: Job): Promise<JobView> {
    const state = this.#jobs.require(jobId);
    // Only a new name is checked: jobs that already share one (stores written before names
    // were unique under concurrency) can still be paused and edited.
    const owner = next.name === state.job.name ? null : this.#jobs.nameOwner(next.name, jobId);
    if (owner !== null) throw new ValidationError([nameTakenIssue("name", next.name)]);
    const now = this.#clock.now();
    const triggerChanged = JSON.stringify(state.job.triggers) !== JSON.stringify(next.triggers);
    const resumed = state.job.paused && !next.paused;
    const job: Job = { ...next, id: jobId, createdAt: state.job.createdAt, updatedAt: new Date(now).toISOString() };
    if (triggerChanged) Object.assign(job, withAnchor(job, job.updatedAt));
    const trigger = triggerChanged ? jobTimesOf(job.triggers) : state.trigger;
    // Reserved even when the name is unchanged: this write puts it back if a rename lands first.
    const release = this.#jobs.reserveNames([{ name: job.name, jobId }]);
    try {
      await this.#store.update(
        (data) => {
          const index = data.jobs.findIndex((candidate) => candidate.id === jobId);
          if (index >= 0) data.jobs[index] = job;
        },
        { jobIds: [jobId] },
      );
    } finally {
      release();
    }
    state.job = job;
    state.trigger = trigger;
    if (triggerChanged) {
      state.problem = null;
      // Its sources say again, at jobsChanged, what is wrong with the new triggers.
      state.eventProblem = null;
    }
    this.#prepare.discard(state);
    state.preparedFor = null;
    if (job.paused) {
      state.queued = [];
      state.retries = [];
      state.delayed = [];
      await this.#gate.drop(state, "the job was paused");
    }
    // Its conditions may have changed: a waiting run looks again at once.
    if (state.waiting) state.waiting.nextCheck = now;
    if (triggerChanged || resumed) {
      // Slots that passed while paused (or under the old trigger) are not missed runs.
      state.lastSlot = Math.max(state.lastSlot, now);
      this.#computeNext(state);
      await this.#history.markScheduled(jobId, new Date(state.lastSlot)).catch((error: Error) => this.#warn(`could not record the resume point of "${job.name}": ${error.message}`));
    }
    const view = this.#view(state);
    this.#events.emit({ type: "job.updated", job: view });
    this.#arm();
    await this.#jobsChanged();
    return this.#jobs.get(jobId) === state ? this.#view(state) : view;
  }

  /**
   * Removes a job; a running run is cancelled. Its runs and logs stay in the history (marked
   * as a deleted job's by the service, pruned by retention) unless `purge` erases them too.
   */
  async removeJob(jobId: string, options: { purge: boolean } = { purge: false }): Promise<void> {
    const state = this.#jobs.require(jobId);
    await this.#store.update(
      (data) => {
        data.jobs = data.jobs.filter((job) => job.id !== jobId);
      },
      { jobIds: [jobId] },
    );
    this.#jobs.delete(jobId);
    this.#prepare.discard(state);
    await this.#gate.drop(state, "the job was removed");
    state.queued = [];
    state.retries = [];
    const finishing = [...state.running.values()].map((active) => {
      active.cancel("cancelled", "the job was removed");
      return active.finished;
    });
    await Promise.allSettled(finishing);
    await this.#alerts?.jobRemoved(jobId, options.purge).catch((error: Error) => this.#warn(`could not erase the alerts of "${state.job.name}": ${error.message}`));
    const removedRuns = await this.#history.forgetJob(jobId, { keepRuns: !options.purge });
    await this.#logs.remove(removedRuns);
    this.#events.emit({ type: "job.removed", jobId });
    // A job that ran after this one now says so (its problem): the chain is broken.
    for (const child of this.#jobs.states()) {
      if (child.job.triggers.some((trigger) => trigger.type === "after" && trigger.job === jobId)) this.#events.emit({ type: "job.updated", job: this.#view(child) });
    }
    this.#arm();
    void this.#jobsChanged();
  }

  /** Pauses every schedule; with `until`, resumes by itself then. Running runs go on. */
  async pauseAll(until: number | null): Promise<void> {
    await this.#store.update((data) => {
      data.settings.allPaused = true;
      data.settings.pausedUntil = until === null ? null : new Date(until).toISOString();
    }, SETTINGS_ONLY);
    for (const state of this.#jobs.states()) this.#prepare.discard(state);
    await Promise.all([...this.#jobs.states()].map((state) => this.#gate.drop(state, "all jobs were paused")));
    this.#events.emit({ type: "engine.paused", pausedUntil: this.settings.pausedUntil });
    this.#arm();
  }

  async resumeAll(): Promise<void> {
    const now = this.#clock.now();
    await this.#store.update((data) => {
      data.settings.allPaused = false;
      data.settings.pausedUntil = null;
    }, SETTINGS_ONLY);
    // Slots that passed during the pause were paused, not missed: start again from now.
    await Promise.all(
      [...this.#jobs.states()].map((state) => {
        state.lastSlot = Math.max(state.lastSlot, now);
        this.#computeNext(state);
        return this.#history.markScheduled(state.job.id, new Date(state.lastSlot)).catch(() => undefined);
      }),
    );
    this.#events.emit({ type: "engine.resumed" });
    this.#tick();
  }

  /**
   * Changes the stored settings durably (a failed write changes nothing). A changed retention
   * applies at once: the history is pruned now, not at the next start or the next prune.
   */
  async updateSettings(change: (settings: Settings) => void, options: { prune: boolean }): Promise<void> {
    await this.#store.update((data) => change(data.settings), SETTINGS_ONLY);
    if (options.prune && this.#started && !this.#stopping) await this.#prune();
  }

  // ------------------------------------------------------------------ runs

  /** Starts a run now ("Run now"), honouring the job's overlap policy. */
  async runNow(jobId: string): Promise<Run> {
    const state = this.#jobs.require(jobId);
    if (state.busy) {
      if (state.job.overlap === "skip" || state.job.overlap === "queue") throw new JobBusyError(state.job.name);
      if (state.job.overlap === "replace") this.#dispatch.replaceRunning(state);
    }
    const active = await this.#dispatch.launch(state, { reason: "manual", scheduledAt: null, attempt: 1 });
    if (!active) throw new Error(`Could not start "${state.job.name}": see the engine's warnings`);
    return active.run;
  }

  /** Cancels a running run; resolves with the recorded run. */
  async cancelRun(runId: string): Promise<Run> {
    const active = this.#jobs.activeRun(runId);
    if (!active) throw new RunNotActiveError(runId);
    active.cancel("cancelled", "cancelled by the user");
    return active.finished;
  }

  /**
   * Stops the wake loop and ends running runs (SIGTERM, then SIGKILL after the executor's
   * grace); they are recorded as `interrupted`.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#tellSources((source) => source.stop?.());
    if (this.#alerts) this.#alerts.quiet = true;
    this.#wakeLoop.clear();
    this.#prepare.cancel();
    for (const state of this.#jobs.states()) this.#prepare.discard(state);
    this.#launcher.quiet = true;
    await Promise.all([...this.#jobs.states()].map((state) => this.#gate.drop(state, "Sundial stopped")));
    this.#gate.close();
    const finishing = [...this.#jobs.activeRuns()].map((active) => {
      active.cancel("interrupted", "Sundial stopped while this run was in progress");
      return active.finished;
    });
    await Promise.allSettled(finishing);
    // Launches that were still recording their start finish their own bookkeeping.
    while ([...this.#jobs.states()].some((state) => state.launching > 0)) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const active of this.#jobs.activeRuns()) {
      active.cancel("interrupted", "Sundial stopped while this run was in progress");
      await active.finished.catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ the wake loop

  /** `fromTimer`: may take the short path; every other caller changed something, or asks for a full check. */
  #tick(fromTimer = false): void {
    if (this.#stopping) return;
    this.wakeCount++;
    let now = this.#wakeLoop.readClock();
    if (fromTimer) {
      now = this.#wakeLoop.waitOutLastMoment(now);
      tracePoint("wake");
    }
    // A wake-up only to check the clock (the cap), with nothing due and the clock sane: no
    // walk over the jobs.
    if (fromTimer && this.#wakeLoop.sleepIfEarly(now)) return;

    const pausedUntil = this.settings.pausedUntil ? Date.parse(this.settings.pausedUntil) : null;
    if (this.#globallyPaused && pausedUntil !== null && pausedUntil <= now) {
      void this.resumeAll().catch((error: Error) => this.#warn(`could not resume after the pause: ${error.message}`));
      return;
    }
    if (!this.#globallyPaused) {
      this.#dispatch.releaseOnTime(this.#jobs.states(), now);
      for (const state of this.#jobs.states()) {
        if (state.job.paused) continue;
        if (state.dueAt !== null && state.dueAt <= now) this.#dispatch.handleDue(state, now);
        this.#dispatch.startPending(state, now);
        // After the due slots, which join a waiting run rather than start beside it.
        if (state.waiting) this.#dispatch.releaseWaiting(state, now);
      }
    }
    this.#afterAway();
    this.#alerts?.check(this.jobs(), now);
    this.#arm();
    this.#prepare.schedule();
  }

  /** Arms the one timer for the earliest due item, capped so clock changes are noticed. */
  #arm(): void {
    if (!this.#started || this.#stopping) return;
    this.#wakeLoop.clear();
    const now = this.#wakeLoop.readClock();
    let target = Infinity;
    if (this.#globallyPaused) {
      if (this.settings.pausedUntil) target = Date.parse(this.settings.pausedUntil);
    } else {
      target = earliestWake(this.#jobs.states(), now, this.#launcher.canPrepare);
    }
    // The dead-man's switch and slow runs fall due on this same timer, paused or not.
    if (this.#alerts) target = Math.min(target, this.#alerts.nextDeadline(this.jobs()));
    this.#wakeLoop.armFor(target, now);
  }

  /**
   * After a start, a wake or a forward clock jump: the slots found missed make one summary
   * alert ("3 jobs missed while asleep: 2 caught up, 1 skipped"), not one notice per job.
   */
  #afterAway(): void {
    const missed = this.#missed;
    const away = this.#away;
    this.#missed = [];
    this.#away = null;
    if (!this.#alerts || away === null || missed.length === 0) return;
    void this.#alerts.missedSummary(missed, away).catch((error: Error) => this.#warn(`could not raise the missed-runs summary: ${error.message}`));
  }

  #afterRun(state: JobState, run: Run): void {
    this.#jobs.runEnded(state, run.id);
    const eventEnv = state.eventEnv.get(run.id);
    state.eventEnv.delete(run.id);
    if (this.#stopping || !this.#jobs.has(state.job.id)) return;
    if (this.#alerts) void this.#alerts.runEnded(state.job, run).catch((error: Error) => this.#warn(`alert rules of "${state.job.name}": ${error.message}`));
    const planned = planRetry(state.job, run, this.#clock.now());
    if (planned) {
      // A chained run's retry still knows the run it follows.
      state.retries.push(eventEnv ? { ...planned.retry, env: eventEnv } : planned.retry);
      const { retries } = state.job;
      this.#log(`"${state.job.name}" ${run.status}; retry ${run.attempt} of ${retries.count} in ${Math.round(planned.delayMs / 1000)}s`);
    } else {
      // The run's final outcome (no retry follows): chains go on from here.
      this.#tellSources((source) => source.runEnded?.(state.job, run));
    }
    if (!this.#globallyPaused && !state.job.paused) this.#dispatch.startPending(state, this.#clock.now());
    this.#arm();
    this.#prepare.schedule();
    if (this.#clock.now() - this.#lastPrune > PRUNE_EVERY_MS) void this.#prune();
  }

  async #prune(): Promise<void> {
    this.#lastPrune = this.#clock.now();
    try {
      const removed = await this.#history.prune(this.settings.history, new Date(this.#lastPrune));
      if (removed.length > 0) await this.#logs.remove(removed);
      await this.#alerts?.prune(this.settings.history.maxAgeDays, this.#lastPrune);
    } catch (error) {
      this.#warn(`history retention failed: ${(error as Error).message}`);
    }
  }

  // ------------------------------------------------------------------ helpers

  #buildState(job: Job, floor: number): JobState {
    let trigger: JobTimes | null = null;
    let problem: string | null = null;
    try {
      trigger = jobTimesOf(job.triggers);
    } catch (error) {
      // A stored job whose trigger no longer parses (or is out of range) must not stop every
      // other job: it is kept, shown as broken with the reason, and never run by its trigger.
      problem = (error as Error).message;
      this.#warn(`job "${job.name}" (${job.id}) has an unusable trigger and will not run: ${problem}`);
    }
    const state = new JobState(job, trigger, floor);
    state.problem = problem;
    this.#computeNext(state);
    return state;
  }

  #computeNext(state: JobState): void {
    const next = nextSlotOf(state, state.lastSlot, (message) => this.#warn(message));
    state.nextSlot = next;
    state.dueAt = state.nextSlot === null ? null : dueAtOf(state, state.nextSlot);
    if (state.prepared && state.prepared.slot !== state.nextSlot) this.#prepare.discard(state);
  }

  #warn(message: string): void {
    this.#log(message);
    this.#events.emit({ type: "engine.warning", message });
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
