// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { JobView } from "../../electron/shared/schemas.js";
import { filterJobs, JobsState, sortJobs } from "../../renderer/src/lib/state/jobs.svelte.js";
import { fakeClient, makeJob, makeRun } from "./support.js";

const names = (jobs: JobView[]) => jobs.map((job) => job.name);

const report = makeJob({ name: "report", trigger: { type: "cron", version: 1, expression: "30 8 * * 1-5", timezone: "Europe/Paris" } });
const standup = makeJob({ name: "standup", trigger: { type: "cron", version: 1, expression: "0 9 * * 1-5", timezone: "America/New_York" } });
const sync = makeJob({ name: "sync", trigger: { type: "interval", version: 1, everySeconds: 900 } });
const nightly = makeJob({ name: "nightly", command: "rsync -a ~/Documents /mnt", trigger: { type: "cron", version: 1, expression: "0 3 * * *" } });

describe("filtering the jobs list", () => {
  const jobs = [report, standup, sync, nightly];

  it("matches a job's time zone, by its full name or its city, any case", () => {
    expect(names(filterJobs(jobs, "Europe/Paris", "UTC"))).toEqual(["report"]);
    expect(names(filterJobs(jobs, "paris", "UTC"))).toEqual(["report"]);
    expect(names(filterJobs(jobs, "New York", "UTC"))).toEqual(["standup"]);
  });

  it("matches the schedule's words as the list shows them, and the everyday word for them", () => {
    expect(names(filterJobs(jobs, "every 15 minutes", "UTC"))).toEqual(["sync"]);
    expect(names(filterJobs(jobs, "monday through friday", "UTC"))).toEqual(["report", "standup"]);
    expect(names(filterJobs(jobs, "weekdays", "UTC"))).toEqual(["report", "standup"]);
    expect(names(filterJobs(jobs, "daily", "UTC"))).toEqual(["nightly"]);
  });

  it("matches the cron expression, the command and the name as before", () => {
    expect(names(filterJobs(jobs, "1-5", "UTC"))).toEqual(["report", "standup"]);
    expect(names(filterJobs(jobs, "DOCUMENTS", "UTC"))).toEqual(["nightly"]);
    expect(names(filterJobs(jobs, "sync", "UTC"))).toEqual(["sync", "nightly"]);
    expect(names(filterJobs(jobs, "  ", "UTC"))).toEqual(["report", "standup", "sync", "nightly"]);
  });
});

describe("filtering the jobs list by tag (issue 17)", () => {
  const docs = makeJob({ name: "docs", tags: ["backup", "nightly"] });
  const photos = makeJob({ name: "photos", tags: ["Backup"] });
  const mail = makeJob({ name: "mail", tags: ["work"] });

  it("the tag filter keeps the jobs with the tag (any case), then the text filter applies, and the tags are offered once each", async () => {
    const jobs = new JobsState(fakeClient([docs, photos, mail, nightly]));
    await jobs.load();
    expect(jobs.tags).toEqual(["backup", "nightly", "work"]);
    jobs.tagFilter = "backup";
    expect(names(jobs.visibleJobs).sort()).toEqual(["docs", "photos"]);
    jobs.filterText = "pho";
    expect(names(jobs.visibleJobs)).toEqual(["photos"]);
    jobs.filterText = "";
    jobs.tagFilter = null;
    expect(names(jobs.visibleJobs)).toHaveLength(4);
  });

  it("the text filter also finds a job by its tag", () => {
    expect(names(filterJobs([docs, photos, mail, nightly], "work", "UTC"))).toEqual(["mail"]);
  });
});

describe("sorting the jobs list", () => {
  const at = (iso: string) => ({ scheduledAt: iso, startedAt: iso, endedAt: iso });
  const failed = makeJob({ name: "failed", lastRun: makeRun({ id: "r1", jobId: "job-failed", status: "failed", ...at("2026-03-01T10:00:00.000Z") }) });
  const fine = makeJob({ name: "fine", lastRun: makeRun({ id: "r2", jobId: "job-fine", status: "succeeded", ...at("2026-03-01T11:00:00.000Z") }) });
  const never = makeJob({ name: "never" });
  const running = makeJob({
    name: "running",
    runningRunIds: ["r3"],
    lastRun: makeRun({ id: "r3", jobId: "job-running", status: "running", scheduledAt: "2026-03-01T11:30:00.000Z", startedAt: "2026-03-01T11:30:00.000Z", endedAt: null, durationMs: null }),
  });
  const broken = makeJob({ name: "broken", nextRunAt: null, problem: "trigger.expression: cannot be read" });
  const paused = makeJob({ name: "paused", paused: true, nextRunAt: null, lastRun: makeRun({ id: "r4", jobId: "job-paused", status: "succeeded", ...at("2026-02-01T00:00:00.000Z") }) });
  const finished = makeJob({ name: "finished", finished: true, nextRunAt: null, trigger: { type: "date", version: 1, at: "2026-02-01T00:00:00.000Z" } });
  const missed = makeJob({ name: "missed", lastRun: makeRun({ id: "r5", jobId: "job-missed", status: "missed", ...at("2026-03-01T09:00:00.000Z") }) });
  const jobs = [fine, never, finished, paused, running, missed, broken, failed];

  it("by last run: the most recent first (a running run by its start), never-run jobs last by name", () => {
    expect(names(sortJobs(jobs, "last"))).toEqual(["running", "fine", "failed", "missed", "paused", "broken", "finished", "never"]);
  });

  it("by status: what needs attention first (broken, failed, running, missed), then active, paused, finished", () => {
    expect(names(sortJobs(jobs, "status"))).toEqual(["broken", "failed", "running", "missed", "fine", "never", "paused", "finished"]);
  });
});
