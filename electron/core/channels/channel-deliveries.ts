/**
 * Carries run outcomes and alerts from the event bus to the channels a job names, and runs'
 * pings to its ping URL (issue 16; DESIGN.md "Channels"). It only listens: a run never waits
 * for a delivery, and a broken channel shows in `status` and the UI instead of being dropped
 * silently. The desktop notification of a run stays with the run launcher, which asks the same
 * routing (`channelsFor`).
 */
import type { ChannelTestResult, ChannelView, DeliveryBody, DeliveryHealth, PingHealth } from "../../shared/channels.js";
import { DEFAULT_CHANNEL_TIMEOUT_SECONDS, DESKTOP_CHANNEL, CHANNEL_EVENTS, type ChannelEvent } from "../../shared/channels.js";
import type { Alert, SchedulerEvent } from "../../shared/contract.js";
import type { Channel, Job, Run, Settings } from "../../shared/schemas.js";
import { maskCommand, maskUrl } from "../../shared/secrets.js";
import type { Clock } from "../clock.js";
import type { EventBus } from "../events.js";
import type { RunLogs } from "../store/run-logs.js";
import { DeliveryQueue, type DeliveryQueueOptions } from "./delivery-queue.js";
import { alertDeliveryBody, logTailOf, pingRequest, runDeliveryBody, sampleBody, webhookRequest, type PingPhase } from "./payload.js";
import { channelsFor, deliveryEventOf, type RoutedEvent } from "./routing.js";
import { DeliveryError, runCommandDelivery, sendHttp } from "./senders.js";

export interface ChannelDeliveriesDeps {
  clock: Clock;
  events: EventBus;
  logs: RunLogs;
  settings: () => Settings;
  jobs: () => Job[];
  run: (runId: string) => Run | null;
  /** The environment a command channel starts with (the login shell's, as runs get). */
  baseEnv: () => Promise<Record<string, string>>;
  /** Where a command channel runs (the user's home folder). */
  cwd: string;
  killGraceMs: number;
  log: (line: string) => void;
  /** Bounds and backoff; tests shorten them. */
  queue?: Partial<Omit<DeliveryQueueOptions, "clock" | "log">>;
}

const channelKey = (name: string) => `channel:${name}`;
const pingKey = (jobId: string) => `ping:${jobId}`;

export class ChannelDeliveries {
  readonly #queue: DeliveryQueue;
  #unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: ChannelDeliveriesDeps) {
    this.#queue = new DeliveryQueue({ ...deps.queue, clock: deps.clock, log: deps.log });
  }

  /** Listens to the bus. */
  start(): void {
    this.#unsubscribe ??= this.deps.events.subscribe((event) => this.#onEvent(event));
  }

  /** Stops listening and retrying (what still waits is logged). */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#queue.stop();
  }

  /** Resolves once no delivery waits. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** The desktop and every channel added, masked unless `includeSecrets`, with their health. */
  views(includeSecrets = false): ChannelView[] {
    const settings = this.deps.settings();
    const jobs = this.deps.jobs();
    const desktopEvents: ChannelEvent[] = settings.defaultNotify === "always" ? [...CHANNEL_EVENTS] : settings.defaultNotify === "never" ? ["alert", "recovery"] : ["failure", "alert", "recovery"];
    const desktop: ChannelView = {
      name: DESKTOP_CHANNEL,
      type: "desktop",
      target: null,
      preset: null,
      events: desktopEvents,
      timeoutSeconds: null,
      jobs: jobs.filter((job) => (job.channels ?? [DESKTOP_CHANNEL]).includes(DESKTOP_CHANNEL)).map((job) => job.name),
      health: this.#queue.health(channelKey(DESKTOP_CHANNEL)),
    };
    return [
      desktop,
      ...settings.channels.map((channel) => ({
        name: channel.name,
        type: channel.type,
        target: includeSecrets ? targetOf(channel) : maskedTargetOf(channel),
        preset: channel.type === "webhook" ? channel.preset : null,
        events: [...channel.events],
        timeoutSeconds: channel.timeoutSeconds ?? null,
        jobs: jobs.filter((job) => job.channels?.includes(channel.name)).map((job) => job.name),
        health: this.#queue.health(channelKey(channel.name)),
      })),
    ];
  }

  /** Every job's ping URL (masked) with how its pings have gone. */
  pings(): PingHealth[] {
    return this.deps.jobs()
      .filter((job) => job.pingUrl !== undefined)
      .map((job) => ({ jobId: job.id, jobName: job.name, url: maskUrl(job.pingUrl!), health: this.#queue.health(pingKey(job.id)) }));
  }

  /** The health of one channel, by name. */
  health(name: string): DeliveryHealth {
    return this.#queue.health(channelKey(name));
  }

  /** A removed channel's waiting deliveries go with it. */
  forget(name: string): void {
    this.#queue.forget(channelKey(name));
  }

  /** Sends a sample body to `channel` once, now, without retries; its health records the answer. */
  async test(channel: Channel): Promise<ChannelTestResult> {
    const started = this.deps.clock.monotonic();
    const body = sampleBody(new Date(this.deps.clock.now()).toISOString());
    try {
      const detail = await this.#send(channel, body);
      this.#queue.record(channelKey(channel.name), null);
      return { name: channel.name, ok: true, detail, durationMs: Math.round(this.deps.clock.monotonic() - started) };
    } catch (error) {
      const detail = error instanceof DeliveryError ? error.message : "could not deliver";
      this.#queue.record(channelKey(channel.name), detail);
      return { name: channel.name, ok: false, detail, durationMs: Math.round(this.deps.clock.monotonic() - started) };
    }
  }

  #onEvent(event: SchedulerEvent): void {
    switch (event.type) {
      case "run.started":
        this.#ping(event.run, "start");
        return;
      case "run.finished":
        this.#onRunFinished(event.run);
        return;
      case "alert.raised":
        this.#onAlert(event.alert);
        return;
      default:
        return;
    }
  }

  #onRunFinished(run: Run): void {
    // A run that never started (skipped, missed) sent no /start: nothing to close.
    if (run.startedAt !== null && run.status !== "skipped" && run.status !== "missed") this.#ping(run, run.status === "succeeded" ? "success" : "fail");
    const job = this.#job(run.jobId);
    if (!job) return;
    const routed: RoutedEvent = { kind: "run", status: run.status };
    const eventName = deliveryEventOf(routed);
    if (eventName === null) return;
    const names = channelsFor(job, routed, this.deps.settings()).filter((name) => name !== DESKTOP_CHANNEL);
    if (names.length === 0) return;
    const tail = this.#tailOf(run.id);
    const body = () => tail().then((logTail) => runDeliveryBody(eventName, job, run, logTail, run.endedAt ?? new Date(this.deps.clock.now()).toISOString()));
    this.#deliver(names, once(body), `${eventName} of "${job.name}"`);
  }

  #onAlert(alert: Alert): void {
    const job = alert.jobId !== null ? this.#job(alert.jobId) : null;
    // An alert about a job removed since has nowhere to be routed by.
    if (alert.jobId !== null && !job) return;
    const routed: RoutedEvent = { kind: "alert", alertKind: alert.kind };
    const eventName = deliveryEventOf(routed)!;
    const names = channelsFor(job, routed, this.deps.settings()).filter((name) => name !== DESKTOP_CHANNEL);
    if (names.length === 0) return;
    const run = alert.runId !== null ? this.deps.run(alert.runId) : null;
    const tail = run ? this.#tailOf(run.id) : () => Promise.resolve("");
    this.#deliver(names, once(() => tail().then((logTail) => alertDeliveryBody(eventName, alert, run, logTail))), `${eventName}${alert.jobName ? ` of "${alert.jobName}"` : ""}`);
  }

  #deliver(names: string[], body: () => Promise<DeliveryBody>, about: string): void {
    for (const name of names) {
      this.#queue.enqueue({
        key: channelKey(name),
        label: `channel "${name}"`,
        about,
        send: async () => {
          // Looked up at each try: a channel removed or changed meanwhile is not sent to.
          const channel = this.deps.settings().channels.find((candidate) => candidate.name === name);
          if (!channel) return "channel removed";
          return this.#send(channel, await body());
        },
      });
    }
  }

  #ping(run: Run, phase: PingPhase): void {
    const job = this.#job(run.jobId);
    if (!job?.pingUrl) return;
    const pingUrl = job.pingUrl;
    const tail = phase === "start" ? () => Promise.resolve("") : this.#tailOf(run.id);
    this.#queue.enqueue({
      key: pingKey(job.id),
      label: `ping URL of "${job.name}"`,
      about: `the ${phase} ping of run ${run.id}`,
      send: async () => sendHttp(pingRequest(pingUrl, phase, run, await tail()), DEFAULT_CHANNEL_TIMEOUT_SECONDS * 1000),
    });
  }

  async #send(channel: Channel, body: DeliveryBody): Promise<string> {
    const timeoutMs = (channel.timeoutSeconds ?? DEFAULT_CHANNEL_TIMEOUT_SECONDS) * 1000;
    if (channel.type === "webhook") return sendHttp(webhookRequest(channel.url, channel.preset, body), timeoutMs);
    const env = { ...(await this.deps.baseEnv()), SUNDIAL_EVENT: body.event, SUNDIAL_CHANNEL: channel.name };
    if (body.job) Object.assign(env, { SUNDIAL_JOB_ID: body.job.id, SUNDIAL_JOB_NAME: body.job.name });
    return runCommandDelivery({ command: channel.command, stdin: `${JSON.stringify(body)}\n`, env, cwd: this.deps.cwd, timeoutMs, killGraceMs: this.deps.killGraceMs, log: this.deps.log });
  }

  #job(jobId: string): Job | null {
    return this.deps.jobs().find((job) => job.id === jobId) ?? null;
  }

  /** The run's log tail, read once however many channels carry it. */
  #tailOf(runId: string): () => Promise<string> {
    return once(() =>
      this.deps.logs
        .read(runId)
        .then((log) => logTailOf(log?.text ?? ""))
        .catch(() => ""),
    );
  }
}

function targetOf(channel: Channel): string {
  return channel.type === "webhook" ? channel.url : channel.command;
}

function maskedTargetOf(channel: Channel): string {
  return channel.type === "webhook" ? maskUrl(channel.url) : maskCommand(channel.command);
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | null = null;
  return () => (promise ??= make());
}
