/** The event feed's state as reactive data, for the banner and the access-link screen. */
import type { ConnectionStatus, SundialClient } from "../api.js";

export class ConnectionState {
  status = $state<ConnectionStatus>("connecting");
  /**
   * The engine went away (the feed was open, or never opened, and is now retrying): the page
   * shows what it last knew, read-only, until the feed is back.
   */
  readonly offline = $derived(this.status === "reconnecting");
  readonly #client: Pick<SundialClient, "connection" | "onConnectionChange">;

  constructor(client: Pick<SundialClient, "connection" | "onConnectionChange">) {
    this.#client = client;
    this.status = client.connection;
  }

  /** Follows the client's changes; returns stop. */
  start(): () => void {
    this.status = this.#client.connection;
    return this.#client.onConnectionChange((status) => {
      this.status = status;
    });
  }
}
