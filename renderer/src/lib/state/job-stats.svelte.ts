/**
 * A job's stats (issue 17) on its page: read from the engine, and read again when one of its
 * runs ends (the only thing that changes them) or after a reconnect.
 */
import type { JobStats, SchedulerEvent } from "../../../../electron/shared/contract.js";
import { JobNotFoundError } from "../../../../electron/shared/errors.js";
import type { SundialClient } from "../api.js";
import { messageOf } from "../errors.js";
import { JobFeed } from "./follow-engine.js";

export type JobStatsClient = Pick<SundialClient, "jobStats" | "subscribe" | "onConnectionChange">;

export class JobStatsState extends JobFeed<JobStatsClient> {
  stats = $state.raw<JobStats | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);

  constructor(client: JobStatsClient, jobId: string) {
    super(client, jobId);
  }

  async load(): Promise<void> {
    try {
      this.stats = await this.client.jobStats(this.jobId!);
      this.error = null;
    } catch (error) {
      // A job deleted with its runs has no stats: nothing to show, not an error.
      if (error instanceof JobNotFoundError) this.stats = null;
      else this.error = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  handleEvent(event: SchedulerEvent): void {
    if (event.type === "run.finished" && event.run.jobId === this.jobId) void this.load();
  }
}
