import type { AlertKind } from "../../shared/contract.js";

/** A desktop notification about a finished run, or an alert (then `alert` says which; ids may be ""). */
export interface RunNotification {
  title: string;
  message: string;
  jobId: string;
  runId: string;
  /** Set on an alert's notification (issue 16): a click on a summary opens the alerts list. */
  alert?: { id: string; kind: AlertKind };
}

/**
 * Shows notifications. `notify` never throws and never blocks a run: a missing or failing
 * notification server is logged and ignored.
 */
export interface Notifier {
  notify(notification: RunNotification): Promise<void>;
  /** Called when the user clicks a notification (where the OS supports it). */
  onClick?(listener: (notification: RunNotification) => void): void;
}
