// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { AgendaState } from "../../renderer/src/lib/state/agenda.svelte.js";
import { JobStatsState } from "../../renderer/src/lib/state/job-stats.svelte.js";
import { fakeClient, makeJob, makeRun, settle } from "./support.js";

describe("the Agenda page's state (issue 17)", () => {
  it("reads seven days, the days asked for when changed, and reads again once for a burst of job and run events", async () => {
    vi.useFakeTimers();
    try {
      const client = fakeClient();
      const agenda = new AgendaState(client);
      const stop = agenda.start();
      await settle(10);
      expect(client.agenda).toHaveBeenLastCalledWith({ days: 7 });
      expect(agenda.loaded).toBe(true);

      agenda.days = 14;
      await settle(10);
      expect(client.agenda).toHaveBeenLastCalledWith({ days: 14 });

      const calls = () => vi.mocked(client.agenda).mock.calls.length;
      const before = calls();
      const job = makeJob({ name: "backup" });
      client.emit({ type: "job.added", job });
      client.emit({ type: "run.started", run: makeRun({ id: "r1", jobId: job.id, status: "running" }) });
      client.emit({ type: "job.updated", job });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(calls()).toBe(before + 1);
      // Output says nothing about what runs when.
      client.emit({ type: "run.output", runId: "r1", jobId: job.id, stream: "stdout", text: "x" });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(calls()).toBe(before + 1);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("a job page's stats state (issue 17)", () => {
  it("reads the job's stats, and again when one of its runs ends, not another job's", async () => {
    const job = makeJob({ name: "backup" });
    const client = fakeClient([job]);
    const stats = new JobStatsState(client, job.id);
    const stop = stats.start();
    await settle(10);
    expect(client.jobStats).toHaveBeenCalledTimes(1);
    expect(stats.stats).toMatchObject({ jobId: job.id, runs: 0 });

    client.emit({ type: "run.finished", run: makeRun({ id: "r9", jobId: "job-other", status: "succeeded" }) });
    await settle(10);
    expect(client.jobStats).toHaveBeenCalledTimes(1);
    client.emit({ type: "run.finished", run: makeRun({ id: "r1", jobId: job.id, status: "failed" }) });
    await settle(10);
    expect(client.jobStats).toHaveBeenCalledTimes(2);
    stop();
  });

  it("shows nothing, not an error, for a job deleted with its runs", async () => {
    const client = fakeClient([]);
    const stats = new JobStatsState(client, "j_gone");
    stats.start();
    await settle(10);
    expect(stats.loaded).toBe(true);
    expect(stats.stats).toBeNull();
    expect(stats.error).toBeNull();
  });
});
