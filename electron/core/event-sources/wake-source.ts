/** `wake` triggers: each such job runs after the computer resumes or the screen unlocks, `delaySeconds` later. */
import type { EventSource, EventSourceHost } from "./event-source.js";

export function wakeSource(host: EventSourceHost): EventSource {
  return {
    woke() {
      for (const job of host.jobs()) {
        for (const trigger of job.triggers) {
          if (trigger.type === "wake") host.fire(job.id, "wake", { delayMs: (trigger.delaySeconds ?? 0) * 1000 });
        }
      }
    },
  };
}
