/**
 * One wording for every face (issue 11): the same job reads the same in the UI (the jobs
 * list's and run history's own formatting code) and in the CLI's human output — its
 * schedule, a run's reason and a run's duration. The components' use of that code is pinned
 * by test/renderer/jobs-list.test.ts and job-detail.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { SchedulerClient } from "../../../electron/daemon/client.js";
import { jobStatsOf } from "../../../electron/core/job-stats.js";
import type { CliContext } from "../../../electron/daemon/cli/context.js";
import { historyCommand } from "../../../electron/daemon/cli/run-commands.js";
import { listCommand, showCommand } from "../../../electron/daemon/cli/view-commands.js";
import { systemTimeZone } from "../../../electron/shared/civil-time.js";
import { triggerSource } from "../../../electron/shared/trigger-kinds.js";
import { formatRunDuration, reasonLabel } from "../../../electron/shared/wording.js";
import { followTimeFormat } from "../../../renderer/src/lib/format.js";
import { describeSchedule } from "../../../renderer/src/lib/schedule.js";
import type { JobView, TriggerSpec } from "../../../electron/shared/schemas.js";
import { makeJob, makeRun } from "../../core/store/store-fixtures.js";

const NOW = new Date("2026-03-01T12:00:00Z");
/** A job as the engine shows it, with only its name and trigger of interest here. */
function jobView(index: number, name: string, trigger: TriggerSpec): JobView {
  return { ...makeJob(index, { name, triggers: [trigger] }), nextRunAt: null, lastRun: null, runningRunIds: [], finished: false, problem: null, tags: [] };
}

const JOBS = [
  jobView(1, "backup", { type: "cron", version: 1, expression: "0 3 * * 1-5", timezone: "Pacific/Chatham" }),
  jobView(2, "sync", { type: "interval", version: 1, everySeconds: 10, anchor: "2026-03-01T00:00:00Z" }),
  jobView(3, "report", { type: "interval", version: 1, everySeconds: 5400, anchor: "2026-03-01T00:00:00Z", jitterSeconds: 30 }),
];
const RUN = makeRun("r1", JOBS[0]!.id, 0, { jobName: "backup", status: "failed", exitCode: 3, reason: "manual", durationMs: 2_340 });

const client = {
  listJobs: async () => JOBS,
  getJob: async (ref: string) => JOBS.find((job) => job.name === ref)!,
  history: async () => [RUN],
  listAlerts: async () => [],
  jobStats: async (jobId: string) => jobStatsOf(jobId, []),
  status: async () => ({ allPaused: false, pausedUntil: null }),
} as unknown as SchedulerClient;

/** The CLI's output for one command. */
async function cli(command: (context: CliContext) => Promise<void>): Promise<string> {
  let out = "";
  const context: CliContext = {
    home: "/tmp/unused",
    homeGiven: true,
    stdout: { write: (text) => void (out += text) },
    stderr: { write: () => {} },
    client: () => client,
    now: () => NOW,
  };
  await command(context);
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("one wording for the UI and the CLI", () => {
  // The CLI writes the 24-hour clock; the UI follows the time-format setting, here 24 h.
  followTimeFormat(() => "24h");

  it("describes each job's schedule with the same words in the jobs list, `sundial list` and `sundial show`", async () => {
    const expected: Record<string, string> = {
      backup: "At 03:00, Monday through Friday (Pacific/Chatham)",
      sync: "Every 10 seconds",
      report: "Every 1 hour 30 minutes, up to 30 seconds late (jitter)",
    };
    const list = await cli((context) => listCommand(context, {}));
    for (const job of JOBS) {
      const words = expected[job.name]!;
      expect(describeSchedule(job.triggers[0]!, NOW.getTime(), systemTimeZone()).text).toBe(words);
      // The CLI puts the expression a person typed beside a cron job's words.
      const source = triggerSource(job.triggers[0]!);
      const cliWords = source === null ? words : `${words} (${source})`;
      expect(list).toMatch(new RegExp(`\\b${job.name}\\s+${escape(cliWords)}$`, "m"));
      expect(await cli((context) => showCommand(context, job.name, {}))).toMatch(new RegExp(`^Schedule: +${escape(cliWords)}$`, "m"));
    }
  });

  it("words a run's reason and duration the same in the run history and `sundial history`", async () => {
    expect(reasonLabel(RUN.reason)).toBe("Manual");
    expect(formatRunDuration(RUN.durationMs)).toBe("2.3 s");
    const history = await cli((context) => historyCommand(context, undefined, {}));
    expect(history).toMatch(/\bbackup\s+failed\s+Manual\s+3\s+2\.3 s$/m);
  });
});
