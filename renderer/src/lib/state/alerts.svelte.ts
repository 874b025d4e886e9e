/**
 * Raised alerts (issue 16): one job's (its page) or every job's with the missed-while-away
 * summaries (the Alerts page). New ones arrive as `alert.raised` events.
 */
import type { Alert, SchedulerEvent } from "../../../../electron/shared/contract.js";
import type { SundialClient } from "../api.js";
import { messageOf } from "../errors.js";
import { JobFeed, listForJob } from "./follow-engine.js";

/** What the alert list needs from the engine. */
export type AlertsClient = Pick<SundialClient, "listAlerts" | "subscribe" | "onConnectionChange">;

const ALERTS_LIMIT = 50;

export class AlertsState extends JobFeed<AlertsClient> {
  alerts = $state.raw<Alert[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);


  async load(): Promise<void> {
    try {
      this.alerts = await listForJob(this.jobId, ALERTS_LIMIT, (query) => this.client.listAlerts(query));
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
