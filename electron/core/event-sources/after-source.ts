/**
 * `after` triggers (chains): when a job's run ends with the outcome a child waits for, the
 * child runs with its parent's run in SUNDIAL_PARENT_* (DESIGN.md "Beyond the clock").
 */
import type { Job, Run } from "../../shared/schemas.js";
import { isFailure } from "../../shared/run-statuses.js";
import type { AfterOutcome } from "../../shared/trigger-types.js";
import type { EventSource, EventSourceHost } from "./event-source.js";

/** Whether a parent run that ended in `run.status` is the outcome `on` waits for. A user's cancel ends a chain. */
export function outcomeMatches(on: AfterOutcome, run: Pick<Run, "status">): boolean {
  const succeeded = run.status === "succeeded";
  const failed = isFailure(run.status);
  switch (on) {
    case "success":
      return succeeded;
    case "failure":
      return failed;
    case "always":
      return succeeded || failed;
    default:
      return on satisfies never;
  }
}

/** The variables a chained run gets from the run it follows. */
export function parentEnvironment(parent: Job, run: Run): Record<string, string> {
  return {
    SUNDIAL_PARENT_JOB: parent.name,
    SUNDIAL_PARENT_RUN_ID: run.id,
    SUNDIAL_PARENT_STATUS: run.status,
    SUNDIAL_PARENT_EXIT_CODE: run.exitCode === null ? "" : String(run.exitCode),
  };
}

export function afterSource(host: EventSourceHost): EventSource {
  return {
    runEnded(parent, run) {
      for (const child of host.jobs()) {
        // One run per child, even when two of its triggers match (`after x:success` and `after x:always`).
        const matches = child.triggers.some((trigger) => trigger.type === "after" && trigger.job === parent.id && outcomeMatches(trigger.on, run));
        if (matches) host.fire(child.id, "after", { env: parentEnvironment(parent, run) });
      }
    },
  };
}
