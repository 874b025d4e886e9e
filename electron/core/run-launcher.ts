/**
 * Starts one run of a job and sees it through: record it, open its log, spawn it with the
 * job's environment, stream output, record the outcome, notify. Scheduled runs and "Run now"
 * go through exactly this path, so they get the same environment, cwd and logging.
 */
import os from "node:os";
import type { Run, RunReason, RunStatus, Job, Settings } from "../shared/schemas.js";
import type { Clock } from "./clock.js";
import type { EventBus } from "./events.js";
import { RUN_ID_VARIABLE, type Executor, type ExecutionResult, type Execution, type PreparedExecution } from "./executor/executor.js";
import type { Notifier } from "./notifier/notifier.js";
import type { RunHistory } from "./store/run-history.js";
import type { RunLogs } from "./store/run-logs.js";
import type { PreparedStart, RunStartLog } from "./store/run-start-log.js";
import { buildRunEnvironment } from "./executor/login-env.js";
import { buildRunNotification } from "./notifier/policy.js";
import { channelsFor } from "./channels/routing.js";
import { DESKTOP_CHANNEL } from "../shared/channels.js";
import { newRunId } from "./ids.js";
import { tracePoint } from "./trace.js";

export interface RunLauncherDeps {
  clock: Clock;
  history: RunHistory;
  logs: RunLogs;
  executor: Executor;
  notifier: Notifier;
  events: EventBus;
  /** The user's environment (login shell), resolved once. */
  baseEnv: () => Promise<Record<string, string>>;
  settings: () => Settings;
  log: (line: string) => void;
  killGraceMs: number;
  /** Folder used when a job sets no cwd. */
  defaultCwd?: string;
  /**
   * Where prepared runs are recorded ahead of their slot, so that the slot only writes a line
   * before the release (store/run-start-log.ts). Without it a run is recorded durably first.
   */
  starts?: RunStartLog;
}

export interface LaunchRequest {
  reason: RunReason;
  /** The slot this run belongs to, epoch ms (null for manual runs). */
  scheduledAt: number | null;
  attempt: number;
  /** The id of its `waiting` record, when it waited for its job's conditions (issue 15). */
  runId?: string;
  /** Variables the event that started it adds (SUNDIAL_PARENT_*, SUNDIAL_CHANGED_PATHS). */
  env?: Record<string, string>;
}

/** A scheduled run's process, started ahead of its slot and waiting to be launched. */
export class PreparedLaunch {
  #handedOver = false;
  /**
   * Set once its `released` line is written and the go-ahead sent (by its slot's release pass,
   * `RunLauncher.releaseAhead`, or by its launch): whether the pipe write reached the process.
   * The launch records the run, and starts a fresh process only if it did not.
   */
  released: boolean | null = null;

  constructor(
    /** The job exactly as it was prepared (a changed job is never launched from it). */
    readonly job: Job,
    readonly slot: number,
    readonly execution: PreparedExecution,
    /** The run's id, made now: the start log names it ahead of the slot. */
    readonly runId: string,
    /** Its entry in the start log, or null (no start log, or the line could not be written). */
    readonly start: PreparedStart | null,
    private readonly starts: RunStartLog | undefined,
  ) {}

  /** Ends the waiting process without running anything, and closes its start-log entry. */
  discard(): void {
    // Released ahead, it is the launch's to record; never left unsettled here (a restart
    // would find it released and record it interrupted).
    if (this.#handedOver || this.released === true) return;
    this.#handedOver = true;
    this.execution.discard();
    if (this.start) this.starts?.settled(this.runId);
  }

  /** The launch takes it: from now on the launch settles its entry, and `discard` does nothing. */
  handOver(): void {
    this.#handedOver = true;
  }
}

/**
 * The variable only known once the run starts; the prepared process receives it then (the
 * gate exports it before exec'ing the job's shell, so the command and its descendants carry it
 * as a fresh spawn's do, and the executor can find them by it).
 */
const LATE_VARIABLE = RUN_ID_VARIABLE;

/** A run in progress. */
export class ActiveRun {
  #endStatus: { status: RunStatus; error: string } | null = null;

  /** Resolves with the recorded final run. */
  finished!: Promise<Run>;

  constructor(
    readonly run: Run,
    private readonly execution: Execution,
  ) {}

  /**
   * Ends the process tree (SIGTERM, then SIGKILL after the grace). `status` overrides how the
   * run is recorded (e.g. `interrupted` when Sundial stops, `cancelled` when replaced).
   */
  cancel(status: RunStatus = "cancelled", error = "cancelled by the user"): void {
    this.#endStatus ??= { status, error };
    this.execution.cancel();
  }

  get endStatus() {
    return this.#endStatus;
  }
}

export class RunLauncher {
  /** Set while Sundial shuts down: runs it ends are recorded but not notified. */
  quiet = false;

  /** The user's environment once resolved (preparing must not wait for it). */
  #baseEnv: Record<string, string> | null = null;

  constructor(private readonly deps: RunLauncherDeps) {}

  /** Whether the executor can start processes ahead of their slot. */
  get canPrepare(): boolean {
    return this.deps.executor.prepare !== undefined;
  }

  /**
   * Starts the process for `job`'s scheduled slot ahead of time, so that `launch` at the slot
   * only releases it. The run id is made now and the start log records it as prepared (fsynced
   * now, ahead of the slot); a prepared run that is never launched is settled there when it is
   * discarded, and it can never run without `launch`.
   */
  prepare(job: Job, slot: number): PreparedLaunch | null {
    const { executor } = this.deps;
    if (!executor.prepare) return null;
    if (!this.#baseEnv) {
      void this.deps.baseEnv().then((env) => (this.#baseEnv ??= env));
      return null;
    }
    const runId = this.#newRunId();
    // The id is in the environment given (a prepared bash carries it from the start, so that
    // endLeftovers finds the shell itself); the /bin/sh gate only exports it once released.
    const env = buildRunEnvironment(this.#baseEnv, job.env, {
      jobId: job.id,
      jobName: job.name,
      runId,
      scheduledAt: new Date(slot).toISOString(),
      reason: "schedule",
    });
    const execution = executor.prepare({ ...this.#processOf(job), env, lateVariable: LATE_VARIABLE });
    if (!execution) return null;
    tracePoint("prepared", job.id, slot);
    const { starts } = this.deps;
    return new PreparedLaunch(job, slot, execution, runId, starts?.prepare(runId, job.id, job.name, slot) ?? null, starts);
  }

  /**
   * Records a run that does not execute (skipped, missed). `runId`: the id of a run recorded
   * before (a waiting run that ends skipped), else a new one.
   */
  async recordWithoutRunning(
    job: Job,
    status: "skipped" | "missed",
    scheduledAt: number | null,
    reason: RunReason,
    error: string,
    extra: { missedCount?: number; runId?: string; attempt?: number } = {},
  ): Promise<Run> {
    const now = new Date(this.deps.clock.now()).toISOString();
    const run: Run = {
      ...this.#blankRun(job, reason, scheduledAt, extra.attempt ?? 1, extra.runId),
      status,
      startedAt: null,
      endedAt: now,
      error,
      ...(extra.missedCount !== undefined ? { missedCount: extra.missedCount } : {}),
    };
    await this.deps.history.record(run);
    this.deps.events.emit({ type: "run.finished", run });
    return run;
  }

  /**
   * A run held back by its job's conditions (issue 15), as it is recorded: `waiting`, with
   * what it waits for as its `error`. Made at once (its id names it from now on); recorded
   * by `recordWaiting`.
   */
  waitingRun(job: Job, request: LaunchRequest, waitingFor: string): Run {
    return { ...this.#blankRun(job, request.reason, request.scheduledAt, request.attempt), status: "waiting", endedAt: new Date(this.deps.clock.now()).toISOString(), error: waitingFor };
  }

  /** Records a waiting run and announces it (`run.waiting`). */
  async recordWaiting(run: Run): Promise<void> {
    await this.deps.history.record(run);
    this.deps.events.emit({ type: "run.waiting", run });
  }

  /**
   * The release pass of a slot (issue 12): the prepared runs due now, all let go before any
   * bookkeeping, as a bare loop would: their start-log lines in one write, then one pipe write
   * each. Each is then launched as usual (`launch` records it). Only runs whose start-log
   * entry is durable; when the lines cannot be written none is released here, and each
   * launch tries on its own and reports.
   */
  releaseAhead(launches: readonly PreparedLaunch[]): void {
    const ready = launches.filter((launch) => launch.start?.durable && launch.released === null && launch.execution.usable);
    try {
      this.#release(ready);
    } catch {
      // Each launch writes its own line again, and reports.
    }
  }

  /**
   * Writes the runs' `released` lines in one write, then sends each its go-ahead. Throws
   * StoreWriteError, and releases none, when the lines cannot be written.
   */
  #release(launches: readonly PreparedLaunch[]): void {
    const starts = this.deps.starts;
    if (!starts || launches.length === 0) return;
    starts.releasedAll(launches.map((launch) => launch.runId));
    for (const launch of launches) {
      tracePoint("recorded", launch.job.id, launch.slot);
      launch.released = launch.execution.release(this.#processOf(launch.job), launch.runId);
      if (launch.released) tracePoint("released", launch.job.id, launch.slot);
    }
  }

  /**
   * Records the run as `running` and starts it, so that a crash can never lead to the same slot
   * running twice. A prepared run whose start-log entry is on disk is released right after one
   * written (not fsynced) line, and its history record is made durable afterwards
   * (store/run-start-log.ts says why that is enough); any other run is recorded durably
   * before anything starts. Resolves once it has started.
   */
  async launch(job: Job, request: LaunchRequest, prepared?: PreparedLaunch): Promise<ActiveRun> {
    const { clock, history, logs, executor, events, starts } = this.deps;
    // A prepared process is used only for the very job definition and slot it was made for.
    const matching = prepared && prepared.job === job && prepared.slot === request.scheduledAt && request.reason === "schedule" ? prepared : undefined;
    if (prepared && !matching) prepared.discard();
    matching?.handOver();
    const start = matching?.start ?? null;
    // Its fsync, started ~2 s ago, is normally long over; a slow disk makes the slot wait here.
    if (start && !start.durable) await start.whenDurable;

    const run: Run = { ...this.#blankRun(job, request.reason, request.scheduledAt, request.attempt, matching?.runId ?? request.runId), startedAt: new Date(clock.now()).toISOString() };
    let released = false;
    if (matching && start?.durable && starts) {
      // Unless its slot's release pass did it already.
      if (matching.released === null) {
        try {
          this.#release([matching]);
        } catch (error) {
          matching.execution.discard();
          starts.settled(run.id);
          throw error;
        }
      }
      released = matching.released === true;
    }
    const recorded = history.record(run);
    if (released) {
      recorded.then(
        () => starts?.settled(run.id),
        (error: Error) => this.deps.log(`could not record the start of run ${run.id}: ${error.message} (it runs; a restart records it as interrupted)`),
      );
    } else {
      try {
        await recorded;
      } catch (error) {
        matching?.execution.discard();
        if (start) starts?.settled(run.id);
        throw error;
      }
      if (start) starts?.settled(run.id);
      if (matching) {
        tracePoint("recorded", job.id, request.scheduledAt);
        released = matching.execution.release(this.#processOf(job), run.id);
        if (released) tracePoint("released", job.id, request.scheduledAt);
      }
    }
    // The runs of one slot resume from the same record in one microtask drain. Each releases
    // its prepared process first and only then does its bookkeeping, so the last is not held
    // up by the others (on a busy machine the released commands take the CPU at once). A
    // fresh process is a fork that holds the event loop for ~10 ms: those go after all of that.
    if (released) await Promise.resolve();
    else await new Promise((resolve) => setImmediate(resolve));

    const baseEnv = (this.#baseEnv ??= await this.deps.baseEnv());
    const env = buildRunEnvironment(baseEnv, job.env, {
      jobId: job.id,
      jobName: job.name,
      runId: run.id,
      scheduledAt: run.scheduledAt ?? run.startedAt,
      reason: run.reason,
      ...(request.env ? { eventEnv: request.env } : {}),
    });
    const log = logs.open(run.id, this.deps.settings().logMaxBytes);
    let outputBytes = 0;
    const execution = executor.start({
      runId: run.id,
      ...this.#processOf(job),
      env,
      timeoutMs: job.timeoutSeconds ? job.timeoutSeconds * 1000 : null,
      killGraceMs: this.deps.killGraceMs,
      onOutputBytes: (_stream, chunk) => {
        outputBytes += chunk.length;
        log.write(chunk);
      },
      onOutputText: (stream, text) => events.emit({ type: "run.output", runId: run.id, jobId: job.id, stream, text }),
    }, released ? matching?.execution : undefined);

    const active = new ActiveRun(run, execution);
    active.finished = execution.done.then(async (result) => {
      await log.close().catch((error: Error) => this.deps.log(`could not finish the log of run ${run.id}: ${error.message}`));
      const final = this.#finalRun(run, result, active.endStatus, outputBytes);
      await history.record(final).catch((error: Error) => this.deps.log(`could not record run ${run.id}: ${error.message}`));
      events.emit({ type: "run.finished", run: final });
      this.#notify(job, final, result.tail);
      return final;
    });
    events.emit({ type: "run.started", run });
    tracePoint("launched", job.id, request.scheduledAt);
    return active;
  }

  /** What a job's process is: its command, its shell (if it names one) and where it starts. */
  #processOf(job: Job): { command: string; shell?: string; cwd: string } {
    return { command: job.command, ...(job.shell ? { shell: job.shell } : {}), cwd: job.cwd ?? this.deps.defaultCwd ?? os.homedir() };
  }

  /**
   * A run id not in the history nor the start log: an id used before (another process's, a
   * clock set back) would make two records that replace each other and share a log file.
   */
  #newRunId(): string {
    return newRunId(this.deps.clock.now(), (id) => this.deps.history.get(id) !== null || this.deps.starts?.has(id) === true);
  }

  #blankRun(job: Job, reason: RunReason, scheduledAt: number | null, attempt: number, id: string = this.#newRunId()): Run {
    return {
      id,
      jobId: job.id,
      jobName: job.name,
      status: "running",
      reason,
      attempt,
      scheduledAt: scheduledAt === null ? null : new Date(scheduledAt).toISOString(),
      startedAt: null,
      endedAt: null,
      exitCode: null,
      signal: null,
      durationMs: null,
      error: null,
      outputBytes: 0,
    };
  }

  #finalRun(run: Run, result: ExecutionResult, override: { status: RunStatus; error: string } | null, outputBytes: number): Run {
    const { status, error } = runOutcome(result, override);
    return {
      ...run,
      status,
      startedAt: result.startedAt.toISOString(),
      endedAt: result.endedAt.toISOString(),
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: Math.round(result.durationMs),
      error,
      outputBytes,
    };
  }

  #notify(job: Job, run: Run, tail: string): void {
    const settings = this.deps.settings();
    // The job's notify policy, the global switch and the job's channels (a job naming only a webhook does not notify the desktop).
    if (this.quiet || !channelsFor(job, { kind: "run", status: run.status }, settings).includes(DESKTOP_CHANNEL)) return;
    // Never awaited: a slow or missing notification server must not hold up the scheduler.
    this.deps.notifier
      .notify(buildRunNotification(job, run, tail))
      .catch((error: Error) => this.deps.log(`notification for run ${run.id} failed: ${error.message}`));
  }
}

/**
 * The status and error words an execution's result is recorded with: exit 0 succeeded, any
 * other exit or a signal failed, a timeout timed_out; a cancel is recorded as the canceller
 * said (`interrupted` when Sundial stops, `cancelled` when replaced or stopped by the user).
 */
export function runOutcome(result: ExecutionResult, override: { status: RunStatus; error: string } | null = null): { status: RunStatus; error: string | null } {
  switch (result.outcome) {
    case "exited":
      return { status: result.exitCode === 0 ? "succeeded" : "failed", error: result.error };
    case "signalled":
      return { status: "failed", error: result.error ?? `killed by ${result.signal}` };
    case "timed_out":
      return { status: "timed_out", error: result.error ?? "took longer than its timeout" };
    case "cancelled":
      return { status: override?.status ?? "cancelled", error: override?.error ?? "cancelled" };
    case "spawn_error":
      return { status: "spawn_error", error: result.error };
    default: {
      const unhandled: never = result.outcome;
      throw new Error(`unknown execution outcome ${String(unhandled)}`);
    }
  }
}
