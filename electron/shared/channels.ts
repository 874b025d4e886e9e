/**
 * Channels (issue 16; DESIGN.md "Channels"): where run outcomes and alerts go beyond the
 * desktop notification. Plain `as const` lists and types, no zod: the CLI reads options with
 * them before it loads anything, and the renderer's Settings page bundles this file (the zod
 * schemas are in schemas.ts).
 */
import type { AlertKind } from "./contract.js";
import { isMasked, MASKED_VALUE_PROBLEM } from "./secrets.js";

/** The built-in channel: today's desktop notification. Every job uses it unless it names channels. */
export const DESKTOP_CHANNEL = "desktop";

/** The kinds of channel a user adds: an HTTP POST, or a shell command reading the JSON on stdin. */
export const CHANNEL_TYPES = ["webhook", "command"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/**
 * How a webhook's body is shaped: `generic` is the JSON below as it is; `ntfy` posts the
 * message as plain text with a `Title` header (ntfy.sh); `slack` posts `{ text }`, which Slack,
 * Discord (`/slack` endpoints) and Mattermost incoming webhooks accept.
 */
export const WEBHOOK_PRESETS = ["generic", "ntfy", "slack"] as const;
export type WebhookPreset = (typeof WEBHOOK_PRESETS)[number];
export const DEFAULT_WEBHOOK_PRESET: WebhookPreset = "generic";

/**
 * What a channel carries: `failure` a failed run (`run.failed`), `success` a run that succeeded
 * (`run.succeeded`; with `failure`, every run), `alert` an alert (`alert.failures`,
 * `alert.no-success`, `alert.slow`, `summary.missed`), `recovery` a job succeeding again after
 * failures (`alert.recovered`).
 */
export const CHANNEL_EVENTS = ["failure", "success", "alert", "recovery"] as const;
export type ChannelEvent = (typeof CHANNEL_EVENTS)[number];
/** A new channel carries what needs someone's attention: failures, alerts and recoveries, not every success. */
export const DEFAULT_CHANNEL_EVENTS: readonly ChannelEvent[] = ["failure", "alert", "recovery"];

/** The `event` name a delivery carries (ALERT_EVENT_NAMES in contract.ts names the alerts'). */
export const DELIVERY_EVENTS = ["run.failed", "run.succeeded", "alert.failures", "alert.recovered", "alert.no-success", "alert.slow", "summary.missed"] as const;
export type DeliveryEventName = (typeof DELIVERY_EVENTS)[number];

/** Which of a channel's `events` an alert kind belongs to. */
export const ALERT_CHANNEL_EVENTS: Readonly<Record<AlertKind, ChannelEvent>> = {
  failures: "alert",
  recovered: "recovery",
  "no-success": "alert",
  slow: "alert",
  "missed-summary": "alert",
};

/** Each channel's delivery attempt gives up after this long (also a command channel's timeout). */
export const DEFAULT_CHANNEL_TIMEOUT_SECONDS = 10;
export const MAX_CHANNEL_TIMEOUT_SECONDS = 300;

/** A channel as a user adds it (`sundial channel add`, the Settings page). */
export type ChannelInput =
  | { name: string; type: "webhook"; url: string; preset?: WebhookPreset; events?: ChannelEvent[]; timeoutSeconds?: number }
  | { name: string; type: "command"; command: string; events?: ChannelEvent[]; timeoutSeconds?: number };

/** How deliveries to one channel (or one job's ping URL) have gone since the engine started. */
export interface DeliveryHealth {
  /** `failing`: the last attempt failed; `ok`: the last delivery arrived; `idle`: nothing sent yet. */
  state: "ok" | "failing" | "idle";
  lastDeliveredAt: string | null;
  /** The last failure, in words without the secret (status code, connection refused, exit code). */
  lastError: string | null;
  lastErrorAt: string | null;
  /** Deliveries waiting (retries included). */
  pending: number;
  /** Deliveries given up on (every retry failed) or dropped because the queue was full. */
  failed: number;
  dropped: number;
}

/** A channel as every face lists it: the secret part of its URL or command masked (secrets.ts). */
export interface ChannelView {
  name: string;
  type: ChannelType | "desktop";
  /** The URL or command, masked unless asked with `includeSecrets`; null for the desktop. */
  target: string | null;
  preset: WebhookPreset | null;
  events: ChannelEvent[];
  timeoutSeconds: number | null;
  /** Jobs that name it (the desktop: jobs that name no channel, or name it). */
  jobs: string[];
  health: DeliveryHealth;
}

/** A job's ping URL, as `status` reports its deliveries. */
export interface PingHealth {
  jobId: string;
  jobName: string;
  /** Masked. */
  url: string;
  health: DeliveryHealth;
}

/** What `testChannel` saw: the sample's delivery, once, without retries. */
export interface ChannelTestResult {
  name: string;
  ok: boolean;
  /** `HTTP 200`, `exit code 0`, or the failure in words. */
  detail: string;
  durationMs: number;
}

/** Options of `listChannels`: secrets are included only on request (`export --include-secrets`). */
export interface ListChannelsOptions {
  includeSecrets?: boolean;
}

/**
 * What a webhook receives (the `generic` preset; a command channel reads the same on stdin):
 * DESIGN.md "Channels". `message` is the desktop notification's words.
 */
export interface DeliveryBody {
  event: DeliveryEventName;
  job: { id: string; name: string } | null;
  run: { id: string; status: string; exitCode: number | null; durationMs: number | null; startedAt: string | null } | null;
  /** The run's last lines of output ("" without a run). */
  logTail: string;
  title: string;
  message: string;
  /** When the event happened (ISO 8601, UTC). */
  at: string;
}

export function isChannelEvent(value: string): value is ChannelEvent {
  return (CHANNEL_EVENTS as readonly string[]).includes(value);
}

/** Why `text` is not a usable http(s) URL for a webhook or a ping, or null. */
export function httpUrlProblem(text: string): string | null {
  if (isMasked(text)) return MASKED_VALUE_PROBLEM;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL (give one starting with http:// or https://)`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must be an http:// or https:// URL, not ${url.protocol.replace(/:$/, "")}:`;
  if (url.hostname === "") return "must name a host";
  return null;
}
