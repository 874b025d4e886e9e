/**
 * Alert rules end to end (issue 16): the real daemon on a temp home, driven by the real CLI,
 * showing its alerts on a real notification server (Xvfb + D-Bus + dunst; the Notify calls
 * dbus-monitor logs are the proof). Counting "exactly one" needs a barrier: a later alert of
 * a marker job, raised after the moment a duplicate would have been.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alert, EngineStatus } from "../../electron/shared/contract.js";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, sleep, tempHome, waitFor } from "../support/cli.js";
import { startNotificationServer, type NotificationServer, type NotifyCall } from "../support/notification-server.js";
import { startReceiver } from "../support/http-receiver.js";

let server: NotificationServer;

beforeAll(async () => {
  server = await startNotificationServer();
});

afterAll(async () => {
  await stopAllDaemons();
  await server?.stop();
  removeTempHomes();
});

/** The daemon shows its notifications on the test's server. */
const startWithServer = (home: string) => startDaemon(home, { env: server.env });

const callsAbout = (name: string): NotifyCall[] => server.notifyCalls().filter((call) => call.summary.startsWith(`${name} `) || call.summary.startsWith(`${name}:`));

async function history(home: string, job: string): Promise<Run[]> {
  return sundialJson<Run[]>(["history", job, "--limit", "100"], { home });
}

async function alertsOf(home: string, job: string): Promise<Alert[]> {
  const view = await sundialJson<JobView>(["show", job], { home });
  return fetchAlerts(home, view.id);
}

/** `GET /api/jobs/<id>/alerts` over the control socket, as the web UI and scripts read it. */
async function fetchAlerts(home: string, jobId: string): Promise<Alert[]> {
  const http = await import("node:http");
  const { homePaths } = await import("../../electron/core/home.js");
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath: homePaths(home).socket, path: `/api/jobs/${encodeURIComponent(jobId)}/alerts?limit=100` }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve((JSON.parse(body) as { result: Alert[] }).result));
    });
    request.on("error", reject);
  });
}

/** A job that fails at once, with an alert at its first failure: its alert is the barrier. */
async function raiseMarker(home: string, name: string): Promise<void> {
  const added = await sundial(["add", name, "--every", "1h", "--paused", "--alert-after", "1", "--", "exit 9"], { home });
  expect(added.code).toBe(0);
  expect((await sundial(["run", name], { home })).code).toBe(0);
  await server.waitForNotify((call) => call.summary === `${name} failed 1 times in a row`, 20_000);
}

describe("alert rules on the real daemon and notification server", () => {
  it("a job failing every second with --alert-after 3 alerts once over 10 failures, then once when its fixed command succeeds, on the desktop and a webhook", async () => {
    const home = tempHome("alerts-failures");
    const receiver = await startReceiver();
    await startWithServer(home);
    expect((await sundial(["channel", "add", "hook", "--webhook", `${receiver.url}/hook`], { home })).code).toBe(0);
    const added = await sundial(["add", "flaky", "--every", "1s", "--alert-after", "3", "--alert-recovered", "--channel", "desktop", "--channel", "hook", "--", "exit 3"], { home });
    expect(added.code).toBe(0);

    await waitFor(async () => (await history(home, "flaky")).filter((run) => run.status === "failed").length >= 10, 60_000, "the runs");
    await server.waitForNotify((call) => call.summary === "flaky failed 3 times in a row");
    const status = await sundial(["status"], { home });
    expect(status.stdout).toMatch(/Alerts:\n {2}flaky: failed \d+ times in a row/);

    expect((await sundial(["edit", "flaky", "--", "true"], { home })).code).toBe(0);
    const recovered = await server.waitForNotify((call) => call.summary === "flaky succeeded again", 30_000);
    expect(recovered.body).toMatch(/^After \d+ failed runs in a row\.$/);
    // More successes after the recovery say nothing more.
    await waitFor(async () => (await history(home, "flaky")).filter((run) => run.status === "succeeded").length >= 3, 30_000, "the runs");
    await raiseMarker(home, "marker");

    const summaries = callsAbout("flaky").map((call) => call.summary);
    // One alert for the streak, one for the recovery; no per-run failure notification under the rule.
    expect(summaries).toEqual(["flaky failed 3 times in a row", "flaky succeeded again"]);
    const alerts = await alertsOf(home, "flaky");
    expect(alerts.map((alert) => alert.kind)).toEqual(["recovered", "failures"]);
    const view = await sundialJson<JobView & { openAlert: unknown }>(["show", "flaky"], { home });
    expect(view.openAlert).toBeNull();
    const shown = await sundial(["show", "flaky"], { home });
    expect(shown.stdout).toContain("Alerts:      at the 3rd failure in a row; when it succeeds again");
    expect(shown.stdout).toMatch(/Recovered\s+flaky succeeded again/);
    // The webhook heard the same two things, and no failure run by run.
    await receiver.waitForRequests(2, "/hook");
    const events = receiver.received("/hook").map((request) => (JSON.parse(request.body) as { event: string }).event);
    expect(events).toEqual(["alert.failures", "alert.recovered"]);
    await receiver.close();
  }, 150_000);

  it("a paused job with --expect-success-within 5s raises exactly one dead-man alert, and still exactly one after a restart", async () => {
    const home = tempHome("alerts-deadman");
    const daemon = await startWithServer(home);
    const added = await sundial(["add", "backup", "--every", "1d", "--paused", "--expect-success-within", "5s", "--", "true"], { home });
    expect(added.code).toBe(0);
    const call = await server.waitForNotify((notify) => notify.summary.startsWith("backup: no success for"), 30_000);
    expect(call.summary).toMatch(/^backup: no success for \d+ seconds$/);
    expect((await sundial(["status"], { home })).stdout).toMatch(/ {2}backup: no success for \d+ seconds/);

    expect(await daemon.stop()).toBe(0);
    await startWithServer(home);
    // The restarted engine has checked every job's switch before it answers; the marker's
    // alert comes after that check and after at least one more wake-up.
    await raiseMarker(home, "marker");
    expect(callsAbout("backup")).toHaveLength(1);
    expect((await alertsOf(home, "backup")).map((alert) => alert.kind)).toEqual(["no-success"]);
    const view = await sundialJson<JobView>(["show", "backup"], { home });
    expect(view.openAlert).toMatchObject({ kind: "no-success" });
  }, 90_000);

  it("a job sleeping 5 s with --alert-slower-than 2s alerts once while the run is still going", async () => {
    const home = tempHome("alerts-slow");
    await startWithServer(home);
    expect((await sundial(["add", "slowpoke", "--every", "1d", "--paused", "--alert-slower-than", "2s", "--", "sleep 5"], { home })).code).toBe(0);
    expect((await sundial(["run", "slowpoke"], { home })).code).toBe(0);
    const [run] = await history(home, "slowpoke");
    const call = await server.waitForNotify((notify) => notify.summary.startsWith("slowpoke is still running"), 20_000);
    expect(call.summary).toBe("slowpoke is still running after 2 seconds");
    // Raised while it runs: the run had not ended when the alert was recorded.
    const [alert] = await alertsOf(home, "slowpoke");
    expect(alert).toMatchObject({ kind: "slow", runId: run!.id });
    const ended = await waitFor(async () => {
      const [latest] = await history(home, "slowpoke");
      return latest?.status === "succeeded" ? latest : null;
    }, 30_000, "the runs");
    expect(Date.parse(alert!.at)).toBeLessThan(Date.parse(ended.endedAt!));
    await raiseMarker(home, "marker");
    expect(callsAbout("slowpoke")).toHaveLength(1);
  }, 90_000);

  it("after a restart with 3 jobs' slots missed, exactly one summary notification names them", async () => {
    const home = tempHome("alerts-missed");
    const daemon = await startWithServer(home);
    for (const [name, catchUp] of [["sync", "once"], ["mail", "all"], ["report", "skip"]] as const) {
      expect((await sundial(["add", name, "--every", "2s", "--catch-up", catchUp, "--", "true"], { home })).code).toBe(0);
    }
    await waitFor(async () => (await history(home, "report")).some((run) => run.status === "succeeded"), 30_000, "the runs");
    expect(await daemon.stop()).toBe(0);
    // Down long enough for each job to miss two slots or more (past the 5 s on-time tolerance).
    await sleep(7_000);
    await startWithServer(home);

    const call = await server.waitForNotify((notify) => notify.summary.startsWith("3 jobs missed"), 20_000);
    expect(call.summary).toBe("3 jobs missed while Sundial was off: 2 caught up, 1 skipped");
    expect(call.body).toContain("report (skipped)");
    expect(call.body).toContain("sync (caught up)");
    await raiseMarker(home, "marker");
    expect(server.notifyCalls().filter((notify) => / missed /.test(notify.summary))).toHaveLength(1);
    const status = await sundialJson<EngineStatus>(["status"], { home });
    expect(status.warnings).toEqual([]);
  }, 90_000);
});

describe("alert options: bad input is refused, naming the option, and changes nothing", () => {
  it("refuses --alert-after 0, a bad duration and a bad --alert-after, and warns of a window shorter than the interval", async () => {
    const home = tempHome("alerts-bad-input");
    await startDaemon(home);

    const zero = await sundial(["add", "a", "--every", "1h", "--alert-after", "0", "--", "true"], { home });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("--alert-after: must be at least 1");
    const words = await sundial(["add", "a", "--every", "1h", "--alert-after", "three", "--alert-slower-than", "soon", "--expect-success-within", "-5m", "--", "true"], { home });
    expect(words.code).toBe(2);
    expect(words.stderr).toMatch(/^--alert-after: "three" must be a whole number/m);
    expect(words.stderr).toMatch(/^--alert-slower-than: /m);
    expect(words.stderr).toMatch(/^--expect-success-within: /m);
    expect(await sundialJson<JobView[]>(["list"], { home })).toEqual([]);

    const warned = await sundial(["add", "hourly", "--every", "1h", "--expect-success-within", "5m", "--alert-slower-than", "auto", "--", "true"], { home });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toBe("warning: --expect-success-within: 5 minutes is shorter than the job's own interval (1 hour): it will always fire\n");
    const saved = await sundialJson<JobView>(["show", "hourly"], { home });
    expect(saved.alerts).toEqual({ expectSuccessWithin: 300, slowerThan: "auto" });

    const both = await sundial(["edit", "hourly", "--clear", "expect-success-within", "--expect-success-within", "2h"], { home });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--clear expect-success-within: cannot be combined with --expect-success-within");
    const badEdit = await sundial(["edit", "hourly", "--alert-after", "0", "--alert-recovered"], { home });
    expect(badEdit.code).toBe(2);
    expect((await sundialJson<JobView>(["show", "hourly"], { home })).alerts).toEqual({ expectSuccessWithin: 300, slowerThan: "auto" });

    const edited = await sundial(["edit", "hourly", "--clear", "expect-success-within", "--alert-after", "2"], { home });
    expect(edited).toMatchObject({ code: 0, stderr: "" });
    expect((await sundialJson<JobView>(["show", "hourly"], { home })).alerts).toEqual({ slowerThan: "auto", afterFailures: 2 });
    expect((await sundial(["edit", "hourly", "--clear", "alerts"], { home })).code).toBe(0);
    expect((await sundialJson<JobView>(["show", "hourly"], { home })).alerts).toBeUndefined();
  }, 60_000);

  it("carries a job's rules through export and import", async () => {
    const home = tempHome("alerts-export");
    await startDaemon(home);
    await sundial(["add", "nightly", "--cron", "0 3 * * *", "--alert-after", "2", "--alert-recovered", "--expect-success-within", "2d", "--", "true"], { home });
    const exported = await sundial(["export"], { home });
    const other = tempHome("alerts-import");
    await startDaemon(other);
    const fs = await import("node:fs");
    const path = await import("node:path");
    const file = path.join(other, "export.json");
    fs.writeFileSync(file, exported.stdout);
    expect((await sundial(["import", file], { home: other })).code).toBe(0);
    expect((await sundialJson<JobView>(["show", "nightly"], { home: other })).alerts).toEqual({ afterFailures: 2, recovered: true, expectSuccessWithin: 172_800 });
  }, 60_000);
});
