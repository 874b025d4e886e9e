/**
 * Opens the engine on a home folder: the composition of store, history, logs, executor,
 * notifier, scheduler and service that every host (daemon, Electron main) uses. Hosts add
 * their own transport on top (control socket, HTTP, IPC).
 */
import os from "node:os";
import type { SchedulerEvent } from "../shared/contract.js";
import { systemClock, type Clock } from "./clock.js";
import { EventBus } from "./events.js";
import type { Executor } from "./executor/executor.js";
import { ChildProcessExecutor } from "./executor/child-process-executor.js";
import { resolveUserEnvironment } from "./executor/login-env.js";
import { homePaths } from "./home.js";
import type { Notifier } from "./notifier/notifier.js";
import { NodeNotifier } from "./notifier/node-notifier.js";
import { RunLauncher } from "./run-launcher.js";
import { ChannelDeliveries } from "./channels/channel-deliveries.js";
import { Scheduler } from "./scheduler.js";
import { SchedulerService } from "./service.js";
import type { StartAtLogin } from "./settings.js";
import { ensureHomeFolder } from "./store/durable-file.js";
import { FileRunLogs } from "./store/file-run-logs.js";
import { JsonJobStore } from "./store/json-job-store.js";
import { JsonlRunHistory } from "./store/jsonl-run-history.js";
import { recordCutStarts, RunStartLog } from "./store/run-start-log.js";
import { startTrace } from "./trace.js";
import { JsonlAlertHistory } from "./store/alert-history.js";
import { AlertMonitor } from "./alerts/alert-monitor.js";
import { packageVersion } from "./version.js";
import type { SystemState } from "./system-state/system-state.js";
import { NodeSystemState } from "./system-state/node-system-state.js";
import { FileSystemState, SYSTEM_STATE_FILE_VARIABLE } from "./system-state/file-system-state.js";

export interface EngineOptions {
  home: string;
  clock?: Clock;
  executor?: Executor;
  notifier?: Notifier;
  /** Readable log lines (the daemon prints them to stderr). */
  log?: (line: string) => void;
  /** Environment runs start from; default: the user's login-shell environment. */
  baseEnv?: Record<string, string>;
  /** Between SIGTERM and SIGKILL when a run is stopped. */
  killGraceMs?: number;
  /**
   * Subscribed before the scheduler starts, so hosts also see what start-up does (catch-up
   * runs, interrupted runs being recorded).
   */
  onEvent?: (event: SchedulerEvent) => void;
  /** Start at login, where the host can do it (the desktop app); the daemon has none. */
  startAtLogin?: StartAtLogin;
  /**
   * Power and network for the run conditions (issue 15): the app gives Electron's; default
   * the plain-Node one, or, for tests of the real daemon, the file SUNDIAL_SYSTEM_STATE_FILE names.
   */
  systemState?: SystemState;
}

export interface Engine {
  readonly home: string;
  readonly service: SchedulerService;
  subscribe(listener: (event: SchedulerEvent) => void): () => void;
  /** Re-check due runs now (resume from sleep, unlock). */
  wake(): void;
  /** Ends running runs (recorded as interrupted), stops the timer, flushes the stores. */
  stop(): Promise<void>;
}

/**
 * Opens the stores (throws HomeNotPrivateError for a home or jobs.json another user could
 * change, StoreCorruptError for an unusable jobs.json — the file is left untouched), marks
 * runs left `running` by a crash as `interrupted`, applies catch-up and arms the scheduler.
 */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const paths = homePaths(options.home);
  // Everything Sundial writes is private to the user (lowdb-style writers replace files
  // and would otherwise get the default mode).
  process.umask(0o077);
  ignoreFileSizeSignal();
  // Benchmarks only: where a run's milliseconds go (trace.ts).
  if (process.env.SUNDIAL_TRACE) startTrace(process.env.SUNDIAL_TRACE);
  // A home or jobs.json someone else could change is refused (HomeNotPrivateError).
  await ensureHomeFolder(paths.home, [paths.jobs]);

  const store = new JsonJobStore(paths.jobs, log);
  await store.load();
  const history = new JsonlRunHistory(paths.history);
  const starts = new RunStartLog(paths.starts, log);
  const alertHistory = new JsonlAlertHistory(paths.alerts);
  // A start that fails after the stores opened lets go of their file handles.
  const closeStores = async (): Promise<void> => {
    await starts.close().catch(() => {});
    await alertHistory.close().catch(() => {});
    await history.close().catch(() => {});
    await store.close().catch(() => {});
  };
  const interrupted = await (async () => {
    const cut = await history.open(new Date(clock.now()));
    // Runs released, or perhaps released, by the last engine and not in its history yet.
    cut.push(...(await recordCutStarts(await starts.open(), history)));
    await starts.reset();
    return cut;
  })().catch(async (error: unknown) => {
    await closeStores();
    throw error;
  });
  for (const run of interrupted) log(`run ${run.id} of "${run.jobName}" ${run.status === "skipped" ? "was waiting for its conditions" : "was interrupted"} when Sundial last stopped`);
  // The home is private (checked above): the bash gate file prepared runs read lives there.
  const executor = options.executor ?? new ChildProcessExecutor({ gateFolder: paths.home });
  const killGraceMs = options.killGraceMs ?? 5_000;
  // A run recorded as interrupted must not go on: a kill -9 or a crash left its processes
  // running (its process group, and whatever escaped it). Off the start's path: SIGTERM now,
  // SIGKILL after the grace in the background.
  if (interrupted.length > 0) {
    executor.endLeftovers?.(interrupted.filter((run) => run.status === "interrupted").map((run) => run.id), killGraceMs).catch((error: unknown) => log(`could not end what interrupted runs left running: ${String(error)}`));
  }
  const logs = new FileRunLogs(paths.logs);
  await alertHistory.open().catch(async (error: unknown) => {
    await closeStores();
    throw error;
  });
  for (const warning of alertHistory.warnings) log(`warning: ${warning}`);

  const warnings: string[] = [];
  const events = new EventBus(log);
  events.subscribe((event) => {
    if (event.type === "engine.warning") warnings.push(event.message);
    if (warnings.length > 20) warnings.shift();
  });
  if (options.onEvent) events.subscribe(options.onEvent);

  // Resolving the login shell's environment can take a moment: start now, wait at first run.
  const baseEnvPromise = options.baseEnv ? Promise.resolve(options.baseEnv) : resolveUserEnvironment({ log });
  const notifier = options.notifier ?? new NodeNotifier({ log });
  const launcher = new RunLauncher({
    clock,
    history,
    logs,
    executor,
    notifier,
    events,
    baseEnv: () => baseEnvPromise,
    settings: () => store.data.settings,
    log,
    killGraceMs,
    defaultCwd: os.homedir(),
    starts,
  });
  // Listening before the scheduler starts: start-up's catch-up runs are delivered too.
  const channels = new ChannelDeliveries({
    clock,
    events,
    logs,
    settings: () => store.data.settings,
    jobs: () => store.data.jobs,
    run: (runId) => history.get(runId),
    baseEnv: () => baseEnvPromise,
    cwd: os.homedir(),
    killGraceMs,
    log,
  });
  channels.start();
  const alerts = new AlertMonitor({
    clock,
    runs: history,
    alerts: alertHistory,
    events,
    notifier,
    settings: () => store.data.settings,
    isRunning: (runId) => scheduler.isRunning(runId),
    log,
  });
  const system = options.systemState ?? defaultSystemState();
  const scheduler: Scheduler = new Scheduler({ clock, store, history, logs, launcher, events, log, alerts, system });
  const service = new SchedulerService({
    scheduler,
    history,
    alerts: alertHistory,
    logs,
    events,
    clock,
    home: paths.home,
    version: packageVersion(),
    warnings: () => [...(history.warnings ?? []), ...alertHistory.warnings, ...warnings],
    startAtLogin: options.startAtLogin,
    channels,
  });
  try {
    await scheduler.start();
  } catch (error) {
    await scheduler.stop().catch(() => {});
    channels.stop();
    await closeStores();
    throw error;
  }

  let stopped: Promise<void> | null = null;
  return {
    home: paths.home,
    service,
    subscribe: (listener) => events.subscribe(listener),
    wake: () => scheduler.wake(),
    stop: () =>
      (stopped ??= (async () => {
        await scheduler.stop();
        channels.stop();
        await store.flush();
        // After a fold that failed the journal is still open: the handle must not be left behind.
        await store.close();
        await history.close();
        await starts.close();
        await alertHistory.close();
      })()),
  };
}

/** The machine's power and network, or the test's file (file-system-state.ts). */
function defaultSystemState(): SystemState {
  const file = process.env[SYSTEM_STATE_FILE_VARIABLE];
  return file ? new FileSystemState(file) : new NodeSystemState();
}

let fileSizeSignalIgnored = false;

/**
 * A write past a file-size limit (`ulimit -f`, systemd `LimitFSIZE=`, `prlimit`) raises
 * SIGXFSZ, whose default action kills the process: the engine would vanish mid-write instead
 * of reporting "file too large" and keeping the previous file. With a listener the signal is
 * caught and the write fails with EFBIG, which the stores report like a full disk.
 */
function ignoreFileSizeSignal(): void {
  if (fileSizeSignalIgnored || process.platform === "win32") return;
  fileSizeSignalIgnored = true;
  process.on("SIGXFSZ", () => {});
}
