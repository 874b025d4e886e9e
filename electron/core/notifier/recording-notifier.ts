import type { Notifier, RunNotification } from "./notifier.js";

/** Keeps every notification it is given, so scheduler tests can assert what would have been shown. */
export class RecordingNotifier implements Notifier {
  readonly notifications: RunNotification[] = [];
  readonly #clickListeners: Array<(notification: RunNotification) => void> = [];

  async notify(notification: RunNotification): Promise<void> {
    this.notifications.push(notification);
  }

  onClick(listener: (notification: RunNotification) => void): void {
    this.#clickListeners.push(listener);
  }

  /** Plays a user's click on a recorded notification. */
  click(notification: RunNotification): void {
    for (const listener of this.#clickListeners) listener(notification);
  }
}
