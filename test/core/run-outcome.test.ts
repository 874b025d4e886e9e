import { describe, expect, it } from "vitest";
import type { ExecutionResult } from "../../electron/core/executor/executor.js";
import { runOutcome } from "../../electron/core/run-launcher.js";

const AT = new Date("2026-03-02T09:48:00Z");

function result(overrides: Partial<ExecutionResult>): ExecutionResult {
  return { outcome: "exited", exitCode: 0, signal: null, error: null, startedAt: AT, endedAt: AT, durationMs: 0, tail: "", ...overrides };
}

describe("an execution result is recorded as", () => {
  it("succeeded for exit 0 and failed for any other exit", () => {
    expect(runOutcome(result({ exitCode: 0 }))).toEqual({ status: "succeeded", error: null });
    expect(runOutcome(result({ exitCode: 3 }))).toEqual({ status: "failed", error: null });
  });

  it("failed, killed by its signal, when a signal ended it", () => {
    expect(runOutcome(result({ outcome: "signalled", exitCode: null, signal: "SIGKILL" }))).toEqual({ status: "failed", error: "killed by SIGKILL" });
  });

  it("timed_out past its timeout, and spawn_error with the executor's words", () => {
    expect(runOutcome(result({ outcome: "timed_out", exitCode: null, signal: "SIGTERM" }))).toEqual({ status: "timed_out", error: "took longer than its timeout" });
    expect(runOutcome(result({ outcome: "spawn_error", exitCode: null, error: 'cwd "/nope" does not exist' }))).toEqual({ status: "spawn_error", error: 'cwd "/nope" does not exist' });
  });

  it("what the canceller said for a cancelled run, else cancelled", () => {
    const cancelled = result({ outcome: "cancelled", exitCode: null, signal: "SIGTERM" });
    expect(runOutcome(cancelled)).toEqual({ status: "cancelled", error: "cancelled" });
    expect(runOutcome(cancelled, { status: "interrupted", error: "Sundial stopped while this run was in progress" })).toEqual({ status: "interrupted", error: "Sundial stopped while this run was in progress" });
  });
});
