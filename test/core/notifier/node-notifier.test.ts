import { describe, expect, it } from "vitest";
import { NodeNotifier, type NotificationBackend } from "../../../electron/core/notifier/node-notifier.js";
import type { RunNotification } from "../../../electron/core/notifier/notifier.js";
import { RecordingNotifier } from "../../../electron/core/notifier/recording-notifier.js";
import { SilentNotifier } from "../../../electron/core/notifier/silent-notifier.js";

const notification: RunNotification = { title: "backup failed", message: "Exit code 3 after 12s", jobId: "job-1", runId: "run-1" };

/** Answers each notify() the way the test says, and remembers the options it was given. */
function fakeBackend(answer: (callback: (error: Error | string | null, response?: string) => void) => void): NotificationBackend & { calls: Record<string, unknown>[] } {
  const calls: Record<string, unknown>[] = [];
  return {
    calls,
    notify(options, callback) {
      calls.push(options);
      answer(callback);
    },
  };
}

describe("NodeNotifier", () => {
  it("treats node-notifier's empty-string error as success", async () => {
    const logged: string[] = [];
    const backend = fakeBackend((callback) => setImmediate(() => callback("", "")));
    await new NodeNotifier({ backend, log: (line) => logged.push(line), platform: "linux" }).notify(notification);
    expect(logged).toEqual([]);
    expect(backend.calls[0]).toMatchObject({ title: "backup failed", message: "Exit code 3 after 12s", wait: false, "app-name": "Sundial" });
  });

  it("logs an Error from the backend and resolves", async () => {
    const logged: string[] = [];
    const backend = fakeBackend((callback) => callback(new Error("Command failed: notify-send\nCould not connect: No such file or directory\n")));
    await new NodeNotifier({ backend, log: (line) => logged.push(line) }).notify(notification);
    // One line: notify-send's stderr must not break line-based logs.
    expect(logged).toEqual(['notification "backup failed" failed: Command failed: notify-send | Could not connect: No such file or directory']);
  });

  it("logs a non-empty stderr string (what node-notifier passes as the error) and resolves", async () => {
    const logged: string[] = [];
    await new NodeNotifier({ backend: fakeBackend((callback) => callback("GDBus.Error: no server\n", "")), log: (line) => logged.push(line) }).notify(notification);
    expect(logged).toEqual(['notification "backup failed" failed: GDBus.Error: no server']);
  });

  it("never throws, even when the backend throws synchronously", async () => {
    const logged: string[] = [];
    const backend = fakeBackend(() => {
      throw new TypeError("The argument 'command' must be a string without null bytes");
    });
    await expect(new NodeNotifier({ backend, log: (line) => logged.push(line) }).notify(notification)).resolves.toBeUndefined();
    expect(logged[0]).toContain("without null bytes");
  });

  it("resolves after its timeout when the backend never answers", async () => {
    const logged: string[] = [];
    const started = performance.now();
    await new NodeNotifier({ backend: fakeBackend(() => {}), timeoutMs: 150, platform: "linux", log: (line) => logged.push(line) }).notify(notification);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(logged).toEqual(['notification "backup failed" got no answer within 150 ms']);
  });

  it("removes control characters (a NUL would make child_process throw)", async () => {
    const backend = fakeBackend((callback) => callback("", ""));
    await new NodeNotifier({ backend, log: () => {} }).notify({ ...notification, message: "bad\u0000 byte\u001b[31m\nnext" });
    expect(backend.calls[0]?.message).toBe("bad byte[31m\nnext");
  });

  it("on macOS and Windows asks to wait and reports a click to every listener, even after notify() resolved", async () => {
    let answer: ((error: Error | string | null, response?: string) => void) | undefined;
    const backend = fakeBackend((callback) => (answer = callback));
    const notifier = new NodeNotifier({ backend, platform: "darwin", timeoutMs: 50, log: () => {} });
    const clicked: RunNotification[] = [];
    notifier.onClick((shown) => clicked.push(shown));
    notifier.onClick(() => {
      throw new Error("a broken listener must not stop the others");
    });
    await notifier.notify(notification);
    expect(backend.calls[0]?.wait).toBe(true);
    answer?.(null, "activate");
    expect(clicked).toEqual([notification]);
  });

  it("on Linux does not ask to wait, since notify-send cannot report clicks", async () => {
    const backend = fakeBackend((callback) => callback("", ""));
    await new NodeNotifier({ backend, platform: "linux" }).notify(notification);
    expect(backend.calls[0]?.wait).toBe(false);
  });
});

describe("SilentNotifier and RecordingNotifier", () => {
  it("SilentNotifier resolves and shows nothing", async () => {
    await expect(new SilentNotifier().notify(notification)).resolves.toBeUndefined();
  });

  it("RecordingNotifier keeps what it was given and plays clicks", async () => {
    const recorder = new RecordingNotifier();
    const clicked: string[] = [];
    recorder.onClick((shown) => clicked.push(shown.runId));
    await recorder.notify(notification);
    recorder.click(notification);
    expect(recorder.notifications).toEqual([notification]);
    expect(clicked).toEqual(["run-1"]);
  });
});
