/**
 * Raised alerts (issue 16): one job's (its page) or every job's with the missed-while-away
 * summaries (the Alerts page). New ones arrive as `alert.raised` events.
 */
import type { Alert, SchedulerEvent } from "../../../../electron/shared/contract.js";
import { JobNotFoundError } from "../../../../electron/shared/errors.js";
import type { SundialClient } from "../api.js";
import { messageOf } from "../errors.js";
import { followEngine } from "./follow-engine.js";

/** What the alert list needs from the engine. */
export type AlertsClient = Pick<SundialClient, "listAlerts" | "subscribe" | "onConnectionChange">;

const ALERTS_LIMIT = 50;

export class AlertsState {
  /** The job whose alerts these are; null: every job's, and the summaries. */
  readonly jobId: string | null;
  alerts = $state.raw<Alert[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);

  readonly #client: AlertsClient;

  constructor(client: AlertsClient, jobId: string | null) {
    this.#client = client;
    this.jobId = jobId;
  }

  /** Loads the alerts and follows events; returns stop. */
  start(): () => void {
    return followEngine(this.#client, this);
  }

  async load(): Promise<void> {
    try {
      try {
        this.alerts = await this.#client.listAlerts(this.jobId === null ? { limit: ALERTS_LIMIT } : { job: this.jobId, limit: ALERTS_LIMIT });
      } catch (error) {
        // A job deleted with its history has no alerts to show: not an error here.
        if (!(error instanceof JobNotFoundError) || this.jobId === null) throw error;
        this.alerts = [];
      }
      this.error = null;
      this.loaded = true;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  handleEvent(event: SchedulerEvent): void {
    if (event.type !== "alert.raised") return;
    if (this.jobId !== null && event.alert.jobId !== this.jobId) return;
    this.alerts = [event.alert, ...this.alerts.filter((alert) => alert.id !== event.alert.id)].slice(0, ALERTS_LIMIT);
  }
}
