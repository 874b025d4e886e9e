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
/**
 * While runs are being launched, a slot at least this far ahead is still prepared (see
 * `#prepareOne`): runs started fresh take the whole second on a loaded machine, and waiting
 * for them to be out would never prepare anything again.
 */
const PREPARE_WHILE_LAUNCHING_MS = 500;

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
   * Prepares processes for slots due within PREPARE_LEAD_MS (`#prepareOne`). It starts as
   * soon as it is asked: at 50 runs a second the next slot's forks take most of the second
   * (bench/fire-lateness.js; waiting 300 ms first made them late).
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

  /**
   * Prepares the next slot's process, one fork per macrotask, so a run due now (continuing
   * after its fsync) never waits behind more than one fork. While launches are in flight only
   * slots at least PREPARE_WHILE_LAUNCHING_MS ahead: when a loaded machine could not prepare
   * a slot's runs, they are started fresh, one fork each, which can take the whole second;
   * waiting for them all to be out (as this pass once did) never prepared anything again, and
   * every following slot was started fresh and late (issue 12, 50 jobs a second at load 4).
   */
  #prepareOne(): void {
    if (!this.#options.live() || this.#options.globallyPaused()) return;
    const now = this.#options.clock.now();
    const launching = this.#launching > 0;
    for (const state of this.#options.states()) {
      if (this.#preparedCount >= PREPARED_CAP) return;
      const { job, nextSlot, dueAt } = state;
      if (nextSlot === null || dueAt === null || state.preparedFor === nextSlot || job.paused) continue;
      if (dueAt - now > PREPARE_LEAD_MS || dueAt <= now || (launching && dueAt - now < PREPARE_WHILE_LAUNCHING_MS)) continue;
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
