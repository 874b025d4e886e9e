import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../electron/shared/errors.js";
import { createHarness, jobInput } from "../../support/scheduler-harness.js";

async function issuesOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("validation in the service", () => {
  it("reports every problem at once, each naming its field, and changes nothing", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    const fields = await issuesOf(
      h.service.addJob({
        name: "",
        command: " ",
        trigger: { type: "cron", expression: "61 * * * *", timezone: "Mars/Base" },
        timeoutSeconds: -1,
        overlap: "sometimes" as never,
      }),
    );
    expect(fields).toEqual(expect.arrayContaining(["name", "command", "trigger.timezone", "timeoutSeconds", "overlap"]));
    expect(await h.service.listJobs()).toHaveLength(0);
  });

  it("rejects a cron expression that never fires, a date in the past, a missing folder and a duplicate name", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "taken", trigger: { type: "cron", expression: "0 3 * * *" } }));
    expect(await issuesOf(h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 0 31 2 *" } })))).toEqual(["trigger.expression"]);
    expect(await issuesOf(h.service.addJob(jobInput({ trigger: { type: "date", at: "2026-03-01T00:00:00Z" } })))).toEqual(["trigger.at"]);
    expect(await issuesOf(h.service.addJob(jobInput({ cwd: "/no/such/folder", trigger: { type: "interval", everySeconds: 60 } })))).toEqual(["cwd"]);
    expect(await issuesOf(h.service.addJob(jobInput({ name: "taken", trigger: { type: "interval", everySeconds: 60 } })))).toEqual(["name"]);
    expect(await h.service.listJobs()).toHaveLength(1);
  });

  it("finds jobs by id or unique name and names the unknown one", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    const job = await h.service.addJob(jobInput({ name: "backup", trigger: { type: "cron", expression: "0 3 * * *" } }));
    expect((await h.service.getJob(job.id)).name).toBe("backup");
    expect((await h.service.getJob("backup")).id).toBe(job.id);
    await expect(h.service.getJob("nope")).rejects.toThrow('No job with id or name "nope"');
  });

  it("an edit changes only the given fields and validates the result", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await h.service.addJob(jobInput({ name: "e", command: "echo 1", timeoutSeconds: 30, trigger: { type: "cron", expression: "0 3 * * *" } }));
    const edited = await h.service.updateJob("e", { command: "echo 2", timeoutSeconds: null });
    expect(edited.command).toBe("echo 2");
    expect(edited.timeoutSeconds).toBeUndefined();
    expect(edited.triggers).toMatchObject([{ expression: "0 3 * * *" }]);
    expect(await issuesOf(h.service.updateJob("e", { trigger: { type: "cron", expression: "bad" } }))).toEqual(["trigger.expression"]);
    expect((await h.service.getJob("e")).command).toBe("echo 2");
  });

  it("a finished one-off job given its own trigger back keeps it finished; another past date is refused; pausing it is refused (issue 13)", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    const job = await h.service.addJob(jobInput({ name: "once", trigger: { type: "date", at: "2026-03-02T10:00:05Z" } }));
    await h.advance(10_000);
    h.executor.executions.at(-1)!.exit(0);
    await h.advance(0);
    expect((await h.service.getJob("once")).finished).toBe(true);

    const edited = await h.service.updateJob("once", { triggers: job.triggers, command: "echo again" });
    expect(edited).toMatchObject({ finished: true, nextRunAt: null, command: "echo again", triggers: job.triggers });
    expect(await issuesOf(h.service.updateJob("once", { trigger: { type: "date", at: "2026-03-02T10:00:06Z" } }))).toEqual(["trigger.at"]);
    await expect(h.service.pauseJob("once")).rejects.toMatchObject({ name: "JobFinishedError", jobName: "once" });
    expect((await h.service.getJob("once")).paused).toBe(false);

    const rearmed = await h.service.updateJob("once", { trigger: { type: "date", at: "2026-03-03T09:00:00Z" } });
    expect(rearmed).toMatchObject({ finished: false, nextRunAt: "2026-03-03T09:00:00+00:00" });
  });

  it("previews the next fire times in the trigger's zone", async () => {
    const h = await createHarness({ start: "2026-03-06T12:00:00Z" });
    const preview = await h.service.previewTrigger({ trigger: { type: "cron", expression: "30 2 * * *", timezone: "America/New_York" }, count: 3 });
    expect(preview.times).toEqual(["2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"]);
    expect(preview.description).toMatch(/02:30/);
  });
});

describe("importing jobs", () => {
  it("adds every job in one go, or none when any job is invalid, naming it by position", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    const good = jobInput({ name: "a", trigger: { type: "cron", expression: "0 3 * * *" } });
    await expect(
      h.service.importJobs([good, jobInput({ name: "b", trigger: { type: "cron", expression: "0 0 31 2 *" } }), jobInput({ name: "a", trigger: { type: "interval", everySeconds: 60 } })]),
    ).rejects.toMatchObject({ issues: [{ field: "jobs[1].trigger.expression" }, { field: "jobs[2].name" }] });
    expect(await h.service.listJobs()).toHaveLength(0);

    const added = await h.service.importJobs([good, jobInput({ name: "b", trigger: { type: "interval", everySeconds: 60 } })]);
    expect(added.map((job) => job.name)).toEqual(["a", "b"]);
    expect(h.store.data.jobs.map((job) => job.name)).toEqual(["a", "b"]);
  });
});

describe("a job's triggers at the edge (issue 15)", () => {
  it("names each problem in the list by its index; the one-trigger shorthand keeps its own names", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    const fields = await issuesOf(
      h.service.addJob({
        name: "a",
        command: "true",
        triggers: [{ type: "startup" }, { type: "cron", expression: "0 0 31 2 *" }, { type: "watch", path: "notes" }, { type: "startup" }, { type: "after", job: "ghost" }],
      }),
    );
    expect(fields).toEqual(["triggers[3]", "triggers[1].expression", "triggers[2].path", "triggers[4].job"]);
    expect(await issuesOf(h.service.addJob(jobInput({ trigger: { type: "cron", expression: "0 0 31 2 *" } })))).toEqual(["trigger.expression"]);
    expect(await h.service.listJobs()).toHaveLength(0);
  });

  it("refuses trigger and triggers together, and a job without either", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    const both = { name: "a", command: "true", trigger: { type: "startup" }, triggers: [] } as never;
    expect(await issuesOf(h.service.addJob(both))).toEqual(["trigger"]);
    expect(await issuesOf(h.service.addJob({ name: "a", command: "true" } as never))).toEqual(["triggers"]);
  });

  it("an event kind has no times to preview", async () => {
    const h = await createHarness({ start: "2026-03-02T10:00:00Z" });
    await expect(h.service.previewTrigger({ trigger: { type: "wake" } })).rejects.toMatchObject({ issues: [{ field: "trigger.type", message: "a wake trigger has no clock times to preview" }] });
  });
});
