// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JobView } from "../../electron/shared/schemas.js";
import { Clock } from "../../renderer/src/lib/state/clock.svelte.js";
import { JobsState } from "../../renderer/src/lib/state/jobs.svelte.js";
import { fakeClient, makeJob, makeRun, settle } from "./support.js";

const backup = makeJob({ name: "backup", nextRunAt: "2026-03-02T03:00:00+00:00" });
const mail = makeJob({ name: "mail", nextRunAt: "2026-03-01T13:00:00+01:00" });
const archive = makeJob({ name: "Archive", nextRunAt: null, paused: true, command: "tar czf /tmp/a.tgz ~/notes" });

async function startedState(jobs = [backup, mail, archive]) {
  const client = fakeClient(jobs);
  const state = new JobsState(client);
  const stop = state.start();
  await settle();
  return { client, state, stop };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("JobsState", () => {
  it("lists jobs soonest next run first, jobs without one last", async () => {
    const { state } = await startedState();
    expect(state.loaded).toBe(true);
    expect(state.visibleJobs.map((job) => job.name)).toEqual(["mail", "backup", "Archive"]);
  });

  it("sorts by name when asked, ignoring case", async () => {
    const { state } = await startedState();
    state.sort = "name";
    expect(state.visibleJobs.map((job) => job.name)).toEqual(["Archive", "backup", "mail"]);
  });

  it("filters by name or command, any case", async () => {
    const { state } = await startedState();
    state.filterText = "BACK";
    expect(state.visibleJobs.map((job) => job.name)).toEqual(["backup"]);
    state.filterText = "notes";
    expect(state.visibleJobs.map((job) => job.name)).toEqual(["Archive"]);
    state.filterText = "";
    expect(state.visibleJobs).toHaveLength(3);
  });

  it("adds, updates and removes jobs from events without reloading", async () => {
    const { client, state } = await startedState();
    client.emit({ type: "job.added", job: makeJob({ name: "new", nextRunAt: "2026-03-01T00:00:00Z" }) });
    client.emit({ type: "job.updated", job: { ...backup, name: "backup-2" } });
    client.emit({ type: "job.removed", jobId: mail.id });

    expect(state.visibleJobs.map((job) => job.name)).toEqual(["new", "backup-2", "Archive"]);
    expect(client.listJobs).toHaveBeenCalledOnce();
  });

  it("marks a job running on run.started and shows the finished run, then re-reads the job for its next run", async () => {
    vi.useFakeTimers();
    const client = fakeClient([backup]);
    const state = new JobsState(client);
    state.start();
    await vi.runAllTimersAsync();
    const started = makeRun({ id: "r1", jobId: backup.id, status: "running", endedAt: null, durationMs: null, exitCode: null });

    client.emit({ type: "run.started", run: started });
    expect(state.byId(backup.id)).toMatchObject({ runningRunIds: ["r1"], lastRun: { status: "running" } });

    client.emit({ type: "run.finished", run: { ...started, status: "failed", exitCode: 2 } });
    expect(state.byId(backup.id)).toMatchObject({ runningRunIds: [], lastRun: { status: "failed", exitCode: 2 } });

    client.jobs = [{ ...backup, nextRunAt: "2026-03-03T03:00:00+00:00", lastRun: { ...started, status: "failed" } }];
    await vi.runAllTimersAsync();
    // Both events are gathered into one re-read.
    expect(client.getJob).toHaveBeenCalledTimes(1);
    expect(state.byId(backup.id)?.nextRunAt).toBe("2026-03-03T03:00:00+00:00");
  });

  it("applies events that arrive while the list is loading once it has loaded", async () => {
    const client = fakeClient([backup]);
    let answer!: () => void;
    client.listJobs = vi.fn(() => new Promise<JobView[]>((resolve) => (answer = () => resolve([backup]))));
    const state = new JobsState(client);
    state.start();
    client.emit({ type: "job.added", job: mail });
    answer();
    await settle(10);
    expect(state.jobs.map((job) => job.name)).toEqual(["backup", "mail"]);
  });

  it("follows Pause all / Resume all, from its own calls and from events", async () => {
    const { client, state } = await startedState();
    await state.togglePauseAll();
    expect(client.pauseAll).toHaveBeenCalledOnce();
    expect(state.allPaused).toBe(true);
    client.emit({ type: "engine.resumed" });
    expect(state.allPaused).toBe(false);
  });

  it("reloads after the event stream reconnects (events may have been missed)", async () => {
    const { client } = await startedState();
    client.setConnection("reconnecting");
    client.setConnection("open");
    await settle();
    expect(client.listJobs).toHaveBeenCalledTimes(2);
  });

  it("stops listening when stopped", async () => {
    const { client, state, stop } = await startedState();
    stop();
    client.emit({ type: "job.removed", jobId: backup.id });
    expect(state.jobs).toHaveLength(3);
  });
});

describe("Clock", () => {
  it("ticks once a second with one interval, until stopped", () => {
    vi.useFakeTimers();
    let now = 1000;
    const clock = new Clock(() => now);
    const stop = clock.start();
    now = 2000;
    vi.advanceTimersByTime(1000);
    expect(clock.now).toBe(2000);
    stop();
    now = 3000;
    vi.advanceTimersByTime(5000);
    expect(clock.now).toBe(2000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
