/**
 * The one routing decision (issue 16) on a real engine and home: a job that names no channel
 * notifies the desktop only, as before; a job that names only a webhook does not notify the
 * desktop and its failure reaches the webhook; naming `desktop` beside it does both. The
 * pure `channelsFor` is checked for the events each channel carries.
 */
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../../electron/core/engine.js";
import { RecordingNotifier } from "../../../electron/core/notifier/recording-notifier.js";
import { channelsFor } from "../../../electron/core/channels/routing.js";
import type { Run, Settings } from "../../../electron/shared/schemas.js";
import { tempFolder } from "../../support/temp-folders.mjs";
import { startReceiver, type HttpReceiver } from "../../support/http-receiver.js";

const engines: Engine[] = [];
const receivers: HttpReceiver[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function runToEnd(engine: Engine, ref: string): Promise<Run> {
  let stop = () => {};
  let runId = "";
  const finished = new Promise<Run>((resolve) => {
    stop = engine.subscribe((event) => {
      if (event.type === "run.finished" && event.run.id === runId) resolve(event.run);
    });
  });
  runId = (await engine.service.runNow(ref)).id;
  const run = await finished;
  stop();
  return run;
}

const MANUAL = { type: "date", at: "2999-01-01T00:00:00Z" } as const;

describe("routing a run's outcome", () => {
  it("notifies the desktop only for a job without channels, the webhook only for a job naming just it, and both when it names desktop too", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const notifier = new RecordingNotifier();
    const engine = await openEngine({ home: path.join(tempFolder("routing"), "home"), notifier, baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, killGraceMs: 500 });
    engines.push(engine);
    await engine.service.addChannel({ name: "hook", type: "webhook", url: `${receiver.url}/hook` });
    await engine.service.addJob({ name: "plain", trigger: MANUAL, command: "exit 1" });
    await engine.service.addJob({ name: "hooked", trigger: MANUAL, command: "exit 2", channels: ["hook"] });
    await engine.service.addJob({ name: "both", trigger: MANUAL, command: "exit 3", channels: ["hook", "desktop"] });

    await runToEnd(engine, "plain");
    await runToEnd(engine, "hooked");
    await runToEnd(engine, "both");
    const bodies = (await receiver.waitForRequests(2, "/hook")).map((request) => JSON.parse(request.body) as { job: { name: string }; run: { exitCode: number } });
    expect(bodies.map((body) => [body.job.name, body.run.exitCode])).toEqual([
      ["hooked", 2],
      ["both", 3],
    ]);
    expect(notifier.notifications.map((notification) => notification.title)).toEqual(["plain failed", "both failed"]);
  });
});

describe("channelsFor", () => {
  const settings: Pick<Settings, "channels" | "notifications" | "defaultNotify" | "defaultAlerts"> = {
    notifications: true,
    defaultAlerts: {},
    defaultNotify: "failure",
    channels: [
      { name: "hook", type: "webhook", url: "http://127.0.0.1:1/", preset: "generic", events: ["failure", "alert", "recovery"] },
      { name: "all", type: "command", command: "cat", events: ["failure", "success", "alert", "recovery"] },
      { name: "recoveries", type: "webhook", url: "http://127.0.0.1:1/", preset: "slack", events: ["recovery"] },
    ],
  };
  const job = { channels: ["desktop", "hook", "all", "recoveries"] };

  it("sends each event to the channels that carry it, and the desktop by the job's notify policy", () => {
    expect(channelsFor(job, { kind: "run", status: "failed" }, settings)).toEqual(["desktop", "hook", "all"]);
    expect(channelsFor(job, { kind: "run", status: "succeeded" }, settings)).toEqual(["all"]);
    expect(channelsFor({ ...job, notify: "always" }, { kind: "run", status: "succeeded" }, settings)).toEqual(["desktop", "all"]);
    expect(channelsFor(job, { kind: "run", status: "cancelled" }, settings)).toEqual([]);
    expect(channelsFor(job, { kind: "alert", alertKind: "failures" }, settings)).toEqual(["desktop", "hook", "all"]);
    expect(channelsFor(job, { kind: "alert", alertKind: "recovered" }, settings)).toEqual(["desktop", "hook", "all", "recoveries"]);
  });

  it("keeps a job without channels on the desktop only, and sends the missed summary (no job) to every channel carrying alerts", () => {
    expect(channelsFor({}, { kind: "run", status: "failed" }, settings)).toEqual(["desktop"]);
    expect(channelsFor(null, { kind: "alert", alertKind: "missed-summary" }, settings)).toEqual(["desktop", "hook", "all"]);
    expect(channelsFor(null, { kind: "alert", alertKind: "missed-summary" }, { ...settings, notifications: false })).toEqual(["hook", "all"]);
  });

  it("says failures once, by the alert, on every channel when an afterFailures rule holds (the job's own or the default)", () => {
    const alerted = { ...job, alerts: { afterFailures: 3 } };
    expect(channelsFor(alerted, { kind: "run", status: "failed" }, settings)).toEqual([]);
    expect(channelsFor(alerted, { kind: "run", status: "succeeded" }, settings)).toEqual(["all"]);
    expect(channelsFor(alerted, { kind: "alert", alertKind: "failures" }, settings)).toEqual(["desktop", "hook", "all"]);
    expect(channelsFor(job, { kind: "run", status: "timed_out" }, { ...settings, defaultAlerts: { afterFailures: 2 } })).toEqual([]);
  });
});
