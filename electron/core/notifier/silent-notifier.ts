import type { Notifier, RunNotification } from "./notifier.js";

/** Shows nothing: for headless hosts that opted out of notifications, and for tests. */
export class SilentNotifier implements Notifier {
  async notify(_notification: RunNotification): Promise<void> {}
}
