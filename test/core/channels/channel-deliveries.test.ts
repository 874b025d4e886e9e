/**
 * Alerts raised on a real EventBus reach the channels that carry them (issue 16): the seam the
 * alert rules publish on (`alert.raised`). Real HTTP receivers on 127.0.0.1, a real command
 * channel, real run logs in a temp folder; and the delivery queue's retries, give-up and bound
 * against a receiver that is down.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ChannelDeliveries } from "../../../electron/core/channels/channel-deliveries.js";
import { DeliveryQueue } from "../../../electron/core/channels/delivery-queue.js";
import { DeliveryError } from "../../../electron/core/channels/senders.js";
import { systemClock } from "../../../electron/core/clock.js";
import { EventBus } from "../../../electron/core/events.js";
import { FileRunLogs } from "../../../electron/core/store/file-run-logs.js";
import type { Alert } from "../../../electron/shared/contract.js";
import type { Job, Run, Settings } from "../../../electron/shared/schemas.js";
import { SettingsSchema } from "../../../electron/shared/schemas.js";
import { tempFolder } from "../../support/temp-folders.mjs";
import { startReceiver, HttpReceiver } from "../../support/http-receiver.js";
import { waitFor } from "../../support/waiting.mjs";

const receivers: HttpReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

const JOB: Job = {
  id: "j_backup",
  name: "backup",
  triggers: [{ type: "interval", version: 1, everySeconds: 60 }],
  command: "exit 1",
  env: {},
  overlap: "skip",
  catchUp: "once",
  retries: { count: 0, delaySeconds: 60, backoff: 1 },
  paused: false,
  channels: ["hook", "mail"],
  createdAt: "2026-12-01T00:00:00.000Z",
  updatedAt: "2026-12-01T00:00:00.000Z",
};

const RUN: Run = {
  id: "r_mxb3jqnv_0000e23d9517",
  jobId: "j_backup",
  jobName: "backup",
  status: "failed",
  reason: "schedule",
  attempt: 1,
  scheduledAt: "2026-12-06T03:00:00.000Z",
  startedAt: "2026-12-06T03:00:00.010Z",
  endedAt: "2026-12-06T03:00:02.000Z",
  exitCode: 3,
  signal: null,
  durationMs: 1990,
  error: null,
  outputBytes: 20,
};

function alert(kind: Alert["kind"], overrides: Partial<Alert> = {}): Alert {
  return { id: `a_${kind}`, kind, at: "2026-12-06T03:00:03.000Z", jobId: JOB.id, jobName: JOB.name, runId: RUN.id, title: `backup: ${kind}`, message: `words for ${kind}`, ...overrides };
}

async function setUp(receiver: HttpReceiver) {
  const folder = tempFolder("deliveries");
  const logs = new FileRunLogs(path.join(folder, "logs"));
  const writer = logs.open(RUN.id, 1024 * 1024);
  writer.write(Buffer.from("copying\ndisk full\n"));
  await writer.close();
  const stdinFile = path.join(folder, "stdin.jsonl");
  const settings: Settings = SettingsSchema.parse({
    channels: [
      { name: "hook", type: "webhook", url: `${receiver.url}/hook`, preset: "generic", events: ["failure", "alert", "recovery"] },
      { name: "mail", type: "command", command: `cat >> '${stdinFile}'`, events: ["recovery"] },
      { name: "team", type: "webhook", url: `${receiver.url}/team`, preset: "slack", events: ["alert"] },
    ],
  });
  const events = new EventBus();
  const log: string[] = [];
  const deliveries = new ChannelDeliveries({
    clock: systemClock,
    events,
    logs,
    settings: () => settings,
    jobs: () => [JOB],
    run: (runId) => (runId === RUN.id ? RUN : null),
    baseEnv: async () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin" }),
    cwd: folder,
    killGraceMs: 200,
    log: (line) => log.push(line),
  });
  deliveries.start();
  return { events, deliveries, stdinFile, log };
}

describe("alerts on the event bus", () => {
  it("delivers alert.failures to the job's channels that carry alerts, with the run and its log tail", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { events, deliveries } = await setUp(receiver);
    events.emit({ type: "alert.raised", alert: alert("failures") });
    await deliveries.idle();
    const [request] = await receiver.waitForRequests(1, "/hook");
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({
      event: "alert.failures",
      job: { id: "j_backup", name: "backup" },
      run: { id: RUN.id, status: "failed", exitCode: 3, durationMs: 1990, startedAt: RUN.startedAt },
      logTail: "copying\ndisk full",
      title: "backup: failures",
      message: "words for failures",
      at: "2026-12-06T03:00:03.000Z",
    });
    // "team" carries alerts, but the job does not name it.
    expect(receiver.received("/team")).toEqual([]);
    deliveries.stop();
  });

  it("delivers alert.recovered to a command channel on stdin, and each alert kind under its webhook event name", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { events, deliveries, stdinFile } = await setUp(receiver);
    events.emit({ type: "alert.raised", alert: alert("recovered") });
    events.emit({ type: "alert.raised", alert: alert("no-success", { runId: null }) });
    events.emit({ type: "alert.raised", alert: alert("slow") });
    await deliveries.idle();
    const lines = fs.readFileSync(stdinFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { event: string; message: string });
    // "mail" carries recoveries only.
    expect(lines.map((line) => [line.event, line.message])).toEqual([["alert.recovered", "words for recovered"]]);
    const hook = (await receiver.waitForRequests(3, "/hook")).map((request) => JSON.parse(request.body) as { event: string; run: unknown; logTail: string });
    expect(hook.map((body) => body.event)).toEqual(["alert.recovered", "alert.no-success", "alert.slow"]);
    // The dead-man's alert concerns no run.
    expect(hook[1]).toMatchObject({ run: null, logTail: "" });
    deliveries.stop();
  });

  it("sends the missed-slots summary, about no one job, to every channel carrying alerts, in its preset's shape", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { events, deliveries } = await setUp(receiver);
    events.emit({
      type: "alert.raised",
      alert: alert("missed-summary", { jobId: null, jobName: null, runId: null, jobIds: ["j_backup"], title: "3 jobs missed while asleep", message: "2 caught up, 1 skipped" }),
    });
    await deliveries.idle();
    const [hook] = await receiver.waitForRequests(1, "/hook");
    expect(JSON.parse(hook!.body)).toMatchObject({ event: "summary.missed", job: null, run: null, title: "3 jobs missed while asleep" });
    const [team] = await receiver.waitForRequests(1, "/team");
    expect(JSON.parse(team!.body)).toEqual({ text: "*3 jobs missed while asleep*\n2 caught up, 1 skipped" });
    deliveries.stop();
  });
});

describe("the delivery queue", () => {
  it("retries with growing waits, gives up after its tries, and says the destination is failing", async () => {
    const receiver = await new HttpReceiver().refuseConnections();
    receivers.push(receiver);
    const log: string[] = [];
    const queue = new DeliveryQueue({ clock: systemClock, log: (line) => log.push(line), maxAttempts: 4, backoffMs: 50 });
    const { sendHttp } = await import("../../../electron/core/channels/senders.js");
    queue.enqueue({ key: "k", label: 'channel "k"', about: "a test", send: () => sendHttp({ method: "POST", url: `${receiver.url}/x`, headers: {}, body: "{}" }, 2_000) });
    await queue.idle();
    expect(receiver.refusedConnections).toBe(4);
    expect(queue.health("k")).toMatchObject({ state: "failing", lastError: "connection closed before an answer", failed: 1, pending: 0 });
    expect(log.filter((line) => line.includes("not delivered"))).toHaveLength(3);
    expect(log.at(-1)).toContain("gave up on a test after 4 tries");
  });

  it("keeps at most its bound waiting, dropping the oldest and counting them, while a lane's order holds", async () => {
    const queue = new DeliveryQueue({ clock: systemClock, log: () => undefined, maxQueued: 3, maxAttempts: 1 });
    const sent: number[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    for (let index = 0; index < 6; index++) {
      queue.enqueue({
        key: "k",
        label: "k",
        about: `#${index}`,
        send: async () => {
          await gate;
          sent.push(index);
          return "ok";
        },
      });
    }
    release();
    await queue.idle();
    // #0 was being sent when the queue filled; #1, #2 and #3 were dropped as the oldest waiting.
    expect(sent).toEqual([0, 4, 5]);
    expect(queue.health("k")).toMatchObject({ state: "ok", dropped: 3, pending: 0 });
  });

  it("treats a sender's DeliveryError words as the failure shown", async () => {
    const queue = new DeliveryQueue({ clock: systemClock, log: () => undefined, maxAttempts: 1 });
    queue.enqueue({ key: "k", label: "k", about: "x", send: () => Promise.reject(new DeliveryError("HTTP 500 Internal Server Error")) });
    await waitFor(() => queue.health("k").state === "failing");
    expect(queue.health("k").lastError).toBe("HTTP 500 Internal Server Error");
  });
});
