/**
 * Where an event goes: the one routing decision (issue 16). The run launcher asks it before a
 * desktop notification of a run, the channel deliveries before sending anywhere else, and the
 * alert rules ask it before showing an alert on the desktop.
 */
import { ALERT_CHANNEL_EVENTS, DESKTOP_CHANNEL, type ChannelEvent, type DeliveryEventName } from "../../shared/channels.js";
import { ALERT_EVENT_NAMES, type AlertKind } from "../../shared/contract.js";
import { effectiveAlertRules, type AlertRules } from "../../shared/alert-rules.js";
import { isFailure } from "../../shared/run-statuses.js";
import type { NotifyPolicy, RunStatus, Settings } from "../../shared/schemas.js";
import { notifyPolicyOf, shouldNotify } from "../notifier/policy.js";

/** What happened: a run ended in `status`, or an alert of `alertKind` was raised. */
export type RoutedEvent = { kind: "run"; status: RunStatus } | { kind: "alert"; alertKind: AlertKind };

/** The job fields routing reads (null: an event about no one job, the missed-slots summary). */
export type RoutedJob = { channels?: string[] | undefined; notify?: NotifyPolicy | undefined; alerts?: AlertRules | undefined } | null;

/** The names of the channels a job's event goes to: `desktop` first when it goes there. */
export function channelsFor(job: RoutedJob, event: RoutedEvent, settings: Pick<Settings, "channels" | "notifications" | "defaultNotify" | "defaultAlerts">): string[] {
  // Under an `afterFailures` rule a failure is said once, by its alert, not run by run: on no
  // channel (the desktop included). Ping URLs still report every run.
  if (event.kind === "run" && isFailure(event.status) && job !== null && effectiveAlertRules(job.alerts, settings.defaultAlerts).afterFailures !== undefined) return [];
  const category = channelEventOf(event);
  // No channels named: the desktop only, as before channels existed. An event about no one
  // job (the summary) goes to the desktop and every channel that carries its kind.
  const named = job === null ? [DESKTOP_CHANNEL, ...settings.channels.map((channel) => channel.name)] : (job.channels ?? [DESKTOP_CHANNEL]);
  const routed: string[] = [];
  if (named.includes(DESKTOP_CHANNEL) && desktopShows(job, event, settings)) routed.push(DESKTOP_CHANNEL);
  for (const channel of settings.channels) {
    if (category !== null && named.includes(channel.name) && channel.events.includes(category)) routed.push(channel.name);
  }
  return routed;
}

/** The desktop follows the job's notify policy for runs, and the global switch for everything. */
function desktopShows(job: RoutedJob, event: RoutedEvent, settings: Pick<Settings, "notifications" | "defaultNotify">): boolean {
  if (event.kind === "alert") return settings.notifications;
  return shouldNotify(notifyPolicyOf(job ?? {}, settings.defaultNotify), event.status, settings.notifications);
}

/** Which of a channel's `events` an event is, or null for a run outcome no channel carries (cancelled, skipped, missed). */
export function channelEventOf(event: RoutedEvent): ChannelEvent | null {
  if (event.kind === "alert") return ALERT_CHANNEL_EVENTS[event.alertKind];
  if (event.status === "succeeded") return "success";
  return isFailure(event.status) ? "failure" : null;
}

/** The `event` name a delivery carries, or null when channels do not carry it. */
export function deliveryEventOf(event: RoutedEvent): DeliveryEventName | null {
  if (event.kind === "alert") return ALERT_EVENT_NAMES[event.alertKind] as DeliveryEventName;
  const category = channelEventOf(event);
  return category === "success" ? "run.succeeded" : category === "failure" ? "run.failed" : null;
}
