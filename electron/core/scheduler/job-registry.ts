/**
 * The job registry: every job's state by id, the runs going on, and the names being taken.
 * Ids and names are checked here, synchronously, so two writes in flight at once can never
 * give two jobs one name or one id.
 */
import type { ActiveRun } from "../run-launcher.js";
import { newJobId } from "../ids.js";
import type { JobState } from "./job-state.js";

export class JobRegistry {
  readonly #states = new Map<string, JobState>();
  readonly #activeRuns = new Map<string, { state: JobState; active: ActiveRun }>();
  /**
   * Names being written (adds, renames, edits) and the job taking each: taken as surely as
   * stored names, so two writes in flight at once can never give two jobs one name.
   */
  readonly #namesInFlight = new Set<{ name: string; jobId: string }>();

  get(jobId: string): JobState | undefined {
    return this.#states.get(jobId);
  }

  /** The state of a job the caller knows exists (the service resolved it). */
  require(jobId: string): JobState {
    const state = this.#states.get(jobId);
    if (!state) throw new Error(`internal: unknown job id ${jobId}`);
    return state;
  }

  has(jobId: string): boolean {
    return this.#states.has(jobId);
  }

  set(state: JobState): void {
    this.#states.set(state.job.id, state);
  }

  delete(jobId: string): void {
    this.#states.delete(jobId);
  }

  /** Every job's state, in the order they were added (live: later changes show). */
  states(): IterableIterator<JobState> {
    return this.#states.values();
  }

  // ------------------------------------------------------------------ runs going on

  runStarted(state: JobState, active: ActiveRun): void {
    state.running.set(active.run.id, active);
    this.#activeRuns.set(active.run.id, { state, active });
  }

  runEnded(state: JobState, runId: string): void {
    state.running.delete(runId);
    this.#activeRuns.delete(runId);
  }

  activeRun(runId: string): ActiveRun | undefined {
    return this.#activeRuns.get(runId)?.active;
  }

  /** Every run going on (live: runs that end meanwhile leave it). */
  *activeRuns(): IterableIterator<ActiveRun> {
    for (const { active } of this.#activeRuns.values()) yield active;
  }

  // ------------------------------------------------------------------ ids and names

  /** A job id no job has. */
  uniqueJobId(): string {
    let id = newJobId();
    while (this.#states.has(id)) id = newJobId();
    return id;
  }

  /** Every name stored or being written, with the id of a job that has it. */
  takenNames(): Map<string, string> {
    const taken = new Map<string, string>();
    for (const state of this.#states.values()) taken.set(state.job.name, state.job.id);
    for (const { name, jobId } of this.#namesInFlight) taken.set(name, jobId);
    return taken;
  }

  /** The id of a job other than `exceptId` that has `name` or is taking it, or null. */
  nameOwner(name: string, exceptId: string): string | null {
    for (const state of this.#states.values()) if (state.job.name === name && state.job.id !== exceptId) return state.job.id;
    for (const entry of this.#namesInFlight) if (entry.name === name && entry.jobId !== exceptId) return entry.jobId;
    return null;
  }

  /**
   * Holds `names` as taken until the returned release is called: call it in the same
   * synchronous step that stores the jobs (or gives up), so no name is ever free in between.
   */
  reserveNames(names: readonly { name: string; jobId: string }[]): () => void {
    const reservations = names.map(({ name, jobId }) => ({ name, jobId }));
    for (const reservation of reservations) this.#namesInFlight.add(reservation);
    return () => {
      for (const reservation of reservations) this.#namesInFlight.delete(reservation);
    };
  }
}
