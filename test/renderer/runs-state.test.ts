// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { appendOutput, MAX_LOG_CHARS, RunsState, unseenPart } from "../../renderer/src/lib/state/runs.svelte.js";
import { JobNotFoundError } from "../../electron/shared/errors.js";
import { fakeClient, makeRun, settle } from "./support.js";

const older = makeRun({ id: "r1", jobId: "j1", startedAt: "2026-03-01T03:00:00Z" });
const newer = makeRun({ id: "r2", jobId: "j1", status: "failed", exitCode: 1, startedAt: "2026-03-02T03:00:00Z" });

function clientWithLogs(logs: Record<string, string>) {
  const client = fakeClient();
  client.history = vi.fn(async () => [newer, older]);
  client.runLog = vi.fn(async (runId: string) => ({ runId, text: logs[runId] ?? "", truncated: false, running: runId === "live" }));
  return client;
}

describe("RunsState", () => {
  it("loads the job's history newest first and shows the newest run's log", async () => {
    const client = clientWithLogs({ r2: "boom\n" });
    const runs = new RunsState(client, "j1");
    runs.start();
    await settle(10);

    expect(client.history).toHaveBeenCalledWith({ job: "j1", limit: 50 });
    expect(runs.runs.map((run) => run.id)).toEqual(["r2", "r1"]);
    expect(runs.selectedRun?.id).toBe("r2");
    expect(runs.log?.text).toBe("boom\n");
  });

  it("shows a picked run's log", async () => {
    const client = clientWithLogs({ r1: "ok\n", r2: "boom\n" });
    const runs = new RunsState(client, "j1");
    runs.start();
    await settle(10);
    await runs.select("r1");
    expect(runs.selectedRunId).toBe("r1");
    expect(runs.log?.text).toBe("ok\n");
  });

  it("follows a new run and tails its output live, ignoring other runs' output", async () => {
    const client = clientWithLogs({ live: "line 1\n" });
    const runs = new RunsState(client, "j1");
    runs.start();
    await settle(10);

    const live = makeRun({ id: "live", jobId: "j1", status: "running", endedAt: null, exitCode: null, durationMs: null });
    client.emit({ type: "run.started", run: live });
    // Output streams in while the log file is being read: the overlap is not doubled.
    client.emit({ type: "run.output", runId: "live", jobId: "j1", stream: "stdout", text: "line 1\nline 2\n" });
    await settle(10);
    client.emit({ type: "run.output", runId: "live", jobId: "j1", stream: "stderr", text: "line 3\n" });
    client.emit({ type: "run.output", runId: "other", jobId: "j2", stream: "stdout", text: "not ours\n" });

    expect(runs.runs[0]?.id).toBe("live");
    expect(runs.log).toMatchObject({ text: "line 1\nline 2\nline 3\n", running: true });
  });

  it("does not follow a new run after the user picked an older one", async () => {
    const client = clientWithLogs({ r1: "ok\n" });
    const runs = new RunsState(client, "j1");
    runs.start();
    await settle(10);
    await runs.select("r1");
    client.emit({ type: "run.started", run: makeRun({ id: "r3", jobId: "j1", status: "running" }) });
    await settle(10);
    expect(runs.runs[0]?.id).toBe("r3");
    expect(runs.selectedRunId).toBe("r1");
  });

  it("cancels the selected running run", async () => {
    const client = clientWithLogs({});
    client.history = vi.fn(async () => [makeRun({ id: "live", jobId: "j1", status: "running" })]);
    client.cancelRun = vi.fn(async () => makeRun({ id: "live", jobId: "j1", status: "cancelled" }));
    const runs = new RunsState(client, "j1");
    runs.start();
    await settle(10);

    await runs.cancelSelected();

    expect(client.cancelRun).toHaveBeenCalledWith("live");
    expect(runs.selectedRun?.status).toBe("cancelled");
  });
});

describe("live log text", () => {
  it("appends only the part of the stream the file did not have", () => {
    expect(unseenPart("a\nb\n", "b\nc\n")).toBe("c\n");
    expect(unseenPart("a\n", "b\n")).toBe("b\n");
    expect(unseenPart("a\nb\n", "a\nb\n")).toBe("");
    expect(unseenPart("", "x")).toBe("x");
  });

  it("keeps the tail of a log that grows past the cap", () => {
    const log = appendOutput({ runId: "r", text: "x".repeat(MAX_LOG_CHARS), truncated: false, running: true, trimmed: false }, "END");
    expect(log.text).toHaveLength(MAX_LOG_CHARS);
    expect(log.text.endsWith("END")).toBe(true);
    expect(log.trimmed).toBe(true);
  });
});

describe("RunsState of every job, and of a deleted job (issue 13)", () => {
  it("lists every job's runs and follows new runs of any job", async () => {
    const client = clientWithLogs({ r2: "boom\n" });
    const runs = new RunsState(client, null);
    runs.start();
    await settle(10);
    expect(client.history).toHaveBeenCalledWith({ limit: 50 });
    client.emit({ type: "run.started", run: makeRun({ id: "r3", jobId: "j2", status: "running", endedAt: null }) });
    expect(runs.runs.map((run) => run.id)).toEqual(["r3", "r2", "r1"]);
  });

  it("reads the runs again when their job is deleted, to show them marked or gone", async () => {
    const client = clientWithLogs({});
    const runs = new RunsState(client, null);
    runs.start();
    await settle(10);
    client.history = vi.fn(async () => [{ ...newer, jobDeleted: true }, { ...older, jobDeleted: true }]);
    client.emit({ type: "job.removed", jobId: "j1" });
    await settle(10);
    expect(runs.runs.map((run) => [run.id, run.jobDeleted])).toEqual([["r2", true], ["r1", true]]);
  });

  it("shows no runs, not an error, for a job deleted with its history", async () => {
    const client = clientWithLogs({});
    client.history = vi.fn(async () => {
      throw new JobNotFoundError("j_gone");
    });
    const runs = new RunsState(client, "j_gone");
    runs.start();
    await settle(10);
    expect(runs).toMatchObject({ loaded: true, error: null, runs: [] });
  });
});
