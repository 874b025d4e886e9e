/**
 * How a state class follows the engine: every event goes to `onEvent`, and after a reconnect
 * the whole state is read again (events sent while disconnected are lost). One home for the
 * jobs list and a job's runs alike.
 */
import type { SchedulerEvent } from "../../../../electron/shared/contract.js";
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
