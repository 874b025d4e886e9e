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
 */
import { performance } from "node:perf_hooks";
import type { Job, JobView, Run, RunReason, Settings, ValidJobInput, OverlapPolicy } from "../shared/schemas.js";
import { RunNotActiveError, JobBusyError } from "../shared/errors.js";
import type { Clock, TimerHandle } from "./clock.js";
import { MAX_TIMER_MS } from "./clock.js";
import type { EventBus } from "./events.js";
import type { JobStore, UpdateScope } from "./store/job-store.js";
import type { RunHistory } from "./store/run-history.js";
import type { RunLogs } from "./store/run-logs.js";
import type { Trigger } from "./triggers/trigger.js";
import { fromSpec, formatInZone, systemTimeZone } from "./triggers/index.js";
import { jitterDelayMs } from "./triggers/interval.js";
import { ActiveRun, RunLauncher, type LaunchRequest, type PreparedLaunch } from "./run-launcher.js";
import { newJobId } from "./ids.js";

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
}

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
/**
 * A scheduled run's process is started this long before its slot and waits there (see
 * RunLauncher.prepare): forking the engine costs ~10 ms per process on the event loop, which
 * would otherwise delay every other run due at the same second.
 */
const PREPARE_LEAD_MS = 2_000;
/** At most this many prepared processes waiting at once (each is a sleeping /bin/sh). */
const PREPARED_CAP = 256;

/** Time box for walking missed slots before fast-forwarding (dense cron over a long outage). */
const CATCH_UP_SCAN_BUDGET_MS = 50;

interface PendingRun {
  scheduledAt: number | null;
  reason: RunReason;
  attempt: number;
  /** When it may start (retries wait; queued runs start when the job is free). */
  dueAt: number;
}

/** Everything the scheduler knows about one job. */
class JobState {
  /** Latest slot handled (fired, skipped, missed); slots at or before it never run. */
  lastSlot: number;
  nextSlot: number | null = null;
  /** nextSlot plus the interval's jitter. */
  dueAt: number | null = null;
  readonly running = new Map<string, ActiveRun>();
  /** Runs being recorded before spawn: they count as running for overlap. */
  launching = 0;
  queued: PendingRun[] = [];
  retries: PendingRun[] = [];
  /** The process waiting for nextSlot, if one was prepared. */
  prepared: PreparedLaunch | null = null;
  /** The slot a preparation was last attempted for (once per slot, even when it failed). */
  preparedFor: number | null = null;

  constructor(
    public job: Job,
    public trigger: Trigger | null,
    floor: number,
  ) {
    this.lastSlot = floor;
  }

  get busy(): boolean {
    return this.running.size > 0 || this.launching > 0;
  }
}

export class Scheduler {
  readonly #clock: Clock;
  readonly #store: JobStore;
  readonly #history: RunHistory;
  readonly #logs: RunLogs;
  readonly #launcher: RunLauncher;
  readonly #events: EventBus;
  readonly #log: (line: string) => void;
  readonly #options: typeof DEFAULTS;

  readonly #states = new Map<string, JobState>();
  readonly #activeRuns = new Map<string, { state: JobState; active: ActiveRun }>();
  #timer: TimerHandle | null = null;
  /** What the timer was armed for (the earliest due item); nothing is due before it. */
  #armedFor = -Infinity;
  /** The last reading of both clocks, to notice the wall clock jumping between readings. */
  #lastWall: number | null = null;
  #lastMono = 0;
  #started = false;
  #stopping = false;
  #lastPrune = -Infinity;
  /** Launches recording their start: preparing (a fork) waits until they are spawned. */
  #launching = 0;
  #preparedCount = 0;
  #preparePass: NodeJS.Immediate | null = null;
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
    this.#options = { ...DEFAULTS, ...stripUndefined(options) };
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
      this.#states.set(job.id, this.#buildState(job, floor));
    }
    if (this.settings.allPaused && pausedUntil !== null && pausedUntil <= now) {
      await this.#store.update((data) => {
        data.settings.allPaused = false;
        data.settings.pausedUntil = null;
      }, SETTINGS_ONLY);
    }
    this.#started = true;
    await this.#prune();
    this.#tick();
  }

  /** Re-check due runs now (after a resume from sleep, an unlock, a settings change). */
  wake(): void {
    if (this.#started && !this.#stopping) this.#tick();
  }

  // ------------------------------------------------------------------ views

  views(): JobView[] {
    return [...this.#states.values()].map((state) => this.#view(state));
  }

  view(jobId: string): JobView | null {
    const state = this.#states.get(jobId);
    return state ? this.#view(state) : null;
  }

  jobs(): Job[] {
    return [...this.#states.values()].map((state) => state.job);
  }

  runningRuns(): Run[] {
    return [...this.#activeRuns.values()].map(({ active }) => active.run);
  }

  isRunning(runId: string): boolean {
    return this.#activeRuns.has(runId);
  }

  /** The soonest next run over all jobs. */
  nextRun(): { job: Job; at: number } | null {
    if (this.#globallyPaused) return null;
    let best: { job: Job; at: number } | null = null;
    for (const state of this.#states.values()) {
      if (state.job.paused || state.dueAt === null) continue;
      if (!best || state.dueAt < best.at) best = { job: state.job, at: state.dueAt };
    }
    return best;
  }

  #view(state: JobState): JobView {
    const { job } = state;
    const zone = job.trigger.type === "cron" ? (job.trigger.timezone ?? systemTimeZone()) : systemTimeZone();
    const showNext = !job.paused && !this.#globallyPaused && state.dueAt !== null;
    // Object.assign rather than a spread: jobs come in many shapes (optional fields), and V8's
    // spread of such objects cost ~10 µs each, 100+ ms for a list of 10,000.
    return Object.assign({}, job, {
      nextRunAt: showNext ? formatInZone(new Date(state.dueAt!), zone) : null,
      lastRun: this.#history.lastRun(job.id),
      runningRunIds: state.running.size > 0 ? [...state.running.keys()] : [],
      finished: state.trigger !== null && state.nextSlot === null,
    });
  }

  // ------------------------------------------------------------------ job changes

  /** Adds a validated job; resolves once it is durably stored. */
  async addJob(input: ValidJobInput): Promise<JobView> {
    const [view] = await this.addJobs([input]);
    return view!;
  }

  /** Adds validated jobs in one durable write: all of them or, if the write fails, none. */
  async addJobs(inputs: ValidJobInput[]): Promise<JobView[]> {
    const now = this.#clock.now();
    const nowIso = new Date(now).toISOString();
    const ids = new Set<string>();
    const states = inputs.map((input) => {
      let id = this.#uniqueJobId();
      while (ids.has(id)) id = this.#uniqueJobId();
      ids.add(id);
      const job: Job = { ...withAnchor(input, nowIso), id, createdAt: nowIso, updatedAt: nowIso };
      return this.#buildState(job, now);
    });
    await this.#store.update(
      (data) => {
        data.jobs.push(...states.map((state) => state.job));
      },
      { jobIds: states.map((state) => state.job.id) },
    );
    const views = states.map((state) => {
      this.#states.set(state.job.id, state);
      const view = this.#view(state);
      this.#events.emit({ type: "job.added", job: view });
      return view;
    });
    this.#arm();
    return views;
  }

  /**
   * Replaces a job's definition with `next` (already validated and merged). A new trigger
   * starts from now: slots of the old schedule are never caught up under the new one.
   */
  async updateJob(jobId: string, next: Job): Promise<JobView> {
    const state = this.#requireState(jobId);
    const now = this.#clock.now();
    const triggerChanged = JSON.stringify(state.job.trigger) !== JSON.stringify(next.trigger);
    const resumed = state.job.paused && !next.paused;
    const job: Job = { ...next, id: jobId, createdAt: state.job.createdAt, updatedAt: new Date(now).toISOString() };
    if (triggerChanged) Object.assign(job, withAnchor(job, job.updatedAt));
    const trigger = triggerChanged ? fromSpec(job.trigger) : state.trigger;
    await this.#store.update(
      (data) => {
        const index = data.jobs.findIndex((candidate) => candidate.id === jobId);
        if (index >= 0) data.jobs[index] = job;
      },
      { jobIds: [jobId] },
    );
    state.job = job;
    state.trigger = trigger;
    this.#discardPrepared(state);
    state.preparedFor = null;
    if (job.paused) {
      state.queued = [];
      state.retries = [];
    }
    if (triggerChanged || resumed) {
      // Slots that passed while paused (or under the old trigger) are not missed runs.
      state.lastSlot = Math.max(state.lastSlot, now);
      this.#computeNext(state);
      await this.#history.markScheduled(jobId, new Date(state.lastSlot)).catch((error: Error) => this.#warn(`could not record the resume point of "${job.name}": ${error.message}`));
    }
    const view = this.#view(state);
    this.#events.emit({ type: "job.updated", job: view });
    this.#arm();
    return view;
  }

  async removeJob(jobId: string): Promise<void> {
    const state = this.#requireState(jobId);
    await this.#store.update(
      (data) => {
        data.jobs = data.jobs.filter((job) => job.id !== jobId);
      },
      { jobIds: [jobId] },
    );
    this.#states.delete(jobId);
    this.#discardPrepared(state);
    state.queued = [];
    state.retries = [];
    const finishing = [...state.running.values()].map((active) => {
      active.cancel("cancelled", "the job was removed");
      return active.finished;
    });
    await Promise.allSettled(finishing);
    const removedRuns = await this.#history.forgetJob(jobId);
    await this.#logs.remove(removedRuns);
    this.#events.emit({ type: "job.removed", jobId });
    this.#arm();
  }

  /** Pauses every schedule; with `until`, resumes by itself then. Running runs go on. */
  async pauseAll(until: number | null): Promise<void> {
    await this.#store.update((data) => {
      data.settings.allPaused = true;
      data.settings.pausedUntil = until === null ? null : new Date(until).toISOString();
    }, SETTINGS_ONLY);
    for (const state of this.#states.values()) this.#discardPrepared(state);
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
      [...this.#states.values()].map((state) => {
        state.lastSlot = Math.max(state.lastSlot, now);
        this.#computeNext(state);
        return this.#history.markScheduled(state.job.id, new Date(state.lastSlot)).catch(() => undefined);
      }),
    );
    this.#events.emit({ type: "engine.resumed" });
    this.#tick();
  }

  // ------------------------------------------------------------------ runs

  /** Starts a run now ("Run now"), honouring the job's overlap policy. */
  async runNow(jobId: string): Promise<Run> {
    const state = this.#requireState(jobId);
    if (state.busy) {
      if (state.job.overlap === "skip" || state.job.overlap === "queue") throw new JobBusyError(state.job.name);
      if (state.job.overlap === "replace") this.#replaceRunning(state);
    }
    const active = await this.#launch(state, { reason: "manual", scheduledAt: null, attempt: 1 });
    if (!active) throw new Error(`Could not start "${state.job.name}": see the engine's warnings`);
    return active.run;
  }

  /** Cancels a running run; resolves with the recorded run. */
  async cancelRun(runId: string): Promise<Run> {
    const entry = this.#activeRuns.get(runId);
    if (!entry) throw new RunNotActiveError(runId);
    entry.active.cancel("cancelled", "cancelled by the user");
    return entry.active.finished;
  }

  /**
   * Stops the wake loop and ends running runs (SIGTERM, then SIGKILL after the executor's
   * grace); they are recorded as `interrupted`.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#cancelPreparePass();
    for (const state of this.#states.values()) this.#discardPrepared(state);
    this.#launcher.quiet = true;
    const finishing = [...this.#activeRuns.values()].map(({ active }) => {
      active.cancel("interrupted", "Sundial stopped while this run was in progress");
      return active.finished;
    });
    await Promise.allSettled(finishing);
    // Launches that were still recording their start finish their own bookkeeping.
    while ([...this.#states.values()].some((state) => state.launching > 0)) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const { active } of this.#activeRuns.values()) {
      active.cancel("interrupted", "Sundial stopped while this run was in progress");
      await active.finished.catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ the wake loop

  #onTimer = (): void => {
    this.#timer = null;
    this.#tick(true);
  };

  /** `fromTimer`: may take the short path; every other caller changed something, or asks for a full check. */
  #tick(fromTimer = false): void {
    if (this.#stopping) return;
    this.wakeCount++;
    const now = this.#readClock();
    // A wake-up only to check the clock (the cap), with nothing due and the clock sane: every
    // state change re-arms, so nothing can be due before #armedFor. No walk over the jobs.
    if (fromTimer && now < this.#armedFor) {
      this.#setTimer(this.#armedFor, now);
      return;
    }

    const pausedUntil = this.settings.pausedUntil ? Date.parse(this.settings.pausedUntil) : null;
    if (this.#globallyPaused && pausedUntil !== null && pausedUntil <= now) {
      void this.resumeAll().catch((error: Error) => this.#warn(`could not resume after the pause: ${error.message}`));
      return;
    }
    if (!this.#globallyPaused) {
      for (const state of this.#states.values()) {
        if (state.job.paused) continue;
        if (state.dueAt !== null && state.dueAt <= now) this.#handleDue(state, now);
        this.#startPending(state, now);
      }
    }
    this.#arm();
    this.#schedulePrepare();
  }

  /** Arms the one timer for the earliest due item, capped so clock changes are noticed. */
  #arm(): void {
    if (!this.#started || this.#stopping) return;
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    let target = Infinity;
    const now = this.#readClock();
    if (this.#globallyPaused) {
      if (this.settings.pausedUntil) target = Date.parse(this.settings.pausedUntil);
    } else {
      const preparing = this.#launcher.canPrepare;
      for (const state of this.#states.values()) {
        if (state.job.paused) continue;
        if (state.dueAt !== null) {
          // Wake to prepare the slot's process ahead; inside the lead the prepare pass has it.
          const prepareAt = state.dueAt - PREPARE_LEAD_MS;
          const at = preparing && state.preparedFor !== state.nextSlot && prepareAt > now ? prepareAt : state.dueAt;
          if (at < target) target = at;
        }
        for (const pending of state.retries) if (pending.dueAt < target) target = pending.dueAt;
      }
    }
    this.#armedFor = target;
    this.#setTimer(target, now);
  }

  #setTimer(target: number, now: number): void {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    const delay = Math.max(0, Math.min(target - now, this.#options.wakeCapMs, MAX_TIMER_MS));
    this.#timer = this.#clock.setTimer(this.#onTimer, delay);
  }

  /**
   * Reads the wall clock and checks it moved as much as the monotonic clock since the last
   * reading. When it did not (NTP step, manual change, suspend), log it and recompute; due
   * slots are then handled by the ordinary path: slots now in the past go through catch-up,
   * and slots at or before the last handled one (a backward jump) never run again.
   */
  #readClock(): number {
    const now = this.#clock.now();
    const mono = this.#clock.monotonic();
    if (this.#lastWall !== null) {
      const drift = now - (this.#lastWall + (mono - this.#lastMono));
      if (Math.abs(drift) > this.#options.clockJumpToleranceMs) {
        this.#log(`the wall clock jumped ${drift > 0 ? "forward" : "back"} by ${Math.round(Math.abs(drift) / 1000)}s; re-checking due runs`);
        for (const state of this.#states.values()) this.#computeNext(state);
        this.#armedFor = -Infinity;
      }
    }
    this.#lastWall = now;
    this.#lastMono = mono;
    return now;
  }

  #handleDue(state: JobState, now: number): void {
    const { slots, total } = this.#dueSlots(state, now);
    if (slots.length === 0) return;
    const latest = slots[slots.length - 1]!;
    const prepared = this.#takePrepared(state);
    state.lastSlot = latest;
    this.#computeNext(state);
    if (total === 1 && now - this.#dueOf(state, latest) <= this.#options.onTimeToleranceMs) {
      this.#fire(state, latest, "schedule", 1, undefined, prepared?.slot === latest ? prepared : undefined);
      if (prepared && prepared.slot !== latest) prepared.execution.discard();
    } else {
      prepared?.execution.discard();
      this.#catchUp(state, slots, total, now);
    }
  }

  /**
   * Slots after lastSlot that are due by `now`, oldest first: at most `catchUpRunCap` of the
   * newest, plus how many there were. Walking a dense schedule over a long outage is time-boxed
   * and then fast-forwarded (catch-up math goes forward only: cron-parser's prev() is unsafe
   * around DST).
   */
  #dueSlots(state: JobState, now: number): { slots: number[]; total: number } {
    const keep = this.#options.catchUpRunCap;
    const slots: number[] = [];
    let total = 0;
    let slot = state.nextSlot;
    const deadline = performance.now() + CATCH_UP_SCAN_BUDGET_MS;
    let fastForwarded = false;
    while (slot !== null && state.trigger && this.#dueOf(state, slot) <= now) {
      slots.push(slot);
      if (slots.length > keep) slots.shift();
      total++;
      if (!fastForwarded && (total & 63) === 0 && performance.now() > deadline) {
        // Too many to walk: skip ahead to the last hour (the slots we keep are the newest).
        fastForwarded = true;
        const ahead = state.trigger.next(new Date(now - 3_600_000))?.getTime() ?? null;
        if (ahead !== null && ahead > slot) {
          total += 1; // at least one slot lies between; the exact count is not worth the time
          slot = ahead;
          continue;
        }
      }
      slot = state.trigger.next(new Date(slot))?.getTime() ?? null;
    }
    return { slots, total };
  }

  #catchUp(state: JobState, slots: number[], total: number, now: number): void {
    const { job } = state;
    const graceMs = job.catchUpGraceSeconds ? job.catchUpGraceSeconds * 1000 : Infinity;
    const eligible = slots.filter((slot) => now - slot <= graceMs);
    const latest = slots[slots.length - 1]!;
    let toRun: number[] = [];
    if (job.catchUp === "once" && eligible.length > 0) toRun = [eligible[eligible.length - 1]!];
    if (job.catchUp === "all") toRun = eligible;
    const missed = total - toRun.length;
    this.#log(`"${job.name}" missed ${total} run(s); catch-up ${job.catchUp}: running ${toRun.length}`);
    if (missed > 0) {
      const why =
        job.catchUp === "skip"
          ? "Sundial was not running (or the computer slept); catch-up is off for this job"
          : `Sundial was not running (or the computer slept); ${toRun.length} caught up`;
      void this.#launcher
        .recordWithoutRunning(job, "missed", toRun.length > 0 ? Math.min(latest, toRun[0]!) : latest, "schedule", why, missed)
        .catch((error: Error) => this.#warn(`could not record missed runs of "${job.name}": ${error.message}`));
    }
    // Several catch-up runs of one job run one after another, never on top of each other.
    for (const slot of toRun) this.#fire(state, slot, "catch-up", 1, toRun.length > 1 ? "queue" : undefined);
  }

  /** A slot is due: start it, or apply the overlap policy if the job is still running. */
  #fire(state: JobState, slot: number | null, reason: RunReason, attempt: number, overlapOverride?: OverlapPolicy, prepared?: PreparedLaunch): void {
    const overlap = overlapOverride ?? state.job.overlap;
    if (state.busy || (overlap === "queue" && state.queued.length > 0)) {
      if (overlap === "skip" || overlap === "queue") prepared?.execution.discard();
      switch (overlap) {
        case "skip":
          if (slot === null) return;
          void this.#launcher
            .recordWithoutRunning(state.job, "skipped", slot, reason, "the previous run was still running")
            .catch((error: Error) => this.#warn(`could not record a skipped run of "${state.job.name}": ${error.message}`));
          return;
        case "queue":
          if (state.queued.length >= this.#options.queueCap) {
            this.#warn(`"${state.job.name}": more than ${this.#options.queueCap} runs waiting; dropping one`);
            return;
          }
          state.queued.push({ scheduledAt: slot, reason, attempt, dueAt: this.#clock.now() });
          return;
        case "replace":
          this.#replaceRunning(state);
          break;
        case "parallel":
          break;
      }
    }
    void this.#launch(state, { reason, scheduledAt: slot, attempt }, prepared);
  }

  #replaceRunning(state: JobState): void {
    for (const active of state.running.values()) active.cancel("cancelled", "replaced by a newer run");
  }

  /** Starts queued runs when the job is free, and retries whose delay has passed. */
  #startPending(state: JobState, now: number): void {
    // The common case, checked first: every wake-up visits every job (no arrays allocated).
    if (state.retries.length === 0 && state.queued.length === 0) return;
    const readyRetries = state.retries.filter((retry) => retry.dueAt <= now);
    if (readyRetries.length > 0) {
      state.retries = state.retries.filter((retry) => retry.dueAt > now);
      for (const retry of readyRetries) this.#fire(state, retry.scheduledAt, "retry", retry.attempt, state.job.overlap === "parallel" ? "parallel" : "queue");
    }
    if (!state.busy && state.queued.length > 0) {
      const next = state.queued.shift()!;
      void this.#launch(state, { reason: next.reason, scheduledAt: next.scheduledAt, attempt: next.attempt });
    }
  }

  async #launch(state: JobState, request: LaunchRequest, prepared?: PreparedLaunch): Promise<ActiveRun | null> {
    state.launching++;
    this.#launching++;
    let active: ActiveRun;
    try {
      active = await this.#launcher.launch(state.job, request, prepared);
    } catch (error) {
      this.#warn(`could not start "${state.job.name}": ${(error as Error).message}`);
      return null;
    } finally {
      state.launching--;
      if (--this.#launching === 0) this.#schedulePrepare();
    }
    state.running.set(active.run.id, active);
    this.#activeRuns.set(active.run.id, { state, active });
    void active.finished.then((run) => this.#afterRun(state, run));
    return active;
  }

  #afterRun(state: JobState, run: Run): void {
    state.running.delete(run.id);
    this.#activeRuns.delete(run.id);
    if (this.#stopping || !this.#states.has(state.job.id)) return;
    const { retries } = state.job;
    const failed = run.status === "failed" || run.status === "timed_out" || run.status === "spawn_error";
    if (failed && run.attempt <= retries.count && !state.job.paused) {
      const delayMs = retries.delaySeconds * 1000 * Math.pow(retries.backoff, run.attempt - 1);
      state.retries.push({
        scheduledAt: run.scheduledAt ? Date.parse(run.scheduledAt) : null,
        reason: "retry",
        attempt: run.attempt + 1,
        dueAt: this.#clock.now() + delayMs,
      });
      this.#log(`"${state.job.name}" ${run.status}; retry ${run.attempt} of ${retries.count} in ${Math.round(delayMs / 1000)}s`);
    }
    if (!this.#globallyPaused && !state.job.paused) this.#startPending(state, this.#clock.now());
    this.#arm();
    this.#schedulePrepare();
    if (this.#clock.now() - this.#lastPrune > PRUNE_EVERY_MS) void this.#prune();
  }

  async #prune(): Promise<void> {
    this.#lastPrune = this.#clock.now();
    try {
      const removed = await this.#history.prune(this.settings.history, new Date(this.#lastPrune));
      if (removed.length > 0) await this.#logs.remove(removed);
    } catch (error) {
      this.#warn(`history retention failed: ${(error as Error).message}`);
    }
  }

  // ------------------------------------------------------------------ helpers

  #buildState(job: Job, floor: number): JobState {
    let trigger: Trigger | null = null;
    try {
      trigger = fromSpec(job.trigger);
    } catch (error) {
      // A stored job whose trigger no longer parses must not stop every other job.
      this.#warn(`job "${job.name}" (${job.id}) has an unusable trigger and will not run: ${(error as Error).message}`);
    }
    const state = new JobState(job, trigger, floor);
    this.#computeNext(state);
    return state;
  }

  #computeNext(state: JobState): void {
    const next = state.trigger?.next(new Date(state.lastSlot)) ?? null;
    state.nextSlot = next ? next.getTime() : null;
    state.dueAt = state.nextSlot === null ? null : this.#dueOf(state, state.nextSlot);
    if (state.prepared && state.prepared.slot !== state.nextSlot) this.#discardPrepared(state);
  }

  // ------------------------------------------------------------------ prepared processes

  /**
   * Prepares processes for slots due within PREPARE_LEAD_MS, one per macrotask and only
   * while no launch is recording its start: each is a fork that holds the event loop, and a
   * run that is due now (its fsync done) must never wait behind one for a later slot. It
   * starts as soon as the last launch is out: at 50 runs a second the next slot's forks take
   * most of the second (bench/fire-lateness.js; waiting 300 ms first made them late).
   */
  #schedulePrepare(): void {
    if (this.#preparePass || !this.#launcher.canPrepare || this.#stopping || !this.#started) return;
    this.#preparePass = setImmediate(() => {
      this.#preparePass = null;
      this.#prepareOne();
    });
  }

  #cancelPreparePass(): void {
    if (this.#preparePass) clearImmediate(this.#preparePass);
    this.#preparePass = null;
  }

  #prepareOne(): void {
    if (this.#stopping || this.#globallyPaused || this.#launching > 0) return;
    const now = this.#clock.now();
    for (const state of this.#states.values()) {
      if (this.#preparedCount >= PREPARED_CAP) return;
      const { job, nextSlot, dueAt } = state;
      if (nextSlot === null || dueAt === null || state.preparedFor === nextSlot || job.paused) continue;
      if (dueAt - now > PREPARE_LEAD_MS || dueAt <= now) continue;
      // A slot that would be skipped or queued behind a running run is not worth a process
      // yet; the run's end asks again.
      if (state.busy && (job.overlap === "skip" || job.overlap === "queue")) continue;
      state.preparedFor = nextSlot;
      const prepared = this.#launcher.prepare(job, nextSlot);
      if (prepared) {
        state.prepared = prepared;
        this.#preparedCount++;
      }
      this.#schedulePrepare();
      return;
    }
  }

  #takePrepared(state: JobState): PreparedLaunch | null {
    const prepared = state.prepared;
    if (prepared) {
      state.prepared = null;
      this.#preparedCount--;
    }
    return prepared;
  }

  #discardPrepared(state: JobState): void {
    this.#takePrepared(state)?.execution.discard();
  }

  #dueOf(state: JobState, slot: number): number {
    const spec = state.job.trigger;
    return spec.type === "interval" && spec.jitterSeconds ? slot + jitterDelayMs(spec, new Date(slot), state.job.id) : slot;
  }

  #requireState(jobId: string): JobState {
    const state = this.#states.get(jobId);
    if (!state) throw new Error(`internal: unknown job id ${jobId}`);
    return state;
  }

  #uniqueJobId(): string {
    let id = newJobId();
    while (this.#states.has(id)) id = newJobId();
    return id;
  }

  #warn(message: string): void {
    this.#log(message);
    this.#events.emit({ type: "engine.warning", message });
  }
}

/**
 * An interval trigger's fixed-rate anchor is set once, at creation (or from its start). It
 * is taken on a whole second so runs land on whole seconds ("every 1m" from 12:48:26).
 */
function withAnchor<T extends { trigger: Job["trigger"] }>(input: T, nowIso: string): T {
  if (input.trigger.type !== "interval" || input.trigger.anchor) return input;
  const wholeSecond = new Date(Math.floor(Date.parse(nowIso) / 1000) * 1000).toISOString();
  return { ...input, trigger: { ...input.trigger, anchor: input.trigger.start ?? wholeSecond } };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
