/**
 * A scheduler wired to a fake clock, in-memory stores and an executor the test finishes by
 * hand: for policy tests (catch-up, overlap, retries, timers) that must not wait real time.
 */
import type { Executor, ExecutionRequest, ExecutionResult, Execution } from "../../electron/core/executor/executor.js";
import type { Notifier, RunNotification } from "../../electron/core/notifier/notifier.js";
import type { RunLogs, RunLogWriter } from "../../electron/core/store/run-logs.js";
import { EventBus } from "../../electron/core/events.js";
import { ChannelDeliveries } from "../../electron/core/channels/channel-deliveries.js";
import { RunLauncher } from "../../electron/core/run-launcher.js";
import { Scheduler } from "../../electron/core/scheduler.js";
import { SchedulerService } from "../../electron/core/service.js";
import { MemoryJobStore } from "../../electron/core/store/json-job-store.js";
import { MemoryRunHistory } from "../../electron/core/store/jsonl-run-history.js";
import type { SchedulerEvent } from "../../electron/shared/contract.js";
import type { Job, JobInput, SingleTriggerJobInput } from "../../electron/shared/schemas.js";
import { FakeClock, settle } from "./fake-clock.js";
import { AlertMonitor } from "../../electron/core/alerts/alert-monitor.js";
import { JsonlAlertHistory, type AlertHistory } from "../../electron/core/store/alert-history.js";
import type { SystemState } from "../../electron/core/system-state/system-state.js";

/** One command the fake executor was asked to run; the test decides how it ends. */
export class FakeExecution implements Execution {
  readonly pid = 4242;
  readonly done: Promise<ExecutionResult>;
  #resolve!: (result: ExecutionResult) => void;
  #startedAt: Date;
  ended = false;

  constructor(
    readonly request: ExecutionRequest,
    private readonly clock: FakeClock,
  ) {
    this.#startedAt = new Date(clock.now());
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Ends the run with an exit code (writing `output` first). */
  exit(code: number, output = ""): void {
    if (output) this.request.onOutputBytes("stdout", Buffer.from(output));
    this.#finish({ outcome: "exited", exitCode: code, signal: null, error: null });
  }

  timeOut(): void {
    this.#finish({ outcome: "timed_out", exitCode: null, signal: "SIGTERM", error: null });
  }

  cancel(): void {
    this.#finish({ outcome: "cancelled", exitCode: null, signal: "SIGTERM", error: null });
  }

  #finish(partial: Pick<ExecutionResult, "outcome" | "exitCode" | "signal" | "error">): void {
    if (this.ended) return;
    this.ended = true;
    const endedAt = new Date(this.clock.now());
    this.#resolve({ ...partial, startedAt: this.#startedAt, endedAt, durationMs: endedAt.getTime() - this.#startedAt.getTime(), tail: "" });
  }
}

export class FakeExecutor implements Executor {
  readonly executions: FakeExecution[] = [];
  constructor(private readonly clock: FakeClock) {}
  start(request: ExecutionRequest): Execution {
    const execution = new FakeExecution(request, this.clock);
    this.executions.push(execution);
    return execution;
  }
  /** Executions still running. */
  get running(): FakeExecution[] {
    return this.executions.filter((execution) => !execution.ended);
  }
}

export class MemoryRunLogs implements RunLogs {
  readonly files = new Map<string, Buffer[]>();
  open(runId: string): RunLogWriter {
    const chunks: Buffer[] = [];
    this.files.set(runId, chunks);
    return {
      write: (chunk) => void chunks.push(chunk),
      close: async () => ({ totalBytes: chunks.reduce((sum, chunk) => sum + chunk.length, 0), truncated: false }),
    };
  }
  async read(runId: string) {
    const chunks = this.files.get(runId);
    return chunks ? { text: Buffer.concat(chunks).toString("utf8"), truncated: false } : null;
  }
  async remove(runIds: string[]) {
    for (const id of runIds) this.files.delete(id);
  }
  pathOf(runId: string) {
    return `/memory/${runId}.log`;
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent: RunNotification[] = [];
  async notify(notification: RunNotification) {
    this.sent.push(notification);
  }
}

export interface Harness {
  clock: FakeClock;
  executor: FakeExecutor;
  store: MemoryJobStore;
  history: MemoryRunHistory;
  notifier: RecordingNotifier;
  scheduler: Scheduler;
  service: SchedulerService;
  events: SchedulerEvent[];
  log: string[];
  /** Moves time on and lets every resulting promise settle. */
  advance(ms: number): Promise<void>;
  /** Restarts on the same stores (like quitting and reopening the app) at the clock's time. */
  restart(): Promise<Harness>;
  /** With `alerts: true`: the raised alerts (kept in memory), which outlive a restart. */
  alerts: AlertHistory | null;
}

export async function createHarness(options: {
  start: string;
  jobs?: Job[];
  clock?: FakeClock;
  store?: MemoryJobStore;
  history?: MemoryRunHistory;
  /** Wire the alert rules (issue 16), on an alert history kept in memory (or this one, after a restart). */
  alerts?: boolean | AlertHistory;
  /** Power and network for the run conditions (issue 15); default: they always hold. */
  system?: SystemState;
}): Promise<Harness> {
  const clock = options.clock ?? new FakeClock(options.start);
  const store = options.store ?? new MemoryJobStore();
  if (!options.store) {
    await store.load();
    if (options.jobs) await store.update((data) => void data.jobs.push(...options.jobs!));
  }
  const history = options.history ?? new MemoryRunHistory();
  if (!options.history) await history.open(new Date(clock.now()));
  const executor = new FakeExecutor(clock);
  const notifier = new RecordingNotifier();
  const logs = new MemoryRunLogs();
  const log: string[] = [];
  const events = new EventBus((line) => log.push(line));
  const seen: SchedulerEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const launcher = new RunLauncher({
    clock,
    history,
    logs,
    executor,
    notifier,
    events,
    baseEnv: async () => ({ PATH: "/usr/bin:/bin", HOME: "/home/test" }),
    settings: () => store.data.settings,
    log: (line) => log.push(line),
    killGraceMs: 100,
    defaultCwd: "/",
  });
  const alertHistory = options.alerts === true ? new JsonlAlertHistory(null) : options.alerts || null;
  const alerts = alertHistory
    ? new AlertMonitor({
        clock,
        runs: history,
        alerts: alertHistory,
        events,
        notifier,
        settings: () => store.data.settings,
        isRunning: (runId) => scheduler.isRunning(runId),
        log: (line) => log.push(line),
      })
    : undefined;
  const scheduler: Scheduler = new Scheduler({
    clock,
    store,
    history,
    logs,
    launcher,
    events,
    log: (line) => log.push(line),
    ...(alerts ? { alerts } : {}),
    ...(options.system ? { system: options.system } : {}),
  });
  const channels = new ChannelDeliveries({
    clock,
    events,
    logs,
    settings: () => store.data.settings,
    jobs: () => store.data.jobs,
    run: (runId) => history.get(runId),
    baseEnv: async () => ({ PATH: "/usr/bin:/bin", HOME: "/home/test" }),
    cwd: "/",
    killGraceMs: 100,
    log: (line) => log.push(line),
  });
  const service = new SchedulerService({ scheduler, history, logs, events, clock, home: "/memory", version: "test", warnings: () => [], channels, ...(alertHistory ? { alerts: alertHistory } : {}) });
  await scheduler.start();
  await settle();
  const harness: Harness = {
    clock,
    executor,
    store,
    history,
    notifier,
    scheduler,
    service,
    events: seen,
    log,
    advance: (ms) => clock.advance(ms),
    restart: async () => {
      await scheduler.stop();
      return createHarness({ start: "", clock, store, history, ...(alertHistory ? { alerts: alertHistory } : {}), ...(options.system ? { system: options.system } : {}) });
    },
    alerts: alertHistory,
  };
  return harness;
}

/** A job input with quiet defaults for tests. */
export function jobInput(overrides: Partial<SingleTriggerJobInput> & Pick<SingleTriggerJobInput, "trigger">): JobInput {
  return { name: `job-${Math.random().toString(36).slice(2, 8)}`, command: "true", ...overrides };
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
