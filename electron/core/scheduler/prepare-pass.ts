/**
 * The prepare pass: a scheduled run's process is started this long before its slot and waits
 * there (see RunLauncher.prepare): forking the engine costs ~10 ms per process on the event
 * loop, which would otherwise delay every other run due at the same second.
 */
import type { Clock } from "../clock.js";
import type { PreparedLaunch, RunLauncher } from "../run-launcher.js";
import type { JobState } from "./job-state.js";
import { unmetTimeCondition } from "../../shared/conditions.js";
import { conditionZone } from "./condition-gate.js";

/** How long before its slot a run's process is prepared. */
export const PREPARE_LEAD_MS = 2_000;
/** At most this many prepared processes waiting at once (each is a sleeping /bin/sh). */
const PREPARED_CAP = 256;

export interface PreparePassOptions {
  launcher: RunLauncher;
  clock: Clock;
  states: () => Iterable<JobState>;
  /** Started and not stopping: only then is a pass scheduled. */
  live: () => boolean;
  /** Every schedule is paused: nothing is prepared. */
  globallyPaused: () => boolean;
}

export class PreparePass {
  readonly #options: PreparePassOptions;
  #pass: NodeJS.Immediate | null = null;
  #preparedCount = 0;
  /** Launches recording their start: preparing (a fork) waits until they are spawned. */
  #launching = 0;

  constructor(options: PreparePassOptions) {
    this.#options = options;
  }

  /**
   * Prepares processes for slots due within PREPARE_LEAD_MS, one per macrotask and only
   * while no launch is recording its start: each is a fork that holds the event loop, and a
   * run that is due now (its fsync done) must never wait behind one for a later slot. It
   * starts as soon as the last launch is out: at 50 runs a second the next slot's forks take
   * most of the second (bench/fire-lateness.js; waiting 300 ms first made them late).
   */
  schedule(): void {
    if (this.#pass || !this.#options.launcher.canPrepare || !this.#options.live()) return;
    this.#pass = setImmediate(() => {
      this.#pass = null;
      this.#prepareOne();
    });
  }

  cancel(): void {
    if (this.#pass) clearImmediate(this.#pass);
    this.#pass = null;
  }

  /** A launch begins recording its start: no process is prepared until it is out. */
  launchStarted(): void {
    this.#launching++;
  }

  launchEnded(): void {
    if (--this.#launching === 0) this.schedule();
  }

  /** Takes the job's prepared process, if any, for its slot to use or discard. */
  take(state: JobState): PreparedLaunch | null {
    const prepared = state.prepared;
    if (prepared) {
      state.prepared = null;
      this.#preparedCount--;
    }
    return prepared;
  }

  discard(state: JobState): void {
    this.take(state)?.discard();
  }

  #prepareOne(): void {
    if (!this.#options.live() || this.#options.globallyPaused() || this.#launching > 0) return;
    const now = this.#options.clock.now();
    for (const state of this.#options.states()) {
      if (this.#preparedCount >= PREPARED_CAP) return;
      const { job, nextSlot, dueAt } = state;
      if (nextSlot === null || dueAt === null || state.preparedFor === nextSlot || job.paused) continue;
      if (dueAt - now > PREPARE_LEAD_MS || dueAt <= now) continue;
      // A slot that would be skipped or queued behind a running run is not worth a process
      // yet; the run's end asks again.
      if (state.busy && (job.overlap === "skip" || job.overlap === "queue")) continue;
      // Nor one its conditions will hold back (issue 15): a run already waits, or the clock says no.
      if (state.waiting || (job.conditions && unmetTimeCondition(job.conditions, dueAt, conditionZone(job)) !== null)) continue;
      state.preparedFor = nextSlot;
      const prepared = this.#options.launcher.prepare(job, nextSlot);
      if (prepared) {
        state.prepared = prepared;
        this.#preparedCount++;
      }
      this.schedule();
      return;
    }
  }
}
