/** JobView records with fixed dates for the shell's tests; override what a test is about. */
import type { JobView } from "../../electron/shared/schemas.js";
import { jobView as sharedJobView, storedJob } from "../support/records.mjs";
import { finishedRun } from "../support/run-records.js";

/** 2026-03-02 09:48 UTC, a Monday: every relative time in these tests is measured from it. */
export const NOW = Date.parse("2026-03-02T09:48:00.000Z");

export function jobView(overrides: Partial<JobView> = {}): JobView {
  const job = storedJob(0, {
    id: "job-backup",
    name: "backup",
    triggers: [{ type: "cron", version: 1, expression: "0 10 * * *" }],
    command: "tar czf ~/backup.tgz ~/Documents",
    createdAt: "2026-03-01T00:00:00.000Z",
    updatedAt: "2026-03-01T00:00:00.000Z",
  });
  return sharedJobView(job, { nextRunAt: "2026-03-02T10:00:00.000Z", ...overrides });
}

export { finishedRun };
