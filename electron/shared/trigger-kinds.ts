/**
 * What every face needs to know about a trigger kind, without its math: the zone its times
 * are read and shown in, how it reads in words, and whether `--tz` can re-zone it. One entry
 * per kind in TRIGGER_KINDS; the table's type makes a new kind fail to compile until it has
 * one. Next-fire-time math stays in electron/core/triggers (with its own registration).
 * Zod-free and Intl-only: the renderer bundles it.
 */
import { systemTimeZone } from "./civil-time.js";
import type { AfterTriggerSpec, CronTriggerSpec, DateTriggerSpec, IntervalTriggerSpec, StartupTriggerSpec, TriggerSpec, WakeTriggerSpec, WatchTriggerSpec } from "./schemas.js";
import { isTimeTriggerType, type EventTriggerType } from "./trigger-types.js";
import { afterWords, describeCron, durationInWords, MANUAL_SCHEDULE_WORDS, periodInWords, triggerListInWords } from "./wording.js";

/** The trigger kinds: `cron`, `interval`, `date` (times); `startup`, `wake`, `watch`, `after` (events). */
export type TriggerKind = TriggerSpec["type"];

/** How a face writes an instant inside a schedule's words (the UI: locale; the CLI: ISO). */
export interface ScheduleWordsOptions {
  /** The zone of the person reading: a job's own zone is named only when it differs. */
  localZone: string;
  /** An instant in `zone`, as this face shows instants. */
  formatInstant(ms: number, zone: string): string;
  /** Times of day in the words on a 12-hour clock ("At 08:30 AM"); default the 24-hour one. */
  twelveHourClock?: boolean;
  /** The name of the job with this id (an `after` trigger stores its parent's id); default the id itself. */
  jobName?(id: string): string | undefined;
}

/** One kind's faces. Methods take the kind's own spec. */
interface TriggerKindFaces<Spec extends TriggerSpec> {
  /** "a cron", "an interval": the kind in a sentence. */
  readonly noun: string;
  /** The IANA zone the trigger's times are computed and shown in. */
  zone(spec: Spec): string;
  /** The spec moved to another zone, or null when the kind has no zone of its own. */
  withZone(spec: Spec, zone: string): Spec | null;
  /** The schedule in words: "At 03:00 (Europe/Paris)", "Every 10 seconds", "Once at …". */
  describe(spec: Spec, options: ScheduleWordsOptions): string;
  /** What the person typed, when the words paraphrase it (a cron expression), else null. */
  source(spec: Spec): string | null;
}

const cron: TriggerKindFaces<CronTriggerSpec> = {
  noun: "a cron",
  zone: (spec) => spec.timezone ?? systemTimeZone(),
  withZone: (spec, zone) => ({ ...spec, timezone: zone }),
  describe(spec, options) {
    // `options.localZone` is read only when the job has a zone of its own (the CLI's is a getter).
    const zone = spec.timezone && spec.timezone !== options.localZone ? ` (${spec.timezone})` : "";
    return `${describeCron(spec.expression, options.twelveHourClock)}${zone}`;
  },
  source: (spec) => spec.expression,
};

const interval: TriggerKindFaces<IntervalTriggerSpec> = {
  noun: "an interval",
  zone: () => systemTimeZone(),
  withZone: () => null,
  describe(spec, { formatInstant }) {
    const zone = systemTimeZone();
    let text = `Every ${periodInWords(spec.everySeconds)}`;
    if (spec.start !== undefined) text += ` from ${instantWords(spec.start, zone, formatInstant)}`;
    if (spec.end !== undefined) text += ` until ${instantWords(spec.end, zone, formatInstant)}`;
    if (spec.jitterSeconds) text += `, up to ${durationInWords(spec.jitterSeconds)} late (jitter)`;
    return text;
  },
  source: () => null,
};

const date: TriggerKindFaces<DateTriggerSpec> = {
  noun: "a date",
  zone: () => systemTimeZone(),
  withZone: () => null,
  describe: (spec, { formatInstant }) => `Once at ${instantWords(spec.at, systemTimeZone(), formatInstant)}`,
  source: () => null,
};

/** ", 30 seconds later" for a delayed event trigger. */
function delayWords(delaySeconds: number | undefined): string {
  return delaySeconds ? ` (after ${durationInWords(delaySeconds)})` : "";
}

const startup: TriggerKindFaces<StartupTriggerSpec> = {
  noun: "a startup",
  zone: () => systemTimeZone(),
  withZone: () => null,
  describe: (spec) => `at login${delayWords(spec.delaySeconds)}`,
  source: () => null,
};

const wake: TriggerKindFaces<WakeTriggerSpec> = {
  noun: "a wake",
  zone: () => systemTimeZone(),
  withZone: () => null,
  describe: (spec) => `on wake${delayWords(spec.delaySeconds)}`,
  source: () => null,
};

const watch: TriggerKindFaces<WatchTriggerSpec> = {
  noun: "a watch",
  zone: () => systemTimeZone(),
  withZone: () => null,
  describe: (spec) => `on change in ${spec.path}${spec.recursive ? " (and its subfolders)" : ""}`,
  source: () => null,
};

const after: TriggerKindFaces<AfterTriggerSpec> = {
  noun: "an after",
  zone: () => systemTimeZone(),
  withZone: () => null,
  describe: (spec, { jobName }) => afterWords(jobName?.(spec.job) ?? spec.job, spec.on),
  source: () => null,
};

/** Every kind's faces, keyed by kind: leaving a kind out does not compile. */
const TRIGGER_KINDS: { readonly [Kind in TriggerKind]: TriggerKindFaces<Extract<TriggerSpec, { type: Kind }>> } = { cron, interval, date, startup, wake, watch, after };

function facesOf(spec: TriggerSpec): TriggerKindFaces<TriggerSpec> {
  // The entry keyed by spec.type takes exactly this spec; TypeScript cannot follow the pairing.
  return TRIGGER_KINDS[spec.type] as TriggerKindFaces<TriggerSpec>;
}

/**
 * A job's zone: the zone of its first time trigger (a cron job's own zone), else the system
 * zone. Its next run is shown in it.
 */
export function triggersZone(specs: readonly TriggerSpec[]): string {
  const timed = specs.find((spec) => isTimeTriggerType(spec.type));
  return timed ? triggerZone(timed) : systemTimeZone();
}

/**
 * A job's triggers in words, the same on every face: "Weekdays at 09:00, and at login",
 * "after backup succeeds"; no trigger at all reads as a manual job.
 */
export function describeTriggers(specs: readonly TriggerSpec[], options: ScheduleWordsOptions): string {
  if (specs.length === 0) return MANUAL_SCHEDULE_WORDS;
  return triggerListInWords(specs.map((spec) => describeTrigger(spec, options)));
}

/** What an event trigger waits for, in the fewest words: the NEXT of a job with no clock time. */
const EVENT_WAITS: { readonly [Kind in EventTriggerType]: (spec: Extract<TriggerSpec, { type: Kind }>, options: Pick<ScheduleWordsOptions, "jobName">) => string } = {
  startup: () => "at login",
  wake: () => "on wake",
  watch: () => "on change",
  after: (spec, { jobName }) => `after ${jobName?.(spec.job) ?? spec.job}`,
};

/**
 * What a job's NEXT says when it has no clock time to show: "at login", "on change",
 * "after backup", or "at login or on wake" for several; null when it has a time trigger (its
 * next run is a time) or no trigger at all (a manual job). The UI's list, the job page and the
 * tray all say it so.
 */
export function eventOnlyNextWords(specs: readonly TriggerSpec[], options: Pick<ScheduleWordsOptions, "jobName"> = {}): string | null {
  if (specs.length === 0 || specs.some((spec) => isTimeTriggerType(spec.type))) return null;
  const words = specs.map((spec) => (EVENT_WAITS[spec.type as EventTriggerType] as (spec: TriggerSpec, options: Pick<ScheduleWordsOptions, "jobName">) => string)(spec, options));
  return [...new Set(words)].join(" or ");
}

/**
 * Whether a job's `problem` stops it altogether: a job of time triggers only has its problem
 * in its schedule (a date out of range), so it will not run. A job with an event trigger has
 * it in one trigger (a watched folder gone, a chain's parent removed) and still runs on the
 * others, and on that one once it is fixed.
 */
export function problemStopsJob(job: { problem: string | null; triggers: readonly Pick<TriggerSpec, "type">[] }): boolean {
  return job.problem !== null && job.triggers.every((trigger) => isTimeTriggerType(trigger.type));
}

/** The zone a trigger runs in: a cron job's own zone, else the system zone. */
export function triggerZone(spec: TriggerSpec): string {
  return facesOf(spec).zone(spec);
}

/** The trigger in another zone (`sundial edit --tz`), or null when its kind has no zone. */
export function triggerWithZone<Spec extends TriggerSpec>(spec: Spec, zone: string): Spec | null {
  return facesOf(spec).withZone(spec, zone) as Spec | null;
}

/** "a cron", "an interval", "a date". */
export function triggerNoun(spec: Pick<TriggerSpec, "type">): string {
  return TRIGGER_KINDS[spec.type].noun;
}

/** The schedule in words, the same on every face; only instants follow the face's style. */
export function describeTrigger(spec: TriggerSpec, options: ScheduleWordsOptions): string {
  return facesOf(spec).describe(spec, options);
}

/** The expression a person typed when the words paraphrase it (cron), else null. */
export function triggerSource(spec: TriggerSpec): string | null {
  return facesOf(spec).source(spec);
}

/** A stored instant in words; a text that is not one is shown as it is, never as "Invalid Date". */
function instantWords(text: string, zone: string, formatInstant: ScheduleWordsOptions["formatInstant"]): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : formatInstant(ms, zone);
}
