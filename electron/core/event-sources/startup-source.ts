/** `startup` triggers: each such job runs once per engine start, `delaySeconds` later. */
import type { EventSource, EventSourceHost } from "./event-source.js";

export function startupSource(host: EventSourceHost): EventSource {
  return {
    started() {
      for (const job of host.jobs()) {
        for (const trigger of job.triggers) {
          if (trigger.type === "startup") host.fire(job.id, "startup", { delayMs: (trigger.delaySeconds ?? 0) * 1000 });
        }
      }
    },
  };
}
