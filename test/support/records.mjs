// The one set of job and run record builders for tests, fixture scripts and benchmarks:
// stored jobs (jobs.json), the engine's job views and run records, with fixed dates so that
// files are byte-for-byte reproducible. Plain JavaScript (types in records.d.mts) so that
// fixture scripts and bench/ can import it under plain node. Override what a test is about.

/** 2025-03-01 09:00 UTC: the default `createdAt` of job `0`; job `n` is `n` seconds later. */
export const T0 = Date.parse("2025-03-01T09:00:00.000Z");

/** A job's id as the engine makes them: `j_` and eight hex digits. */
export function jobId(index) {
  return `j_${index.toString(16).padStart(8, "0")}`;
}

/** A job as jobs.json stores it, with the defaults the engine fills in. */
export function storedJob(index, overrides = {}) {
  const at = new Date(T0 + index * 1000).toISOString();
  return {
    id: jobId(index),
    name: `job ${index}`,
    triggers: [{ type: "cron", version: 1, expression: `${index % 60} 3 * * *`, timezone: "UTC" }],
    command: `echo ${index}`,
    env: {},
    overlap: "skip",
    catchUp: "once",
    retries: { count: 0, delaySeconds: 60, backoff: 1 },
    notify: "failure",
    paused: false,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** A job as the engine lists it (a stored job plus what the engine works out). */
export function jobView(job, overrides = {}) {
  return {
    ...job,
    nextRunAt: null,
    lastRun: null,
    runningRunIds: [],
    finished: false,
    problem: null,
    tags: job.tags ?? [],
    ...overrides,
  };
}

/** A finished, successful run record scheduled at `scheduledAt` (ISO), started 100 ms later. */
export function storedRun(overrides = {}) {
  const scheduledAt = overrides.scheduledAt ?? new Date(T0).toISOString();
  const startedAt = new Date(Date.parse(scheduledAt) + 100).toISOString();
  const durationMs = overrides.durationMs ?? 1_000;
  return {
    id: "r_1",
    jobId: jobId(1),
    jobName: "job 1",
    status: "succeeded",
    reason: "schedule",
    attempt: 1,
    scheduledAt,
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(),
    exitCode: 0,
    signal: null,
    durationMs,
    error: null,
    outputBytes: 0,
    ...overrides,
  };
}
