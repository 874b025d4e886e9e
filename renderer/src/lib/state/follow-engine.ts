/**
 * How a state class follows the engine: every event goes to `onEvent`, and after a reconnect
 * the whole state is read again (events sent while disconnected are lost). One home for the
 * jobs list and a job's runs alike.
 */
import type { SchedulerEvent } from "../../../../electron/shared/contract.js";
import { JobNotFoundError } from "../../../../electron/shared/errors.js";
import type { SundialClient } from "../api.js";

export interface FollowedState {
  readonly loaded: boolean;
  handleEvent(event: SchedulerEvent): void;
  load(): Promise<void>;
}

/** Loads `state` and follows events (reloading after a reconnect); returns stop. */
export function followEngine(client: Pick<SundialClient, "subscribe" | "onConnectionChange">, state: FollowedState): () => void {
  const unsubscribe = client.subscribe((event) => state.handleEvent(event));
  const stopWatching = client.onConnectionChange((status) => {
    if (status === "open" && state.loaded) void state.load();
  });
  void state.load();
  return () => {
    unsubscribe();
    stopWatching();
  };
}

/**
 * One job's newest items (its runs, its alerts) or every job's when `jobId` is null. A job
 * deleted with its history (or never there) has none to show: not an error here.
 */
export async function listForJob<T>(jobId: string | null, limit: number, list: (query: { job?: string; limit: number }) => Promise<T[]>): Promise<T[]> {
  try {
    return await list(jobId === null ? { limit } : { job: jobId, limit });
  } catch (error) {
    if (!(error instanceof JobNotFoundError) || jobId === null) throw error;
    return [];
  }
}

/**
 * A list that belongs to one job (or to every job when `jobId` is null) and follows the
 * engine: the runs of the history, the raised alerts.
 */
export abstract class JobFeed<Client extends Pick<SundialClient, "subscribe" | "onConnectionChange">> implements FollowedState {
  abstract readonly loaded: boolean;

  constructor(
    protected readonly client: Client,
    /** The job whose items these are (a deleted job's id works too); null: every job's. */
    readonly jobId: string | null,
  ) {}

  /** Loads the list and follows events; returns stop. */
  start(): () => void {
    return followEngine(this.client, this);
  }

  abstract load(): Promise<void>;
  abstract handleEvent(event: SchedulerEvent): void;
}
