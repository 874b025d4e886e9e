import { describe, expect, it } from "vitest";
import { buildRunNotification, shouldNotify } from "../../../electron/core/notifier/policy.js";
import { RunStatus, type NotifyPolicy } from "../../../electron/shared/schemas.js";
import { finishedRun } from "../../support/run-records.js";

describe("shouldNotify", () => {
  const expected: Record<NotifyPolicy, RunStatus[]> = {
    failure: ["failed", "timed_out", "interrupted", "spawn_error"],
    always: ["succeeded", "failed", "timed_out", "cancelled", "interrupted", "spawn_error", "missed"],
    never: [],
  };

  for (const policy of ["failure", "always", "never"] as const) {
    it(`with policy "${policy}" notifies exactly ${expected[policy].join(", ") || "nothing"}`, () => {
      const notified = RunStatus.options.filter((status) => shouldNotify(policy, status, true));
      expect(notified).toEqual(expected[policy]);
    });
  }

  it("notifies nothing when notifications are switched off globally", () => {
    for (const policy of ["failure", "always", "never"] as const) {
      for (const status of RunStatus.options) expect(shouldNotify(policy, status, false)).toBe(false);
    }
  });
});

describe("buildRunNotification", () => {
  const job = { id: "job-1", name: "backup" };

  it("names the job, the outcome, the exit code and the duration, then the last three lines", () => {
    const notification = buildRunNotification(job, finishedRun({ id: "run-7" }), "one\ntwo\nthree\nfour\n");
    expect(notification).toEqual({ title: "backup failed", message: "Exit code 3 after 12 s\ntwo\nthree\nfour", jobId: "job-1", runId: "run-7" });
  });

  it("describes a success, with the shared run duration", () => {
    const notification = buildRunNotification(job, finishedRun({ status: "succeeded", exitCode: 0, durationMs: 870 }), "");
    expect(notification.title).toBe("backup succeeded");
    expect(notification.message).toBe("Exit code 0 after 870 ms");
  });

  it("names the signal when the command was killed", () => {
    const notification = buildRunNotification(job, finishedRun({ exitCode: null, signal: "SIGKILL", durationMs: 95_000 }), "");
    expect(notification.message).toBe("Killed by SIGKILL after 1 min 35 s");
  });

  it("describes a timeout", () => {
    const notification = buildRunNotification(job, finishedRun({ status: "timed_out", exitCode: null, signal: "SIGTERM", durationMs: 300_000 }), "still copying");
    expect(notification.title).toBe("backup timed out");
    expect(notification.message).toBe("Stopped at its timeout after 5 min (killed by SIGTERM)\nstill copying");
  });

  it("gives the reason a run could not start", () => {
    const run = finishedRun({ status: "spawn_error", exitCode: null, durationMs: 2, error: 'cwd "/nope" does not exist' });
    expect(buildRunNotification(job, run, "")).toMatchObject({ title: "backup could not start", message: 'Cwd "/nope" does not exist' });
  });

  it("describes interrupted and missed runs", () => {
    expect(buildRunNotification(job, finishedRun({ status: "interrupted", exitCode: null, durationMs: null, error: null }), "").message).toBe(
      "Sundial stopped while it was running",
    );
    expect(buildRunNotification(job, finishedRun({ status: "missed", missedCount: 3, exitCode: null, durationMs: null }), "")).toMatchObject({
      title: "backup missed runs",
      message: "3 scheduled runs did not happen",
    });
  });

  it("strips terminal colours and control characters from the output and shortens long lines", () => {
    const tail = `\x1b[31merror:\x1b[0m bad\x07 thing\n${"y".repeat(300)}`;
    const lines = buildRunNotification(job, finishedRun(), tail).message.split("\n");
    expect(lines[1]).toBe("error: bad thing");
    expect(lines[2]).toHaveLength(120);
    expect(lines[2]?.endsWith("…")).toBe(true);
  });
});
