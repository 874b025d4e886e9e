/**
 * Issue 13, item 1, through the real CLI and a real daemon: `sundial remove JOB` keeps the
 * job's runs and logs (shown as a deleted job's by `history` and `logs`, across a restart);
 * `sundial remove JOB --purge` erases them; `remove --help` says which is which.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

/** Adds `name` (never due on its own), runs it once to the end, and returns the job and the run. */
async function jobWithOneRun(home: string, name: string, output: string): Promise<{ job: JobView; run: Run }> {
  const job = await sundialJson<JobView>(["add", name, "--cron", "0 3 1 1 *", "--", `echo ${output}`], { home });
  const ran = await sundial(["run", name, "--wait"], { home });
  expect(ran, ran.stderr).toMatchObject({ code: 0, stdout: `${output}\n` });
  const [run] = await sundialJson<Run[]>(["history", name], { home });
  expect(run).toMatchObject({ jobId: job.id, jobName: name, status: "succeeded" });
  return { job, run: run! };
}

describe.concurrent("sundial remove and a job's history", () => {
  test("plain remove keeps the runs and logs, marked as a deleted job's in history and logs, across a restart", async () => {
    const home = tempHome("remove-keeps");
    let daemon = await startDaemon(home);
    const { job, run } = await jobWithOneRun(home, "nightly-report", "report-output");

    const removed = await sundial(["remove", "nightly-report"], { home });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(
      `Removed job ${job.id} "nightly-report"\n` +
        `Its past runs and their logs stay in the history, marked as deleted, until history retention removes them. See: sundial history ${job.id}\n`,
    );
    expect(await sundialJson<JobView[]>(["list"], { home })).toEqual([]);

    for (let pass = 0; pass < 2; pass++) {
      // Everything a user reaches it by: the whole history, the old name, the old id.
      const everything = await sundialJson<Run[]>(["history"], { home });
      expect(everything).toEqual([{ ...run, jobDeleted: true }]);
      expect(await sundialJson<Run[]>(["history", "nightly-report"], { home })).toEqual(everything);
      expect(await sundialJson<Run[]>(["history", job.id], { home })).toEqual(everything);

      const table = await sundial(["history"], { home });
      expect(table.stdout).toMatch(new RegExp(`^\\S.*\\s${run.id}\\s+nightly-report \\(deleted\\)\\s+succeeded\\s`, "m"));

      const log = await sundial(["logs", run.id], { home });
      expect(log).toEqual({ code: 0, stdout: "report-output\n", stderr: `Run ${run.id} of "nightly-report" (deleted)\n` });

      if (pass === 0) {
        expect(await daemon.stop()).toBe(0);
        daemon = await startDaemon(home);
      }
    }
    expect(await daemon.stop()).toBe(0);
  }, 90_000);

  test("remove --purge erases the runs and their logs", async () => {
    const home = tempHome("remove-purge");
    const daemon = await startDaemon(home);
    const { job, run } = await jobWithOneRun(home, "scratch", "scratch-output");
    const kept = await jobWithOneRun(home, "other", "other-output");
    const logFile = path.join(home, "logs", `${run.id}.log`);
    expect(fs.existsSync(logFile)).toBe(true);

    const removed = await sundial(["remove", "scratch", "--purge"], { home });
    expect(removed).toEqual({
      code: 0,
      stdout: `Removed job ${job.id} "scratch"\nIts past runs and their logs are erased too; this cannot be undone.\n`,
      stderr: "",
    });
    expect((await sundialJson<Run[]>(["history"], { home })).map((entry) => entry.id)).toEqual([kept.run.id]);
    expect(await sundial(["logs", run.id], { home })).toMatchObject({ code: 1, stderr: `No run with id "${run.id}"\n` });
    expect(await sundial(["history", job.id], { home })).toMatchObject({ code: 1, stderr: `No job with id or name "${job.id}"\n` });
    expect(fs.existsSync(logFile)).toBe(false);
    // The other job's run is untouched.
    expect((await sundial(["logs", kept.run.id], { home })).stdout).toBe("other-output\n");
    expect(await daemon.stop()).toBe(0);
  }, 90_000);

  test("remove --help says the history stays unless --purge", async () => {
    const help = await sundial(["remove", "--help"], { home: tempHome("remove-help") });
    expect(help.code).toBe(0);
    const words = help.stdout.replace(/\s+/g, " "); // commander wraps the description
    expect(words).toContain("its runs and logs stay in the history, marked deleted, unless --purge");
    expect(words).toContain("--purge also erase the job's runs and logs (cannot be undone)");
    expect(help.stdout).toContain("$ sundial remove scratch --purge");
  });
});
