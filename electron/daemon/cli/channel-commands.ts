/**
 * `channel add|list|remove|test` (issue 16): channels beyond the desktop notification. Bad
 * input is refused before the engine is asked where the CLI can tell (a missing or doubled
 * target, an unknown preset or event, a bad timeout), each problem naming its option; the
 * engine checks everything again and names the field.
 */
import { CHANNEL_EVENTS, isChannelEvent, WEBHOOK_PRESETS, type ChannelEvent, type ChannelInput, type ChannelView, type DeliveryHealth, type WebhookPreset } from "../../shared/channels.js";
import { CliInputError, ValidationError } from "../../shared/errors.js";
import { parseDuration } from "../../shared/duration.js";
import { EXIT } from "../../shared/exit-codes.js";
import { formatRelative } from "../../shared/wording.js";
import { printJson, println, type CliContext } from "./context.js";
import { renderTable } from "./format.js";

export interface ChannelAddOptions {
  webhook?: string;
  preset?: string;
  command?: string;
  events?: string;
  timeout?: string;
  json?: boolean;
}

/** The service's field names as the options they came from. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  name: "NAME",
  url: "--webhook",
  preset: "--preset",
  command: "--command",
  events: "--events",
  timeoutSeconds: "--timeout",
  type: "--webhook or --command",
};

export async function channelAddCommand(context: CliContext, name: string, options: ChannelAddOptions): Promise<void> {
  const input = channelInputFromOptions(name, options);
  let view: ChannelView;
  try {
    view = await context.client().addChannel(input);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new CliInputError(error.issues.map((issue) => `${OPTION_OF_FIELD[issue.field.split(".")[0]!] ?? issue.field}: ${issue.message}`));
  }
  if (options.json) return printJson(context.stdout, view);
  println(context.stdout, `Added channel "${view.name}" (${view.type}${view.preset ? `, ${view.preset}` : ""}, ${view.target}) for ${view.events.join(", ")}. Send a sample: sundial channel test ${view.name}`);
}

/** The options as a ChannelInput; every problem at once, each naming its option. */
export function channelInputFromOptions(name: string, options: ChannelAddOptions): ChannelInput {
  const problems: string[] = [];
  if (options.webhook === undefined && options.command === undefined) problems.push("--webhook or --command: give one (a URL to POST to, or a command reading JSON on stdin)");
  if (options.webhook !== undefined && options.command !== undefined) problems.push("--webhook: cannot be combined with --command; a channel is one or the other");
  if (options.preset !== undefined && options.webhook === undefined) problems.push("--preset: applies to --webhook only");
  if (options.preset !== undefined && !(WEBHOOK_PRESETS as readonly string[]).includes(options.preset)) problems.push(`--preset: "${options.preset}" is not one of ${WEBHOOK_PRESETS.join(", ")}`);
  let events: ChannelEvent[] | undefined;
  if (options.events !== undefined) {
    const words = options.events.split(",").map((word) => word.trim()).filter(Boolean);
    if (words.includes("all")) events = [...CHANNEL_EVENTS];
    else {
      const unknown = words.filter((word) => !isChannelEvent(word));
      if (unknown.length > 0 || words.length === 0) problems.push(`--events: ${words.length === 0 ? "must name at least one event" : `unknown ${unknown.map((word) => `"${word}"`).join(", ")}`}; give a comma-separated list of ${CHANNEL_EVENTS.join(", ")}, or all`);
      events = words.filter(isChannelEvent);
    }
  }
  let timeoutSeconds: number | undefined;
  if (options.timeout !== undefined) {
    try {
      timeoutSeconds = parseDuration(options.timeout);
    } catch (error) {
      problems.push(`--timeout: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new CliInputError(problems);
  const common = { name, ...(events ? { events } : {}), ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) };
  return options.webhook !== undefined
    ? { ...common, type: "webhook", url: options.webhook, ...(options.preset ? { preset: options.preset as WebhookPreset } : {}) }
    : { ...common, type: "command", command: options.command! };
}

export async function channelListCommand(context: CliContext, options: { json?: boolean }): Promise<void> {
  const channels = await context.client().listChannels();
  if (options.json) return printJson(context.stdout, channels);
  const now = context.now().getTime();
  const rows = channels.map((channel) => [
    channel.name,
    channel.type === "webhook" ? `webhook (${channel.preset})` : channel.type,
    channel.target ?? "-",
    channel.events.join(","),
    channel.jobs.length === 0 ? "-" : String(channel.jobs.length),
    healthWords(channel.health, now),
  ]);
  println(context.stdout, renderTable(["NAME", "TYPE", "TARGET", "EVENTS", "JOBS", "DELIVERIES"], rows), "lines");
}

/** How a destination's deliveries go, in one line: `failing: connection refused (2 min ago), 3 waiting`. */
export function healthWords(health: DeliveryHealth, now: number): string {
  const extras = [
    health.pending > 0 ? `${health.pending} waiting` : null,
    health.failed > 0 ? `${health.failed} given up` : null,
    health.dropped > 0 ? `${health.dropped} dropped (queue full)` : null,
  ].filter(Boolean);
  const tail = extras.length > 0 ? `, ${extras.join(", ")}` : "";
  switch (health.state) {
    case "failing":
      return `failing: ${health.lastError}${health.lastErrorAt ? ` (${formatRelative(Date.parse(health.lastErrorAt), now)})` : ""}${tail}`;
    case "ok":
      return `ok (last ${formatRelative(Date.parse(health.lastDeliveredAt!), now)})${tail}`;
    case "idle":
      return `nothing sent yet${tail}`;
  }
}

/** The engine's `name` issues as the NAME argument's. */
async function naming<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new CliInputError(error.issues.map((issue) => `${issue.field === "name" ? "NAME" : issue.field}: ${issue.message}`));
  }
}

export async function channelRemoveCommand(context: CliContext, name: string): Promise<void> {
  await naming(() => context.client().removeChannel(name));
  println(context.stdout, `Removed channel "${name}"`);
}

/** Exit 0 when the sample arrived (HTTP 2xx, exit code 0), else 1. */
export async function channelTestCommand(context: CliContext, name: string, options: { json?: boolean }): Promise<number> {
  const result = await naming(() => context.client().testChannel(name));
  if (options.json) printJson(context.stdout, result);
  else println(result.ok ? context.stdout : context.stderr, `${result.ok ? "Delivered" : "Not delivered"} to channel "${result.name}": ${result.detail} (${result.durationMs} ms)`);
  return result.ok ? EXIT.ok : EXIT.failed;
}
