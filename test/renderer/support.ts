/**
 * A fake engine for renderer tests: an in-memory SundialClient whose methods are spies,
 * with `emit` to play engine events. Only what each test sets up exists.
 */
import { vi } from "vitest";
import type { ConnectionStatus, SundialClient } from "../../renderer/src/lib/api.js";
import type { EngineStatus, SchedulerEvent } from "../../electron/shared/contract.js";
import { JobNotFoundError } from "../../electron/shared/errors.js";
import { SettingsSchema, type JobView, type Run, type TriggerSpec } from "../../electron/shared/schemas.js";
import { settingsView as engineSettingsView } from "../../electron/core/settings.js";
import type { SettingsView } from "../../electron/shared/settings.js";
import { jobView, storedJob, storedRun } from "../support/records.mjs";

export interface FakeClient extends SundialClient {
  jobs: JobView[];
  emit(event: SchedulerEvent): void;
  setConnection(status: ConnectionStatus): void;
}

/**
 * A job as the engine would list it, with fixed dates. `trigger` is the shorthand for a job
 * with that one trigger (most tests are about one).
 */
export function makeJob({ trigger, ...overrides }: Partial<JobView> & { name: string; trigger?: TriggerSpec }): JobView {
  if (trigger) overrides.triggers = [trigger];
  const job = storedJob(0, {
    id: `job-${overrides.name}`,
    name: overrides.name,
    triggers: [{ type: "cron", version: 1, expression: "0 3 * * *" }],
    command: `echo ${overrides.name}`,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  });
  return jobView(job, { nextRunAt: "2026-03-02T03:00:00+00:00", ...overrides });
}

/** A run record with fixed dates. */
export function makeRun(overrides: Partial<Run> & { id: string; jobId: string }): Run {
  return storedRun({
    jobName: overrides.jobId,
    scheduledAt: "2026-03-01T03:00:00.000Z",
    startedAt: "2026-03-01T03:00:00.100Z",
    endedAt: "2026-03-01T03:00:01.300Z",
    durationMs: 1200,
    ...overrides,
  });
}

function engineStatus(overrides: Partial<EngineStatus> = {}): EngineStatus {
  return {
    pid: 1,
    home: "/home/test/.config/Sundial",
    version: "0.1.0",
    startedAt: "2026-03-01T00:00:00.000Z",
    jobs: 0,
    pausedJobs: 0,
    runningRuns: [],
    allPaused: false,
    pausedUntil: null,
    nextRun: null,
    warnings: [],
    channels: [],
    pings: [],
    ...overrides,
  };
}

/**
 * The settings of a fresh home, as the daemon reports them (no start at login), with
 * `values` and `readOnly` changed as given.
 */
export function settingsView(change: { values?: Partial<SettingsView["values"]>; readOnly?: SettingsView["readOnly"] } = {}): SettingsView {
  const fresh = freshSettingsView();
  return { values: { ...fresh.values, ...change.values }, readOnly: change.readOnly ?? fresh.readOnly };
}

/** What the engine reports for a fresh home (the daemon: no start at login). */
function freshSettingsView(): SettingsView {
  return engineSettingsView(SettingsSchema.parse({}), "/home/test/.config/Sundial", undefined);
}

/** A client over an in-memory job list; override any method with `vi.fn` as needed. */
export function fakeClient(jobs: JobView[] = []): FakeClient {
  const listeners = new Set<(event: SchedulerEvent) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let connection: ConnectionStatus = "open";
  const find = (ref: string) => {
    const job = client.jobs.find((candidate) => candidate.id === ref || candidate.name === ref);
    if (!job) throw new JobNotFoundError(ref);
    return job;
  };
  const client: FakeClient = {
    jobs: [...jobs],
    listJobs: vi.fn(async () => [...client.jobs]),
    getJob: vi.fn(async (ref: string) => find(ref)),
    addJob: vi.fn(async () => {
      throw new Error("addJob not set up");
    }),
    importJobs: vi.fn(async () => {
      throw new Error("importJobs not set up");
    }),
    planCrontabImport: vi.fn(async () => {
      throw new Error("planCrontabImport not set up");
    }),
    importCrontab: vi.fn(async () => {
      throw new Error("importCrontab not set up");
    }),
    updateJob: vi.fn(async () => {
      throw new Error("updateJob not set up");
    }),
    removeJob: vi.fn(async (ref: string) => {
      const job = find(ref);
      client.jobs = client.jobs.filter((candidate) => candidate !== job);
    }),
    pauseJob: vi.fn(async (ref: string) => ({ ...find(ref), paused: true, nextRunAt: null })),
    resumeJob: vi.fn(async (ref: string) => ({ ...find(ref), paused: false })),
    pauseAll: vi.fn(async () => engineStatus({ allPaused: true })),
    resumeAll: vi.fn(async () => engineStatus()),
    runNow: vi.fn(async (ref: string) => makeRun({ id: "run-now", jobId: find(ref).id, status: "running", reason: "manual" })),
    cancelRun: vi.fn(async (runId: string) => makeRun({ id: runId, jobId: "?", status: "cancelled" })),
    history: vi.fn(async () => []),
    listAlerts: vi.fn(async () => []),
    getRun: vi.fn(async (runId: string) => makeRun({ id: runId, jobId: "?" })),
    runLog: vi.fn(async (runId: string) => ({ runId, text: "", truncated: false, running: false })),
    jobStats: vi.fn(async (ref: string) => ({ jobId: find(ref).id, runs: 0, succeeded: 0, failed: 0, successRate: null, durationMedianMs: null, durationP95Ms: null, recent: [] })),
    agenda: vi.fn(async () => ({ from: "", until: "", timezone: "UTC", days: [] })),
    previewTrigger: vi.fn(async () => ({ times: [], description: "" })),
    status: vi.fn(async () => engineStatus({ jobs: client.jobs.length })),
    getSettings: vi.fn(async () => settingsView()),
    updateSettings: vi.fn(async () => {
      throw new Error("updateSettings not set up");
    }),
    listChannels: vi.fn(async () => []),
    addChannel: vi.fn(async () => {
      throw new Error("addChannel not set up");
    }),
    removeChannel: vi.fn(async () => undefined),
    testChannel: vi.fn(async (name: string) => ({ name, ok: true, detail: "HTTP 200", durationMs: 1 })),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get connection() {
      return connection;
    },
    onConnectionChange(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    setConnection(status) {
      connection = status;
      for (const listener of statusListeners) listener(status);
    },
  };
  return client;
}

/** Lets pending promise callbacks (fake engine answers) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await Promise.resolve();
}
