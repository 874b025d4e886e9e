/**
 * The data model every side shares: trigger specs, jobs, runs. zod schemas validate at the
 * edge (service, CLI, UI); the inferred types are used everywhere else.
 *
 * No Node or DOM imports here: the renderer bundles this file.
 */
import { z } from "zod";
import { FieldIssue, ValidationError } from "./errors.js";

const knownZones = new Map<string, boolean>();

/**
 * True when `zone` is an IANA time zone this runtime knows. Cached: building a formatter
 * costs ~0.1 ms, and loading 10,000 jobs checks a zone per job.
 */
export function isValidTimeZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      known = zone.length > 0;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(zone, known);
  }
  return known;
}

const isoInstant = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), { message: "must be an ISO 8601 date-time" });

const timeZone = z.string().refine(isValidTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"` });

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
  everySeconds: z.number().int("must be a whole number of seconds").positive("must be longer than zero"),
  /**
   * Fixed-rate anchor: fire times are anchor + k·every. Set once when the job is created
   * (from `start` or the creation time) and persisted, so restarts do not shift the rhythm.
   */
  anchor: isoInstant.optional(),
  start: isoInstant.optional(),
  end: isoInstant.optional(),
  /** Each fire is delayed by a random 0..jitter seconds (the slot itself stays on the grid). */
  jitterSeconds: z.number().int().nonnegative().optional(),
});

export const DateTriggerSpecSchema = z.object({
  type: z.literal("date"),
  version: z.literal(1).default(1),
  at: isoInstant,
});

export const TriggerSpecSchema = z.discriminatedUnion("type", [
  CronTriggerSpecSchema,
  IntervalTriggerSpecSchema,
  DateTriggerSpecSchema,
]);

export type CronTriggerSpec = z.infer<typeof CronTriggerSpecSchema>;
export type IntervalTriggerSpec = z.infer<typeof IntervalTriggerSpecSchema>;
export type DateTriggerSpec = z.infer<typeof DateTriggerSpecSchema>;
export type TriggerSpec = z.infer<typeof TriggerSpecSchema>;
/** A trigger as a caller may write it (`version` may be left out). */
export type TriggerSpecInput = z.input<typeof TriggerSpecSchema>;

// ---------------------------------------------------------------- policies

/** What to do when a run is due while the previous one is still running. */
export const OverlapPolicy = z.enum(["skip", "queue", "parallel", "replace"]);
/** What to do with runs missed while the engine was not running (or the machine slept). */
export const CatchUpPolicy = z.enum(["skip", "once", "all"]);
/** When to raise an OS notification for a finished run. */
export const NotifyPolicy = z.enum(["failure", "always", "never"]);
export type OverlapPolicy = z.infer<typeof OverlapPolicy>;
export type CatchUpPolicy = z.infer<typeof CatchUpPolicy>;
export type NotifyPolicy = z.infer<typeof NotifyPolicy>;

export const RetryPolicySchema = z.object({
  count: z.number().int().min(0).max(100).default(0),
  delaySeconds: z.number().int().min(0).default(60),
  /** Multiplier applied to the delay after each retry; 1 = constant delay. */
  backoff: z.number().min(1).max(10).default(1),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

// ---------------------------------------------------------------- jobs

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a variable name (letters, digits, _)");

/** What a user supplies to create a job; defaults fill the rest. */
export const JobInputSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(200),
  trigger: TriggerSpecSchema,
  command: z.string().refine((text) => text.trim().length > 0, { message: "must not be empty" }),
  /** Shell used to run `command`; absent means /bin/sh (POSIX) or cmd.exe (Windows). */
  shell: z.string().min(1).optional(),
  /** Working directory; absent means the user's home folder. */
  cwd: z.string().min(1).optional(),
  env: z.record(envName, z.string()).default({}),
  /** Kill the run (whole process tree) after this many seconds; absent = no limit. */
  timeoutSeconds: z.number().int().positive("must be longer than zero").optional(),
  overlap: OverlapPolicy.default("skip"),
  catchUp: CatchUpPolicy.default("once"),
  /** Missed runs older than this are not caught up; absent = no limit. */
  catchUpGraceSeconds: z.number().int().positive().optional(),
  retries: RetryPolicySchema.default({ count: 0, delaySeconds: 60, backoff: 1 }),
  notify: NotifyPolicy.default("failure"),
  paused: z.boolean().default(false),
});
export type JobInput = z.input<typeof JobInputSchema>;
export type ValidJobInput = z.output<typeof JobInputSchema>;

/** A stored job. */
export const JobSchema = JobInputSchema.extend({
  id: z.string().min(1),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type Job = z.output<typeof JobSchema>;

/** A change to a job: only the given fields change. `null` clears an optional field. */
export const JobPatchSchema = z
  .object({
    name: JobInputSchema.shape.name,
    trigger: TriggerSpecSchema,
    command: JobInputSchema.shape.command,
    shell: JobInputSchema.shape.shell.unwrap().nullable(),
    cwd: JobInputSchema.shape.cwd.unwrap().nullable(),
    env: z.record(envName, z.string()),
    timeoutSeconds: JobInputSchema.shape.timeoutSeconds.unwrap().nullable(),
    overlap: OverlapPolicy,
    catchUp: CatchUpPolicy,
    catchUpGraceSeconds: JobInputSchema.shape.catchUpGraceSeconds.unwrap().nullable(),
    retries: RetryPolicySchema,
    notify: NotifyPolicy,
    paused: z.boolean(),
  })
  .partial()
  .strict();
export type JobPatch = z.input<typeof JobPatchSchema>;

// ---------------------------------------------------------------- runs

export const RunStatus = z.enum([
  "running",
  "succeeded",
  "failed",
  "timed_out",
  "cancelled",
  "interrupted",
  "spawn_error",
  "skipped",
  "missed",
]);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunReason = z.enum(["schedule", "manual", "catch-up", "retry"]);
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
}

/** Statuses a run ends in. */
export const FINISHED_STATUSES: readonly RunStatus[] = RunStatus.options.filter((status) => status !== "running");

/** A job as front ends see it: the stored job plus derived state. */
export interface JobView extends Job {
  /** Next fire time (ISO 8601 with offset), or null when paused or finished. */
  nextRunAt: string | null;
  lastRun: Run | null;
  /** Runs of this job in progress right now. */
  runningRunIds: string[];
  /** A date trigger that has fired, or an interval past its end. */
  finished: boolean;
}

// ---------------------------------------------------------------- settings

export const SettingsSchema = z.object({
  notifications: z.boolean().default(true),
  /** Everything is paused until this instant (null: not globally paused; "forever" via far date). */
  pausedUntil: isoInstant.nullable().default(null),
  allPaused: z.boolean().default(false),
  history: z
    .object({
      maxRunsPerJob: z.number().int().positive().default(200),
      maxAgeDays: z.number().int().positive().default(90),
    })
    .default({ maxRunsPerJob: 200, maxAgeDays: 90 }),
  /** Per-run log cap in bytes (head and tail kept). */
  logMaxBytes: z.number().int().positive().default(1024 * 1024),
});
export type Settings = z.output<typeof SettingsSchema>;

// ---------------------------------------------------------------- validation helper

/** Runs a zod schema and turns every problem into a FieldIssue; throws ValidationError. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, fieldPrefix = ""): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(toFieldIssues(result.error, fieldPrefix));
}

export function toFieldIssues(error: z.ZodError, fieldPrefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    const field = [fieldPrefix, path].filter(Boolean).join(".") || "(input)";
    let message = issue.message;
    if (issue.code === "invalid_type" && issue.input === undefined) message = "is required";
    if (issue.code === "unrecognized_keys") message = `unknown field(s) ${issue.keys.join(", ")}`;
    // zod 4 hides a record key's own problem behind "Invalid key in record".
    if (issue.code === "invalid_key") message = issue.issues.map((inner) => inner.message).join("; ") || message;
    return { field, message };
  });
}
