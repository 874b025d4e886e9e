/**
 * Event sources: what runs a job on something other than the clock (DESIGN.md "Beyond the
 * clock"). Each trigger kind that fires on an event has one source; the scheduler tells the
 * sources what happens (the engine started, the computer woke, a run ended, the jobs
 * changed) and a source answers by asking for a run through its host. A source holds no
 * timer of its own for delays: `fire` with `delayMs` waits on the scheduler's one timer.
 *
 * Adding a kind (the `watch` source, say): write the source here, add it to
 * `DEFAULT_EVENT_SOURCES` in index.ts, and it is told of everything below.
 */
import type { Job, Run } from "../../shared/schemas.js";
import type { EventRunReason } from "../../shared/run-statuses.js";
import type { Clock } from "../clock.js";
import type { EventListener } from "../events.js";

/** What a source may ask of the engine. */
export interface EventSourceHost {
  /** Every job as stored now (paused ones too: a paused job's runs are refused by `fire`). */
  jobs(): readonly Job[];
  /** The job with this id, or undefined. */
  job(jobId: string): Job | undefined;
  /**
   * Runs the job for an event, `delayMs` from now (on the engine's one timer), with `env`
   * added to the run's environment (SUNDIAL_* names). The job's overlap policy applies; a
   * paused job, or every job while all are paused, ignores events.
   */
  fire(jobId: string, reason: EventRunReason, options?: { delayMs?: number; env?: Record<string, string> }): void;
  /**
   * Says why one of the job's event triggers cannot do its work now (a watched folder that is
   * gone), shown as the job's `problem`; null when it is fine again. Never a crash.
   */
  reportProblem(jobId: string, problem: string | null): void;
  /** The engine's clock, for what a source times itself (a watch's debounce), never a run's delay. */
  readonly clock: Clock;
  /** The engine's events (runs starting and ending, …); returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  /** The engine's log. */
  log(line: string): void;
  /** Logged and published as an engine warning. */
  warn(message: string): void;
}

/** One source; every hook is optional. Hooks must not throw (a throw is logged as a warning). */
export interface EventSource {
  /** The engine has started (its slots and catch-up are handled); once per engine start. */
  started?(): void;
  /** The computer resumed from sleep or the screen was unlocked (deduplicated by the scheduler). */
  woke?(): void;
  /**
   * A run ended with its final outcome (a run that will be retried is not final: only the
   * last attempt is told). Not told while the engine stops.
   */
  runEnded?(job: Job, run: Run): void;
  /**
   * Jobs were added, changed or removed: `host.jobs()` has the new list. A promise says when
   * the change is live (a watch's watchers are ready): adding or editing a job waits for it,
   * up to SOURCE_READY_CAP_MS.
   */
  jobsChanged?(): void | Promise<void>;
  /** The engine is stopping: let go of whatever the source holds (watchers, handles). */
  stop?(): void;
}

/** Builds a source for an engine. */
export type EventSourceFactory = (host: EventSourceHost) => EventSource;
