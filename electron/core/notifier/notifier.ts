/** A desktop notification about a finished run. */
export interface RunNotification {
  title: string;
  message: string;
  jobId: string;
  runId: string;
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
