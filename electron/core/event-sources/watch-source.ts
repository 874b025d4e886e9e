/**
 * `watch` triggers: a job runs when a file or folder it watches changes, once per burst of
 * changes, with the changed paths in SUNDIAL_CHANGED_PATHS (DESIGN.md "Beyond the clock").
 * The watching, the debounce and the rules about a job's own changes live in watch/; this
 * file keeps them in step with the jobs and hands bursts to the engine.
 */
import type { Job, WatchTriggerSpec } from "../../shared/schemas.js";
import type { EventSource, EventSourceHost } from "./event-source.js";
import { changedPathsVariables, JobWatches } from "./watch/job-watches.js";

export function watchSource(host: EventSourceHost): EventSource {
  const watches = new JobWatches({
    clock: host.clock,
    subscribe: (listener) => host.subscribe(listener),
    log: (line) => host.log(line),
    fire: (jobId, burst) => host.fire(jobId, "watch", { env: changedPathsVariables(burst) }),
    problemChanged: (jobId, problem) => host.reportProblem(jobId, problem),
  });
  let stopped = false;
  // One look at the jobs at a time: two edits in a row must not open a job's watchers twice.
  let queue: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => {
    queue = queue.then(async () => {
      if (stopped) return;
      const jobs = host.jobs();
      // Every save looks at every job: a store of 10,000 jobs without a watch costs a loop, not
      // 10,000 promises.
      const changes: Promise<void>[] = [];
      for (const job of jobs) {
        if (job.triggers.some((trigger) => trigger.type === "watch") || watches.has(job.id)) {
          changes.push(watches.setJob({ id: job.id, name: job.name, watches: watchTriggersOf(job) }));
        }
      }
      for (const jobId of watches.jobIds()) if (host.job(jobId) === undefined) changes.push(watches.removeJob(jobId));
      await Promise.all(changes);
      // A change of a job's triggers clears its problem in the engine: say it again (the engine
      // ignores a report that changes nothing).
      for (const jobId of watches.jobIds()) host.reportProblem(jobId, watches.problemOf(jobId));
    });
    return queue;
  };
  return {
    started: () => void sync(),
    jobsChanged: sync,
    stop() {
      stopped = true;
      void watches.stop().catch((error: Error) => host.log(`closing the file watchers failed: ${error.message}`));
    },
  };
}

function watchTriggersOf(job: Job): WatchTriggerSpec[] {
  return job.triggers.filter((trigger): trigger is WatchTriggerSpec => trigger.type === "watch");
}
