/**
 * The data model every side shares: trigger specs, jobs, runs. zod schemas validate at the
 * edge (service, CLI, UI); the inferred types are used everywhere else.
 *
 * No Node or DOM imports here: the renderer bundles this file.
 */
import { z } from "zod";
import { FieldIssue, ValidationError } from "./errors.js";
import {
  MAX_COMMAND_AND_ENV_BYTES,
  MAX_COMMAND_BYTES,
  MAX_DURATION_SECONDS,
  MAX_EVERY_SECONDS,
  nameCharacterProblem,
  utf8Length,
} from "./limits.js";
import { canonicalTimeZone, readIsoInstant } from "./civil-time.js";
import { CATCH_UP_POLICIES, DEFAULT_CATCH_UP_POLICY, DEFAULT_NOTIFY_POLICY, DEFAULT_OVERLAP_POLICY, NOTIFY_POLICIES, OVERLAP_POLICIES, WHEN_UNMET_POLICIES } from "./policies.js";
import { readDayList, readSkipDate, readTimeWindow, normalizedBetween, sortedWeekdays, WEEKDAYS } from "./conditions.js";
import { RUN_REASONS, RUN_STATUSES } from "./run-statuses.js";
import { AFTER_OUTCOMES, DEFAULT_AFTER_OUTCOME, DEFAULT_WATCH_DEBOUNCE_SECONDS, MAX_TRIGGERS_PER_JOB, MAX_WATCH_DEBOUNCE_SECONDS, TRIGGER_TYPES } from "./trigger-types.js";
import {
  DEFAULT_HISTORY_MAX_DAYS,
  DEFAULT_HISTORY_MAX_RUNS,
  DEFAULT_THEME,
  DEFAULT_TIME_FORMAT,
  HOME_READ_ONLY,
  MAX_HISTORY_MAX_DAYS,
  MAX_HISTORY_MAX_RUNS,
  THEMES,
  TIME_FORMATS,
} from "./settings.js";

import { MAX_ALERT_AFTER_FAILURES, SLOW_AUTO, type OpenAlert } from "./alert-rules.js";
import {
  CHANNEL_EVENTS,
  DEFAULT_CHANNEL_EVENTS,
  DEFAULT_WEBHOOK_PRESET,
  DESKTOP_CHANNEL,
  httpUrlProblem,
  MAX_CHANNEL_TIMEOUT_SECONDS,
  WEBHOOK_PRESETS,
} from "./channels.js";
import { isMasked, MASKED_VALUE_PROBLEM } from "./secrets.js";
import { tagListIssues } from "./tags.js";

export { FINISHED_STATUSES } from "./run-statuses.js";

/** ISO 8601 with an offset, strictly, within years 1970..9999 (see civil-time.ts). */
const isoInstant = z.string().check((ctx) => {
  const { problem } = readIsoInstant(ctx.value);
  if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
});

/** Any zone Intl knows, stored under its canonical name ("america/new_york" → "America/New_York"). */
const timeZone = z.string().transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone);
  if (canonical === null) {
    ctx.issues.push({ code: "custom", message: `unknown time zone "${zone}"`, input: zone });
    return z.NEVER;
  }
  return canonical;
});

/** A whole number of seconds, at most MAX_DURATION_SECONDS (100 years). */
const seconds = () => z.number().int("must be a whole number of seconds").max(MAX_DURATION_SECONDS, `must be at most ${MAX_DURATION_SECONDS} seconds (100 years)`);

/** Text handed to the OS (a command, a path, an environment value): C strings end at NUL. */
const osText = () => z.string().refine((text) => !text.includes("\u0000"), { message: "must not contain a NUL byte" });

// ---------------------------------------------------------------- triggers

export const CronTriggerSpecSchema = z.object({
  type: z.literal("cron"),
  version: z.literal(1).default(1),
  /** 5 fields, 6 with seconds first, or an alias such as `@daily`. */
  expression: z.string().trim().min(1, "must not be empty"),
  /** IANA zone; absent means the system zone at the time of computation. */
  timezone: timeZone.optional(),
});

export const IntervalTriggerSpecSchema = z.object({
  type: z.literal("interval"),
  version: z.literal(1).default(1),
  everySeconds: z
    .number()
    .int("must be a whole number of seconds")
    .positive("must be longer than zero")
    .max(MAX_EVERY_SECONDS, `must be at most ${MAX_EVERY_SECONDS} seconds (100 years)`),
  /**
   * Fixed-rate anchor: fire times are anchor + k·every. Set once when the job is created
   * (from `start` or the creation time) and persisted, so restarts do not shift the rhythm.
   */
  anchor: isoInstant.optional(),
  start: isoInstant.optional(),
  end: isoInstant.optional(),
  /** Each fire is delayed by a random 0..jitter seconds (the slot itself stays on the grid). */
  jitterSeconds: seconds().nonnegative().optional(),
});

export const DateTriggerSpecSchema = z.object({
  type: z.literal("date"),
  version: z.literal(1).default(1),
  at: isoInstant,
});

/** After the engine starts (the app at login, or the daemon), once per start, `delaySeconds` later. */
export const StartupTriggerSpecSchema = z.object({
  type: z.literal("startup"),
  version: z.literal(1).default(1),
  delaySeconds: seconds().nonnegative("must not be negative").optional(),
});

/** After the computer resumes from sleep or the screen unlocks, `delaySeconds` later. */
export const WakeTriggerSpecSchema = z.object({
  type: z.literal("wake"),
  version: z.literal(1).default(1),
  delaySeconds: seconds().nonnegative("must not be negative").optional(),
});

/** A file or folder changed; a burst of changes within `debounceSeconds` is one run. */
export const WatchTriggerSpecSchema = z.object({
  type: z.literal("watch"),
  version: z.literal(1).default(1),
  path: osText().trim().min(1, "must not be empty"),
  recursive: z.boolean("must be true or false").optional(),
  debounceSeconds: z
    .number("must be a number of seconds")
    .min(0, "must not be negative")
    .max(MAX_WATCH_DEBOUNCE_SECONDS, `must be at most ${MAX_WATCH_DEBOUNCE_SECONDS} seconds`)
    .default(DEFAULT_WATCH_DEBOUNCE_SECONDS),
});

/**
 * When another job's run ends with `on` (success, failure, or either). `job` is given as an id
 * or a unique name; the service stores the job's id, so renaming the parent keeps the chain.
 */
export const AfterTriggerSpecSchema = z.object({
  type: z.literal("after"),
  version: z.literal(1).default(1),
  job: z.string().trim().min(1, "must name a job"),
  on: z.enum(AFTER_OUTCOMES, `must be one of ${AFTER_OUTCOMES.join(", ")}`).default(DEFAULT_AFTER_OUTCOME),
});

export const TriggerSpecSchema = z.discriminatedUnion(
  "type",
  [CronTriggerSpecSchema, IntervalTriggerSpecSchema, DateTriggerSpecSchema, StartupTriggerSpecSchema, WakeTriggerSpecSchema, WatchTriggerSpecSchema, AfterTriggerSpecSchema],
  { error: `must be one of the trigger types ${TRIGGER_TYPES.join(", ")}` },
);

/**
 * A job's triggers: any number (none = a manual job), at most MAX_TRIGGERS_PER_JOB, and no
 * trigger given twice (`triggers[1]: is given twice (the same trigger as triggers[0])`).
 */
const triggerList = <S extends z.ZodType<{ type: string }>>(spec: S) =>
  z
    .array(spec)
    .max(MAX_TRIGGERS_PER_JOB, `must be at most ${MAX_TRIGGERS_PER_JOB} triggers`)
    .check((ctx) => {
      const seen = new Map<string, number>();
      ctx.value.forEach((trigger, index) => {
        const key = JSON.stringify(trigger, Object.keys(trigger).sort());
        const first = seen.get(key);
        if (first !== undefined) ctx.issues.push({ code: "custom", message: `is given twice (the same trigger as triggers[${first}])`, input: trigger, path: [index] });
        else seen.set(key, index);
      });
    });

/**
 * A trigger as jobs.json holds it: the shape only. A stored trigger the engine cannot use (an
 * instant out of range, a zone this runtime lost, a period over the bound) makes that one job
 * broken (JobView.problem), never the whole store unusable; the trigger classes say why.
 */
const StoredTriggerSpecSchema = z.discriminatedUnion("type", [
  CronTriggerSpecSchema.extend({ timezone: z.string().optional() }),
  IntervalTriggerSpecSchema.extend({
    everySeconds: z.number(),
    anchor: z.string().optional(),
    start: z.string().optional(),
    end: z.string().optional(),
    jitterSeconds: z.number().optional(),
  }),
  DateTriggerSpecSchema.extend({ at: z.string() }),
  StartupTriggerSpecSchema.extend({ delaySeconds: z.number().optional() }),
  WakeTriggerSpecSchema.extend({ delaySeconds: z.number().optional() }),
  WatchTriggerSpecSchema.extend({ path: z.string(), debounceSeconds: z.number().default(DEFAULT_WATCH_DEBOUNCE_SECONDS) }),
  AfterTriggerSpecSchema.extend({ job: z.string() }),
]);

export type CronTriggerSpec = z.infer<typeof CronTriggerSpecSchema>;
export type IntervalTriggerSpec = z.infer<typeof IntervalTriggerSpecSchema>;
export type DateTriggerSpec = z.infer<typeof DateTriggerSpecSchema>;
export type StartupTriggerSpec = z.infer<typeof StartupTriggerSpecSchema>;
export type WakeTriggerSpec = z.infer<typeof WakeTriggerSpecSchema>;
export type WatchTriggerSpec = z.infer<typeof WatchTriggerSpecSchema>;
export type AfterTriggerSpec = z.infer<typeof AfterTriggerSpecSchema>;
export type TriggerSpec = z.infer<typeof TriggerSpecSchema>;
/** A trigger as a caller may write it (`version` may be left out). */
export type TriggerSpecInput = z.input<typeof TriggerSpecSchema>;

// ---------------------------------------------------------------- policies

// The values live in policies.ts (zod-free, for the CLI and the renderer); these check them.
export const OverlapPolicy = z.enum(OVERLAP_POLICIES);
export const CatchUpPolicy = z.enum(CATCH_UP_POLICIES);
export const NotifyPolicy = z.enum(NOTIFY_POLICIES);
export type OverlapPolicy = z.infer<typeof OverlapPolicy>;
export type CatchUpPolicy = z.infer<typeof CatchUpPolicy>;
export type NotifyPolicy = z.infer<typeof NotifyPolicy>;

export const RetryPolicySchema = z.object({
  count: z.number().int().min(0).max(100).default(0),
  delaySeconds: seconds().min(0).default(60),
  /** Multiplier applied to the delay after each retry; 1 = constant delay. */
  backoff: z.number().min(1).max(10).default(1),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;
const StoredRetryPolicySchema = RetryPolicySchema.extend({ delaySeconds: z.number().int().min(0).default(60) });

// ---------------------------------------------------------------- alert rules

/** A job's alert rules (alert-rules.ts says what each means); every field optional. */
export const AlertRulesSchema = z
  .object({
    afterFailures: z
      .number("must be a whole number")
      .int("must be a whole number")
      .min(1, "must be at least 1 (the alert comes at the Nth failure in a row)")
      .max(MAX_ALERT_AFTER_FAILURES, `must be at most ${MAX_ALERT_AFTER_FAILURES}`)
      .optional(),
    recovered: z.boolean("must be true or false").optional(),
    expectSuccessWithin: seconds().positive("must be longer than zero").optional(),
    slowerThan: z
      .union([z.literal(SLOW_AUTO), seconds().positive("must be longer than zero")], { message: `must be a number of seconds or "${SLOW_AUTO}"` })
      .optional(),
  })
  .strict();
export type AlertRules = z.output<typeof AlertRulesSchema>;

// ---------------------------------------------------------------- conditions

/**
 * A job's run conditions (issue 15; conditions.ts says what each means). Each problem names
 * its field: `conditions.between: "25:00-26:00": 25:00 is not a time of day (00:00 to 23:59)`.
 */
export const RunConditionsSchema = z
  .object({
    between: z
      .string("must be HH:MM-HH:MM")
      .check((ctx) => {
        const { problem } = readTimeWindow(ctx.value);
        if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
      })
      .transform((text) => normalizedBetween(text) ?? text)
      .optional(),
    days: z
      .array(z.string("must be a day name").transform((day, ctx) => {
        const read = readDayList(day);
        if (read.problem !== undefined || read.days.length !== 1) {
          ctx.issues.push({ code: "custom", message: `"${day}" is not one of ${WEEKDAYS.join(", ")}`, input: day });
          return z.NEVER;
        }
        return read.days[0]!;
      }))
      .min(1, "must name at least one day (leave it out for every day)")
      .transform((days) => sortedWeekdays(days))
      .optional(),
    skipDates: z
      .array(
        z.string("must be a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD").check((ctx) => {
          const { problem } = readSkipDate(ctx.value);
          if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
        }),
      )
      .min(1, "must list at least one date (leave it out to skip none)")
      .max(1000, "must list at most 1000 dates or ranges")
      .optional(),
    acPower: z.literal(true, "must be true (leave it out when power does not matter)").optional(),
    online: z.literal(true, "must be true (leave it out when the network does not matter)").optional(),
  })
  .strict();
export type RunConditions = z.output<typeof RunConditionsSchema>;
export const WhenUnmetPolicy = z.enum(WHEN_UNMET_POLICIES, `must be one of ${WHEN_UNMET_POLICIES.join(", ")}`);
export type WhenUnmetPolicy = z.infer<typeof WhenUnmetPolicy>;

// ---------------------------------------------------------------- jobs

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a variable name (letters, digits, _)");
/** Variables for a run. Each `KEY=VALUE` is one string for the OS: the same limit as a command. */
const envVariables = () =>
  z.record(envName, osText()).check((ctx) => {
    for (const [key, value] of Object.entries(ctx.value)) {
      if (utf8Length(key) + 1 + utf8Length(value) > MAX_COMMAND_BYTES) {
        ctx.issues.push({ code: "custom", message: "is longer than 128 KiB, the most the OS takes as one environment entry", input: value, path: [key] });
      }
    }
  });

/** Stored timestamps: whatever Date.parse reads (as every earlier version checked them). */
const storedInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: "must be an ISO 8601 date-time" });

/**
 * An http(s) URL a delivery goes to (a webhook, a ping URL). A masked one (an export made
 * without `--include-secrets`) is refused: it is not the real address.
 */
const httpUrl = () =>
  z.string().check((ctx) => {
    const problem = httpUrlProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });

/** A channel's name: like a job's, short, and on one line. */
const channelName = () =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100, "must be at most 100 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, '.', '_' or '-', starting with a letter or digit");

/** A job's channel names: each once. Whether each exists is the service's check. */
const channelNames = () =>
  z.array(channelName()).check((ctx) => {
    const seen = new Set<string>();
    ctx.value.forEach((name, index) => {
      if (seen.has(name)) ctx.issues.push({ code: "custom", message: `"${name}" is given twice`, input: name, path: [index] });
      seen.add(name);
    });
  });

/**
 * A job's tags (shared/tags.ts): each trimmed and checked (`tags[2]: must not be empty`), each
 * once (without regard to case), at most MAX_TAGS_PER_JOB.
 */
const tagList = () =>
  z.array(z.string("must be text").trim()).check((ctx) => {
    for (const { index, message } of tagListIssues(ctx.value)) ctx.issues.push({ code: "custom", message, input: ctx.value, ...(index === null ? {} : { path: [index] }) });
  });

/** What a user supplies to create a job; defaults fill the rest. */
export const JobInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(200)
    .check((ctx) => {
      const problem = nameCharacterProblem(ctx.value);
      if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
    }),
  /** When the job runs: any number of triggers; an empty list is a manual job (Run now, the tray, a chain). */
  triggers: triggerList(TriggerSpecSchema),
  command: osText()
    .refine((text) => text.trim().length > 0, { message: "must not be empty" })
    .refine((text) => utf8Length(text) <= MAX_COMMAND_BYTES, { message: `is longer than 128 KiB, the most the OS passes as one argument` }),
  /** Shell used to run `command`; absent means /bin/sh (POSIX) or cmd.exe (Windows). */
  shell: osText().min(1, "must not be empty").optional(),
  /** Working directory; absent means the user's home folder. */
  cwd: osText().min(1).optional(),
  env: envVariables().default({}),
  /** Kill the run (whole process tree) after this many seconds; absent = no limit. */
  timeoutSeconds: seconds().positive("must be longer than zero").optional(),
  overlap: OverlapPolicy.default(DEFAULT_OVERLAP_POLICY),
  catchUp: CatchUpPolicy.default(DEFAULT_CATCH_UP_POLICY),
  /** Missed runs older than this are not caught up; absent = no limit. */
  catchUpGraceSeconds: seconds().positive().optional(),
  retries: RetryPolicySchema.default({ count: 0, delaySeconds: 60, backoff: 1 }),
  /** Absent: the job follows the `default-notify` setting (DEFAULT_NOTIFY_POLICY unless changed). */
  notify: NotifyPolicy.optional(),
  paused: z.boolean().default(false),
  /** Alert rules (issue 16); absent: the settings' defaults only. */
  alerts: AlertRulesSchema.optional(),
  /** Where its outcomes and alerts go, by channel name; absent: the desktop only (issue 16). */
  channels: channelNames().optional(),
  /** healthchecks.io-style ping URL: `/start` at start, the URL on success, `/fail` on failure. */
  pingUrl: httpUrl().optional(),
  /** Labels to group and filter jobs by (issue 17); absent: none (a job's view always lists them). */
  tags: tagList().optional(),
  /** Checked when a run falls due (issue 15); absent: it always may run. */
  conditions: RunConditionsSchema.optional(),
  /** A due run whose conditions do not hold: recorded skipped (absent: skip) or waits for them. */
  whenUnmet: WhenUnmetPolicy.optional(),
  /** With `whenUnmet: "wait"`: wait at most this long, then the run is recorded skipped; absent: no limit. */
  waitUpToSeconds: seconds().positive("must be longer than zero").optional(),
});
type JobInputFields = z.input<typeof JobInputSchema>;
/**
 * A job as a caller writes it: `triggers`, or the shorthand of one `trigger` (every API and
 * import before schema v2 took that), turned into the list at the edge by `withTriggerList`.
 */
export type JobInput = JobInputFields | SingleTriggerJobInput;
/** A job written with the one-`trigger` shorthand. */
export type SingleTriggerJobInput = Omit<JobInputFields, "triggers"> & { trigger: TriggerSpecInput; triggers?: never };
export type ValidJobInput = z.output<typeof JobInputSchema>;

/**
 * A job as an export file holds it: its definition and its state. `paused` is part of the
 * definition; `finished` says its schedule had nothing left to run (a one-off job that ran,
 * an interval past its end), so an import restores it finished instead of refusing its past
 * time. Exports written before it have no `finished`.
 */
export const ImportedJobSchema = JobInputSchema.extend({ finished: z.boolean().optional() });
/** A job in an export file: version 1 files hold one `trigger`, version 2 files `triggers`. */
export type ImportedJob = JobInput & { finished?: boolean };

/**
 * A stored job. jobs.json is checked for shape, and for the rules a job had to meet when it
 * was saved by earlier versions; rules added since (name characters, NUL bytes, lengths,
 * trigger bounds) are the edge's (JobInputSchema), so a store written before them still loads.
 */
export const JobSchema = JobInputSchema.extend({
  name: z.string().trim().min(1, "must not be empty").max(200),
  triggers: z.array(StoredTriggerSpecSchema),
  command: z.string().refine((text) => text.trim().length > 0, { message: "must not be empty" }),
  shell: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  env: z.record(envName, z.string()).default({}),
  timeoutSeconds: z.number().int().positive().optional(),
  catchUpGraceSeconds: z.number().int().positive().optional(),
  retries: StoredRetryPolicySchema.default({ count: 0, delaySeconds: 60, backoff: 1 }),
  channels: z.array(z.string()).optional(),
  pingUrl: z.string().optional(),
  tags: z.array(z.string()).optional(),
  id: z.string().min(1),
  createdAt: storedInstant,
  updatedAt: storedInstant,
});
export type Job = z.output<typeof JobSchema>;

/**
 * Problems with the size of what a job hands the OS: the command and its environment
 * entries (`KEY=VALUE`) together, within MAX_COMMAND_AND_ENV_BYTES. Checked on the whole
 * job (after a patch is merged), so it is not part of a field's schema.
 */
export function argumentSizeIssues(job: { command: string; env?: Record<string, string> }): FieldIssue[] {
  let total = utf8Length(job.command) + 1;
  for (const [key, value] of Object.entries(job.env ?? {})) total += utf8Length(key) + utf8Length(value) + 2;
  if (total <= MAX_COMMAND_AND_ENV_BYTES) return [];
  return [{ field: "env", message: `the command and environment together take ${total} bytes, more than the ${MAX_COMMAND_AND_ENV_BYTES} (256 KiB) a job may hand the OS` }];
}

/** A change to a job: only the given fields change. `null` clears an optional field. */
export const JobPatchSchema = z
  .object({
    name: JobInputSchema.shape.name,
    /** Replaces the job's whole trigger list. */
    triggers: JobInputSchema.shape.triggers,
    command: JobInputSchema.shape.command,
    shell: JobInputSchema.shape.shell.unwrap().nullable(),
    cwd: JobInputSchema.shape.cwd.unwrap().nullable(),
    env: envVariables(),
    timeoutSeconds: JobInputSchema.shape.timeoutSeconds.unwrap().nullable(),
    overlap: OverlapPolicy,
    catchUp: CatchUpPolicy,
    catchUpGraceSeconds: JobInputSchema.shape.catchUpGraceSeconds.unwrap().nullable(),
    retries: RetryPolicySchema,
    /** null: follow the `default-notify` setting again. */
    notify: NotifyPolicy.nullable(),
    paused: z.boolean(),
    /** Replaces the job's rules as a whole; null: none of its own. */
    alerts: AlertRulesSchema.nullable(),
    /** null: the desktop only again. */
    channels: channelNames().nullable(),
    pingUrl: httpUrl().nullable(),
    /** Replaces the job's tags; [] takes them all off. */
    tags: tagList(),
    /** Replaces the job's conditions as a whole; null: none. */
    conditions: RunConditionsSchema.nullable(),
    whenUnmet: WhenUnmetPolicy.nullable(),
    waitUpToSeconds: JobInputSchema.shape.waitUpToSeconds.unwrap().nullable(),
  })
  .partial()
  .strict();
/** A change; `trigger` is the shorthand for a list of one (see JobInput). */
export type JobPatch = z.input<typeof JobPatchSchema> & { trigger?: TriggerSpecInput };

/**
 * The edge's one normalisation of the `trigger` shorthand: `{ trigger: T }` becomes
 * `{ triggers: [T] }`. Both at once is refused, naming `trigger`. Anything that is not an
 * object is returned as it is, for the schema to refuse.
 */
export function withTriggerList<T>(value: T, fieldPrefix = ""): T {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, "trigger")) return value;
  const { trigger, ...rest } = value as Record<string, unknown>;
  if (Object.hasOwn(value, "triggers")) {
    throw new ValidationError([{ field: fieldPrefix ? `${fieldPrefix}.trigger` : "trigger", message: "give either trigger (one) or triggers (a list), not both" }]);
  }
  return { ...rest, triggers: [trigger] } as T;
}

/** A crontab is a few kilobytes; this keeps one request well inside the API's body limit. */
const MAX_CRONTAB_CHARACTERS = 512 * 1024;

/** `planCrontabImport` / `importCrontab`'s request (shared/crontab.ts). */
export const CrontabImportRequestSchema = z
  .object({
    text: z.string("must be the crontab's text").max(MAX_CRONTAB_CHARACTERS, `must be at most ${MAX_CRONTAB_CHARACTERS} characters`),
    rename: z.boolean("must be true or false").default(true),
    skipUnsupported: z.boolean("must be true or false").default(false),
  })
  .strict();
/** `removeJob`'s options: `purge` also erases the job's runs and logs (default: they stay). */
export const RemoveJobOptionsSchema = z
  .object({
    purge: z.boolean({ message: "must be true or false" }).default(false),
  })
  .strict();
export type RemoveJobOptions = z.input<typeof RemoveJobOptionsSchema>;

// ---------------------------------------------------------------- runs

// The values live in run-statuses.ts (zod-free); these check them where records are read.
export const RunStatus = z.enum(RUN_STATUSES);
export const RunReason = z.enum(RUN_REASONS);
export type RunStatus = z.infer<typeof RunStatus>;
export type RunReason = z.infer<typeof RunReason>;

export interface Run {
  id: string;
  jobId: string;
  jobName: string;
  status: RunStatus;
  reason: RunReason;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** The slot this run belongs to (null for a manual run). */
  scheduledAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
  signal: string | null;
  durationMs: number | null;
  /** Why a run is spawn_error / skipped / missed / interrupted, in words. */
  error: string | null;
  /** Bytes of output the command wrote (the log keeps head and tail when larger than its cap). */
  outputBytes: number;
  /** Number of slots a `missed` record stands for. */
  missedCount?: number;
  /**
   * True on a run read back (`history`, `getRun`) whose job has been deleted since; its
   * `jobName` is the name the job had then. Derived when read, never stored.
   */
  jobDeleted?: boolean;
}

/** A job as front ends see it: the stored job plus derived state. */
export interface JobView extends Job {
  /** Next fire time (ISO 8601 with offset), or null when paused or finished. */
  nextRunAt: string | null;
  lastRun: Run | null;
  /** Runs of this job in progress right now. */
  runningRunIds: string[];
  /** A date trigger that has fired, or an interval past its end. */
  finished: boolean;
  /**
   * Why this job cannot run on its schedule (a stored trigger out of range, a zone this
   * runtime does not know), or null. Such a job is kept and shown, never run by its trigger.
   */
  problem: string | null;
  /** The job's alert that still holds (a failure streak, no success, a slow run), or null. */
  openAlert?: OpenAlert | null;
  /** Its tags (issue 17): [] for a job without any, stored before tags existed or not. */
  tags: string[];
  /**
   * The run waiting for the job's conditions (issue 15; `run.status` is `waiting`, `run.error`
   * says what it waits for) and when its wait ends (null: no limit), or null.
   */
  waiting?: { run: Run; until: string | null } | null;
}

// ---------------------------------------------------------------- channels

const channelEvents = () =>
  z
    .array(z.enum(CHANNEL_EVENTS, `must be one of ${CHANNEL_EVENTS.join(", ")}`))
    .min(1, `must name at least one of ${CHANNEL_EVENTS.join(", ")}`)
    .transform((events) => [...new Set(events)]);
const channelTimeout = () =>
  z
    .number("must be a whole number of seconds")
    .int("must be a whole number of seconds")
    .min(1, `must be from 1 to ${MAX_CHANNEL_TIMEOUT_SECONDS} seconds`)
    .max(MAX_CHANNEL_TIMEOUT_SECONDS, `must be from 1 to ${MAX_CHANNEL_TIMEOUT_SECONDS} seconds`);
/** A new channel may not take the built-in desktop channel's name. */
const newChannelName = () => channelName().refine((name) => name !== DESKTOP_CHANNEL, { message: `"${DESKTOP_CHANNEL}" is the built-in desktop notification; choose another name` });

/** A channel as a user adds it (shared/channels.ts ChannelInput); `events` default to failures, alerts and recoveries. */
export const ChannelInputSchema = z.discriminatedUnion(
  "type",
  [
    z
      .object({
        name: newChannelName(),
        type: z.literal("webhook"),
        url: httpUrl(),
        preset: z.enum(WEBHOOK_PRESETS, `must be one of ${WEBHOOK_PRESETS.join(", ")}`).default(DEFAULT_WEBHOOK_PRESET),
        events: channelEvents().default(() => [...DEFAULT_CHANNEL_EVENTS]),
        timeoutSeconds: channelTimeout().optional(),
      })
      .strict(),
    z
      .object({
        name: newChannelName(),
        type: z.literal("command"),
        command: osText()
          .refine((text) => text.trim().length > 0, { message: "must not be empty" })
          .refine((text) => !isMasked(text), { message: MASKED_VALUE_PROBLEM })
          .refine((text) => utf8Length(text) <= MAX_COMMAND_BYTES, { message: "is longer than 128 KiB, the most the OS passes as one argument" }),
        events: channelEvents().default(() => [...DEFAULT_CHANNEL_EVENTS]),
        timeoutSeconds: channelTimeout().optional(),
      })
      .strict(),
  ],
  { error: "must be webhook or command" },
);
export type Channel = z.output<typeof ChannelInputSchema>;

/** Channels as jobs.json stores them: the shape only (as for jobs, later rules are the edge's). */
const StoredChannelSchema = z.discriminatedUnion("type", [
  z.object({
    name: z.string().min(1),
    type: z.literal("webhook"),
    url: z.string(),
    preset: z.enum(WEBHOOK_PRESETS).default(DEFAULT_WEBHOOK_PRESET),
    events: z.array(z.enum(CHANNEL_EVENTS)).default(() => [...DEFAULT_CHANNEL_EVENTS]),
    timeoutSeconds: z.number().int().positive().optional(),
  }),
  z.object({
    name: z.string().min(1),
    type: z.literal("command"),
    command: z.string(),
    events: z.array(z.enum(CHANNEL_EVENTS)).default(() => [...DEFAULT_CHANNEL_EVENTS]),
    timeoutSeconds: z.number().int().positive().optional(),
  }),
]);

// ---------------------------------------------------------------- settings

export const SettingsSchema = z.object({
  notifications: z.boolean().default(true),
  /** Everything is paused until this instant (null: not globally paused; "forever" via far date). */
  pausedUntil: storedInstant.nullable().default(null),
  allPaused: z.boolean().default(false),
  history: z
    .object({
      maxRunsPerJob: z.number().int().positive().default(DEFAULT_HISTORY_MAX_RUNS),
      maxAgeDays: z.number().int().positive().default(DEFAULT_HISTORY_MAX_DAYS),
    })
    .default({ maxRunsPerJob: DEFAULT_HISTORY_MAX_RUNS, maxAgeDays: DEFAULT_HISTORY_MAX_DAYS }),
  /** Per-run log cap in bytes (head and tail kept). */
  logMaxBytes: z.number().int().positive().default(1024 * 1024),
  /** The notify policy of jobs that do not set their own. */
  defaultNotify: NotifyPolicy.default(DEFAULT_NOTIFY_POLICY),
  /** How the UI writes times, and its colours (settings.ts). */
  timeFormat: z.enum(TIME_FORMATS).default(DEFAULT_TIME_FORMAT),
  theme: z.enum(THEMES).default(DEFAULT_THEME),
  /** Alert rules for jobs that do not set their own (issue 16): `default-alert-after`, `default-alert-recovered`. */
  defaultAlerts: z
    .object({
      afterFailures: z.number().int().min(1).max(MAX_ALERT_AFTER_FAILURES).optional(),
      recovered: z.boolean().optional(),
    })
    .default({}),
  /** The channels users added (the desktop is built in, never stored); their URLs may hold tokens: jobs.json is 0600. */
  channels: z.array(StoredChannelSchema).default([]),
});
export type Settings = z.output<typeof SettingsSchema>;

/** A whole number from 1 to `max`, for the retention settings. */
const settingCount = (max: number) =>
  z.number("must be a whole number").int("must be a whole number").min(1, `must be a whole number from 1 to ${max}`).max(max, `must be a whole number from 1 to ${max}`);

/** One of a list, with the list in the message (`is not one of system, light, dark`). */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, `must be one of ${values.join(", ")}`);

/**
 * A change to the settings by their keys (settings.ts): only the given keys change. Every
 * problem names its key; an unknown key is refused, and `home` is refused as read-only.
 * `start-at-login` is checked for its type here, and for whether this engine can do it by the service.
 */
export const SettingsChangeSchema = z
  .object({
    "default-notify": oneOf(NOTIFY_POLICIES),
    notifications: z.boolean("must be on or off (true or false)"),
    "history-max-runs": settingCount(MAX_HISTORY_MAX_RUNS),
    "history-max-days": settingCount(MAX_HISTORY_MAX_DAYS),
    "time-format": oneOf(TIME_FORMATS),
    theme: oneOf(THEMES),
    "start-at-login": z.boolean("must be on or off (true or false)"),
    "default-alert-after": z
      .number("must be a whole number")
      .int("must be a whole number")
      .min(0, `must be a whole number from 0 (off) to ${MAX_ALERT_AFTER_FAILURES}`)
      .max(MAX_ALERT_AFTER_FAILURES, `must be a whole number from 0 (off) to ${MAX_ALERT_AFTER_FAILURES}`),
    "default-alert-recovered": z.boolean("must be on or off (true or false)"),
    home: z.unknown().refine(() => false, { message: `is read-only: ${HOME_READ_ONLY}` }),
  })
  .partial()
  .strict();

// ---------------------------------------------------------------- validation helper

/** Runs a zod schema and turns every problem into a FieldIssue; throws ValidationError. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, fieldPrefix = ""): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(toFieldIssues(result.error, fieldPrefix));
}

function withArticle(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}

export function toFieldIssues(error: z.ZodError, fieldPrefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    // A job's lists name their items as a list's: `triggers[1].expression`, `tags[2]`.
    const path = issue.path.map(String).join(".").replace(/^(triggers|tags)\.(\d+)(?=\.|$)/, "$1[$2]");
    const field = [fieldPrefix, path].filter(Boolean).join(".") || "(input)";
    let message = issue.message;
    // zod 4 leaves `input` out of issues; its default message says what it received.
    if (issue.code === "invalid_type" && message.startsWith("Invalid input")) message = /received undefined$/.test(issue.message) ? "is required" : `must be ${withArticle(issue.expected)}`;
    if (issue.code === "unrecognized_keys") message = `unknown field(s) ${issue.keys.join(", ")}`;
    // zod 4 hides a record key's own problem behind "Invalid key in record".
    if (issue.code === "invalid_key") message = issue.issues.map((inner) => inner.message).join("; ") || message;
    return { field, message };
  });
}
