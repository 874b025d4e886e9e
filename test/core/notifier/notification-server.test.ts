/**
 * Against a real notification server (Xvfb + D-Bus + dunst, see test/support/notification-server.ts):
 * the Notify call that dbus-monitor logs is the proof.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChildProcessExecutor } from "../../../electron/core/executor/child-process-executor.js";
import { NodeNotifier } from "../../../electron/core/notifier/node-notifier.js";
import type { Notifier } from "../../../electron/core/notifier/notifier.js";
import { buildRunNotification, shouldNotify } from "../../../electron/core/notifier/policy.js";
import type { NotifyPolicy, Run } from "../../../electron/shared/schemas.js";
import { fixtureCommand, startCollecting } from "../../support/executor-harness.js";
import { startNotificationServer, type NotificationServer } from "../../support/notification-server.js";
import { runFromResult } from "../../support/run-records.js";

let server: NotificationServer | undefined;
const saved = { DISPLAY: process.env.DISPLAY, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS };
const logged: string[] = [];
const notifier = new NodeNotifier({ log: (line) => logged.push(line) });
const executor = new ChildProcessExecutor({ log: (line) => logged.push(line) });

beforeAll(async () => {
  server = await startNotificationServer();
  // node-notifier runs notify-send with this process's environment; there is no env option.
  process.env.DISPLAY = server.env.DISPLAY;
  process.env.DBUS_SESSION_BUS_ADDRESS = server.env.DBUS_SESSION_BUS_ADDRESS;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await server?.stop();
});

/** What the run launcher does when a run ends: ask the policy, then notify. */
async function runAndNotify(job: { id: string; name: string; notify: NotifyPolicy }, command: string, target: Notifier): Promise<Run> {
  const collected = startCollecting(executor, { command });
  const result = await collected.done;
  const run = runFromResult(job, result);
  if (shouldNotify(job.notify, run.status, true)) await target.notify(buildRunNotification(job, run, result.tail));
  return run;
}

describe("notifications on a real notification server", () => {
  it("a failed run shows a notification naming the job, the outcome, the exit code and the last output", async () => {
    const started = performance.now();
    const run = await runAndNotify({ id: "job-backup", name: "nightly-backup", notify: "failure" }, fixtureCommand("exec-exit-3.sh"), notifier);
    expect(run.status).toBe("failed");
    const call = await server!.waitForNotify((notify) => notify.summary.includes("nightly-backup"));
    expect(call.appName).toBe("Sundial");
    expect(call.summary).toBe("nightly-backup failed");
    expect(call.body).toMatch(/^Exit code 3 after (\d+ ms|\d+\.\d s)\n/);
    expect(call.body).toContain("error: disk full");
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(logged).toEqual([]);
  });

  it("a successful run under the default failure policy shows nothing", async () => {
    const run = await runAndNotify({ id: "job-quiet", name: "quiet-success", notify: "failure" }, fixtureCommand("exec-exit-0.sh"), notifier);
    expect(run.status).toBe("succeeded");
    // A later failure's notification is the barrier: once it is logged, anything before it is too.
    await runAndNotify({ id: "job-marker", name: "marker-failure", notify: "failure" }, "exit 9", notifier);
    await server!.waitForNotify((notify) => notify.summary === "marker-failure failed");
    expect(server!.monitorLog()).not.toContain("quiet-success");
    expect(server!.notifyCalls().map((notify) => notify.summary)).not.toContain("quiet-success succeeded");
  });

  it("a successful run under the always policy shows its success", async () => {
    await runAndNotify({ id: "job-loud", name: "loud-success", notify: "always" }, fixtureCommand("exec-exit-0.sh"), notifier);
    const call = await server!.waitForNotify((notify) => notify.summary.startsWith("loud-success"));
    expect(call.summary).toBe("loud-success succeeded");
    expect(call.body).toMatch(/^Exit code 0 after .*\nbacking up\nall good$/);
  });
});
