/**
 * Issue 13, item 1: removing a job keeps its runs and logs unless asked to purge them; the
 * kept runs are marked as a deleted job's and can still be looked up by its id or old name.
 */
import { describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/core/engine.js";
import type { JobInput, Run } from "../../../electron/shared/schemas.js";
import { waitFor } from "../../support/waiting.mjs";
import { issuesOf, openTestEngine } from "./support.js";

const input = (name: string, command = "echo kept-output"): JobInput => ({ name, trigger: { type: "cron", expression: "0 3 * * *" }, command });

/** Runs `ref` now and resolves with its finished record. */
async function ranOnce(engine: Engine, ref: string): Promise<Run> {
  const started = await engine.service.runNow(ref);
  return waitFor(async () => {
    const run = await engine.service.getRun(started.id);
    return run.status === "running" ? null : run;
  }, 15_000, `run ${started.id} to finish`);
}

describe("removing a job", () => {
  it("keeps its runs and logs by default, marked as a deleted job's, found by its id or old name", async () => {
    const engine = await openTestEngine();
    const job = await engine.service.addJob(input("backup"));
    const run = await ranOnce(engine, "backup");
    expect(run.jobDeleted).toBeUndefined();

    await engine.service.removeJob("backup");
    expect(await engine.service.listJobs()).toEqual([]);
    for (const ref of [job.id, "backup"]) {
      expect(await engine.service.history({ job: ref })).toEqual([{ ...run, jobDeleted: true }]);
    }
    expect((await engine.service.history()).map((entry) => [entry.id, entry.jobName, entry.jobDeleted])).toEqual([[run.id, "backup", true]]);
    expect(await engine.service.getRun(run.id)).toMatchObject({ jobId: job.id, jobName: "backup", jobDeleted: true });
    expect((await engine.service.runLog(run.id)).text).toBe("kept-output\n");
  });

  it("erases its runs and logs with purge", async () => {
    const engine = await openTestEngine();
    const job = await engine.service.addJob(input("scratch"));
    const run = await ranOnce(engine, "scratch");
    await engine.service.removeJob("scratch", { purge: true });
    expect(await engine.service.history()).toEqual([]);
    await expect(engine.service.getRun(run.id)).rejects.toMatchObject({ name: "RunNotFoundError" });
    await expect(engine.service.history({ job: job.id })).rejects.toMatchObject({ name: "JobNotFoundError" });
  });

  it("a live job's name wins over a deleted one's; two deleted jobs of one name are told apart by id", async () => {
    const engine = await openTestEngine();
    const first = await engine.service.addJob(input("report"));
    const firstRun = await ranOnce(engine, "report");
    await engine.service.removeJob("report");
    const second = await engine.service.addJob(input("report"));
    const secondRun = await ranOnce(engine, "report");
    expect((await engine.service.history({ job: "report" })).map((run) => [run.id, run.jobDeleted])).toEqual([[secondRun.id, undefined]]);
    await engine.service.removeJob("report");
    await expect(engine.service.history({ job: "report" })).rejects.toMatchObject({ name: "AmbiguousJobError", ids: expect.arrayContaining([first.id, second.id]) });
    expect((await engine.service.history({ job: first.id })).map((run) => run.id)).toEqual([firstRun.id]);
  });

  it("refuses options it does not know, naming the field, and keeps the job", async () => {
    const engine = await openTestEngine();
    await engine.service.addJob(input("keep-me"));
    const call = engine.service.removeJob as (ref: string, options: unknown) => Promise<void>;
    expect(await issuesOf(call.call(engine.service, "keep-me", { purge: "yes" }))).toEqual([{ field: "purge", message: "must be true or false" }]);
    expect((await issuesOf(call.call(engine.service, "keep-me", { force: true })))[0]?.message).toMatch(/force/);
    expect((await engine.service.listJobs()).map((job) => job.name)).toEqual(["keep-me"]);
  });
});
