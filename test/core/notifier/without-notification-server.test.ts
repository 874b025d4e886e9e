import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeNotifier } from "../../../electron/core/notifier/node-notifier.js";

const saved = { DISPLAY: process.env.DISPLAY, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS };

beforeAll(() => {
  // notify-send inherits this process's environment: point it at a bus that does not exist.
  delete process.env.DISPLAY;
  process.env.DBUS_SESSION_BUS_ADDRESS = "unix:path=/nonexistent/sundial-test-bus";
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("NodeNotifier with no notification server", () => {
  it("resolves quickly, logs why, and does not throw", async () => {
    const logged: string[] = [];
    const notifier = new NodeNotifier({ log: (line) => logged.push(line) });
    const started = performance.now();
    await expect(
      notifier.notify({ title: "backup failed", message: "Exit code 3 after 12s", jobId: "job-1", runId: "run-1" }),
    ).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^notification "backup failed" failed: .*notify-send/s);
    expect(logged[0]).toContain("Could not connect");
  });
});
