import { describe, expect, it, vi } from "vitest";
import { QUIT_BUTTONS, QuitFlow, choiceForButton, quitDialogText, waitForRunsToFinish, type QuitChoice } from "../../electron/main/quit-flow.js";
import type { Run } from "../../electron/shared/schemas.js";
import { finishedRun } from "./fixtures.js";

const running = (id: string, jobName = "backup"): Run => finishedRun({ id, jobName, status: "running", endedAt: null, exitCode: null });

type WaitForRuns = (runIds: readonly string[], signal: AbortSignal) => Promise<void>;

function flowWith(runs: Run[], choice: QuitChoice, waitForRuns = vi.fn<WaitForRuns>(async () => {})) {
  const ask = vi.fn(async () => choice);
  return { flow: new QuitFlow({ runningRuns: async () => runs, ask, waitForRuns }), ask, waitForRuns };
}

describe("quitting", () => {
  it("quits at once when nothing runs, without asking", async () => {
    const { flow, ask } = flowWith([], "cancel");
    expect(await flow.request()).toBe("quit");
    expect(ask).not.toHaveBeenCalled();
  });

  it("asks Wait / Stop / Cancel while runs are in progress", async () => {
    expect(QUIT_BUTTONS).toEqual(["Wait for runs", "Stop runs", "Cancel"]);
    expect([0, 1, 2, -1].map(choiceForButton)).toEqual(["wait", "stop", "cancel", "cancel"]);
    expect(quitDialogText([running("r1"), running("r2", "sync")]).message).toBe("2 runs are in progress: backup, sync");
    expect(quitDialogText([running("r1")]).message).toBe("1 run is in progress: backup");
    expect(quitDialogText([running("r1")]).detail).toMatch(/recorded as interrupted/);
  });

  it("stays open on Cancel and stops at once on Stop runs", async () => {
    expect(await flowWith([running("r1")], "cancel").flow.request()).toBe("cancel");
    const stop = flowWith([running("r1")], "stop");
    expect(await stop.flow.request()).toBe("quit");
    expect(stop.waitForRuns).not.toHaveBeenCalled();
  });

  it("waits for exactly the runs in progress on Wait for runs", async () => {
    const { flow, waitForRuns } = flowWith([running("r1"), running("r2")], "wait");
    expect(await flow.request()).toBe("quit");
    expect(waitForRuns).toHaveBeenCalledWith(["r1", "r2"], expect.any(AbortSignal));
  });

  it("treats a second Quit while waiting as Stop runs", async () => {
    let release: (() => void) | null = null;
    const waitForRuns = vi.fn<WaitForRuns>(
      (_ids, signal) =>
        new Promise<void>((resolve) => {
          release = resolve;
          signal.addEventListener("abort", () => resolve());
        }),
    );
    const { flow } = flowWith([running("r1")], "wait", waitForRuns);
    const first = flow.request();
    await vi.waitFor(() => expect(flow.waiting).toBe(true));
    expect(await flow.request()).toBe("busy");
    expect(await first).toBe("quit");
    expect(release).not.toBeNull();
  });

  it("ignores a second Quit while the dialog is open", async () => {
    let answer: ((choice: QuitChoice) => void) | null = null;
    const ask = vi.fn(() => new Promise<QuitChoice>((resolve) => (answer = resolve)));
    const flow = new QuitFlow({ runningRuns: async () => [running("r1")], ask, waitForRuns: async () => {} });
    const first = flow.request();
    await vi.waitFor(() => expect(ask).toHaveBeenCalled());
    expect(await flow.request()).toBe("busy");
    answer!("cancel");
    expect(await first).toBe("cancel");
    expect(ask).toHaveBeenCalledTimes(1);
  });
});

describe("waiting for runs to finish", () => {
  it("resolves after the last of them finishes, checking on each run.finished", async () => {
    const stillRunning = new Set(["r1", "r2"]);
    const listeners = new Set<(event: { type: string }) => void>();
    const subscribe = (listener: (event: { type: string }) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    let done = false;
    const waiting = waitForRunsToFinish(["r1", "r2"], new AbortController().signal, subscribe, async (id) => stillRunning.has(id)).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    stillRunning.delete("r1");
    listeners.forEach((listener) => listener({ type: "run.finished" }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    stillRunning.delete("r2");
    listeners.forEach((listener) => listener({ type: "run.output" }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    listeners.forEach((listener) => listener({ type: "run.finished" }));
    await waiting;
    expect(listeners.size).toBe(0);
  });

  it("resolves at once when aborted", async () => {
    const controller = new AbortController();
    const waiting = waitForRunsToFinish(["r1"], controller.signal, () => () => true, async () => true);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
