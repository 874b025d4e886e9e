/**
 * What a delivery says (DESIGN.md "Channels"): the JSON body every channel is built from, the
 * shapes of the webhook presets, and the healthchecks.io-style pings. Pure functions.
 */
import type { DeliveryBody, DeliveryEventName, WebhookPreset } from "../../shared/channels.js";
import type { Alert } from "../../shared/contract.js";
import type { Run } from "../../shared/schemas.js";
import { formatRunDuration } from "../../shared/wording.js";
import { buildRunNotification } from "../notifier/policy.js";

/** The last lines of a run's output a delivery carries (a webhook has room for more than a notification). */
export const LOG_TAIL_LINES = 20;
export const LOG_TAIL_CHARS = 4_000;

/** A finished run's body: `message` is the desktop notification's words. */
export function runDeliveryBody(event: DeliveryEventName, job: { id: string; name: string }, run: Run, logTail: string, at: string): DeliveryBody {
  const { title, message } = buildRunNotification(job, run, logTail);
  return {
    event,
    job: { id: job.id, name: job.name },
    run: { id: run.id, status: run.status, exitCode: run.exitCode, durationMs: run.durationMs, startedAt: run.startedAt },
    logTail,
    title,
    message,
    at,
  };
}

/** An alert's body: the alert's own title and message (the desktop shows the same). */
export function alertDeliveryBody(event: DeliveryEventName, alert: Alert, run: Run | null, logTail: string): DeliveryBody {
  return {
    event,
    job: alert.jobId !== null ? { id: alert.jobId, name: alert.jobName ?? alert.jobId } : null,
    run: run ? { id: run.id, status: run.status, exitCode: run.exitCode, durationMs: run.durationMs, startedAt: run.startedAt } : null,
    logTail,
    title: alert.title,
    message: alert.message,
    at: alert.at,
  };
}

/** An HTTP request a delivery makes. */
export interface DeliveryRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

/**
 * A webhook's request in its preset's shape: `generic` the body as JSON; `ntfy` the title and
 * message as ntfy.sh reads them (plain text, a `Title` header, a higher priority for failures);
 * `slack` `{ text }` (Slack, Discord's `/slack` endpoint, Mattermost).
 */
export function webhookRequest(url: string, preset: WebhookPreset, body: DeliveryBody): DeliveryRequest {
  switch (preset) {
    case "generic":
      return { method: "POST", url, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    case "ntfy":
      return {
        method: "POST",
        url,
        headers: {
          "content-type": "text/plain; charset=utf-8",
          // HTTP header values are Latin-1: ntfy decodes RFC 2047 encoded words for the rest.
          title: headerText(body.title),
          tags: body.event,
          ...(body.event === "run.failed" || body.event.startsWith("alert.") ? { priority: body.event === "alert.recovered" ? "default" : "high" } : {}),
        },
        body: body.message,
      };
    case "slack":
      return { method: "POST", url, headers: { "content-type": "application/json" }, body: JSON.stringify({ text: `*${body.title}*\n${body.message}` }) };
    default: {
      const unhandled: never = preset;
      throw new Error(`unknown webhook preset ${String(unhandled)}`);
    }
  }
}

/** A header value: plain ASCII as is, anything else as an RFC 2047 UTF-8 encoded word. */
function headerText(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(oneLine)) return oneLine;
  return `=?UTF-8?B?${Buffer.from(oneLine, "utf8").toString("base64")}?=`;
}

/** Which ping a run sends: at its start, or at its end by how it ended. */
export type PingPhase = "start" | "success" | "fail";

/**
 * The healthchecks.io convention: `GET URL/start` when the run starts; at its end a `POST` to
 * `URL` (success) or `URL/fail` (any other end of a started run), whose plain-text body holds
 * the exit code, status and duration, then the log tail (healthchecks.io shows the body).
 */
export function pingRequest(pingUrl: string, phase: PingPhase, run: Run, logTail: string): DeliveryRequest {
  const url = new URL(pingUrl);
  if (phase !== "success") url.pathname = `${url.pathname.replace(/\/+$/, "")}/${phase}`;
  if (phase === "start") return { method: "GET", url: url.toString(), headers: {}, body: null };
  const lines = [
    `exit code: ${run.exitCode ?? "none"}`,
    `status: ${run.status}`,
    `duration: ${formatRunDuration(run.durationMs, "-")}`,
    `run: ${run.id}`,
  ];
  return { method: "POST", url: url.toString(), headers: { "content-type": "text/plain; charset=utf-8" }, body: `${lines.join("\n")}\n\n${logTail}` };
}

/** The last lines of a log, within LOG_TAIL_CHARS. */
export function logTailOf(text: string): string {
  const lines = text.replace(/\s+$/, "").split(/\r?\n/);
  const tail = lines.slice(-LOG_TAIL_LINES).join("\n");
  return tail.length > LOG_TAIL_CHARS ? tail.slice(-LOG_TAIL_CHARS) : tail;
}

/** A sample body for `sundial channel test`. */
export function sampleBody(at: string): DeliveryBody {
  return {
    event: "run.failed",
    job: { id: "j_test", name: "sundial-test" },
    run: { id: "r_test", status: "failed", exitCode: 1, durationMs: 1200, startedAt: at },
    logTail: "this is a test delivery from sundial channel test",
    title: "sundial-test failed (a test from Sundial)",
    message: "Exit code 1 after 1.2 s\nthis is a test delivery from sundial channel test",
    at,
  };
}
