/**
 * Alert rules at work (issue 16; DESIGN.md "Alerts"): the scheduler tells the monitor when runs
 * start and end and asks it on every wake-up what is due; the monitor decides, records the
 * alert durably (alert-history.ts), publishes `alert.raised` and shows it on the desktop.
 *
 * Everything it decides is derived from what is recorded — the run history (the last success,
 * the failure streak) and the alert history (what was already said) — and the wall clock, so a
 * restart, a suspend or a clock jump neither repeats an alert nor loses one:
 * - failures: raised when the streak of failures reaches exactly N (so once per streak);
 * - recovered: at a success, when an alert of the streak (failures, no-success) was raised
 *   since the previous success (or, without an `afterFailures` rule, after any failure);
 * - no-success: when `now - (last success, else the job's creation) >= window` and no such
 *   alert was raised since that time;
 * - slow: while a run started by this engine is still going past its limit.
 */
import { channelsFor } from "../channels/routing.js";
import { DESKTOP_CHANNEL } from "../../shared/channels.js";
import type { Alert, AlertKind } from "../../shared/contract.js";
import type { Job, Run, Settings } from "../../shared/schemas.js";
import { isFailure } from "../../shared/run-statuses.js";
import { autoSlowLimitMs, effectiveAlertRules, SLOW_AUTO, SLOW_AUTO_SAMPLE, type AlertRules, type OpenAlert } from "../../shared/alert-rules.js";
import {
  failuresAlertWords,
  missedSummaryWords,
  noSuccessAlertWords,
  recoveredAlertWords,
  slowAlertWords,
  type AlertWords,
  type MissedWhile,
} from "../../shared/wording.js";
import type { Clock } from "../clock.js";
import type { EventBus } from "../events.js";
import { newAlertId } from "../ids.js";
import type { Notifier } from "../notifier/notifier.js";
import { buildRunNotification } from "../notifier/policy.js";
import type { AlertHistory } from "../store/alert-history.js";
import type { RunHistory } from "../store/run-history.js";

export interface AlertMonitorDeps {
  clock: Clock;
  runs: RunHistory;
  alerts: AlertHistory;
  events: EventBus;
  notifier: Notifier;
  settings: () => Settings;
  /** Whether a run is still going (a slow alert is only for a run in progress). */
  isRunning: (runId: string) => boolean;
  log: (line: string) => void;
}

/** Statuses that neither break nor extend a failure streak: nothing ran to completion. */
const STREAK_NEUTRAL = new Set<Run["status"]>(["running", "waiting", "skipped", "missed", "cancelled"]);
/** The alerts a success answers (the streak's). */
const STREAK_ALERTS: readonly AlertKind[] = ["failures", "no-success"];
/** How far back a streak or the last success is looked for (the run history keeps 200 per job by default). */
const SCAN_LIMIT = 100_000;

interface SlowWatch {
  job: Job;
  run: Run;
  deadline: number;
  limitMs: number;
  auto: boolean;
}

export class AlertMonitor {
  /** Set while Sundial shuts down: nothing more is raised. */
  quiet = false;
  readonly #deps: AlertMonitorDeps;
  /** The last success's end per job (null: never), read from the run history once, then kept. */
  readonly #lastSuccess = new Map<string, number | null>();
  readonly #slow = new Map<string, SlowWatch>();

  constructor(deps: AlertMonitorDeps) {
    this.#deps = deps;
  }

  rulesOf(job: Job): AlertRules {
    return effectiveAlertRules(job.alerts, this.#deps.settings().defaultAlerts);
  }

  // ---------------------------------------------------------------- what the scheduler tells

  /**
   * A run started: watch it if the job has a `slowerThan` rule (auto: once there are 5
   * successes). True when it is watched (the timer must then wake for it).
   */
  runStarted(job: Job, run: Run): boolean {
    const slowerThan = job.alerts?.slowerThan;
    if (slowerThan === undefined || run.startedAt === null) return false;
    const auto = slowerThan === SLOW_AUTO;
    const limitMs = auto ? autoSlowLimitMs(this.#successDurations(job.id)) : slowerThan * 1000;
    if (limitMs === null) return false;
    this.#slow.set(run.id, { job, run, deadline: Date.parse(run.startedAt) + limitMs, limitMs, auto });
    return true;
  }

  /** A run ended (recorded): the failure streak and recovery rules. */
  async runEnded(job: Job, run: Run): Promise<void> {
    this.#slow.delete(run.id);
    if (this.quiet) return;
    const rules = this.rulesOf(job);
    if (run.status === "succeeded") {
      // The success before this one (this run is in the history already).
      const previous = this.#lastSuccess.has(job.id) ? this.#lastSuccess.get(job.id)! : this.#findLastSuccess(job.id, run.id);
      this.#lastSuccess.set(job.id, run.endedAt ? Date.parse(run.endedAt) : this.#deps.clock.now());
      if (!rules.recovered) return;
      const streak = this.#streak(job.id, run.id);
      const alerted = this.#deps.alerts.latest(job.id, STREAK_ALERTS);
      const alertedSince = alerted !== null && (previous === null || Date.parse(alerted.at) > previous);
      if (alertedSince || (rules.afterFailures === undefined && streak.count > 0)) {
        await this.#raise("recovered", job, run.id, recoveredAlertWords(job.name, streak.count));
      }
      return;
    }
    if (!isFailure(run.status) || rules.afterFailures === undefined) return;
    const streak = this.#streak(job.id);
    if (streak.count === rules.afterFailures) {
      const outcome = buildRunNotification(job, run, "").message;
      await this.#raise("failures", job, run.id, failuresAlertWords(job.name, streak.count, `Last run: ${outcome.charAt(0).toLowerCase()}${outcome.slice(1)}`));
    }
  }

  /** Retention: alerts older than the runs kept go, and at most ALERTS_KEPT_PER_JOB per job stay. */
  prune(maxAgeDays: number, now: number): Promise<void> {
    return this.#deps.alerts.prune(maxAgeDays, new Date(now));
  }

  /** A job was removed: nothing more is watched for it; with `purge` its alerts go too. */
  async jobRemoved(jobId: string, purge: boolean): Promise<void> {
    this.#lastSuccess.delete(jobId);
    for (const [runId, watch] of this.#slow) if (watch.job.id === jobId) this.#slow.delete(runId);
    if (purge) await this.#deps.alerts.forgetJob(jobId);
  }

  /**
   * The wake loop's question: raises what is due at `now` (the dead-man's switch of every job
   * with `expectSuccessWithin`, runs past their `slowerThan`). Paused jobs too: a paused job
   * does not succeed, and that is what the switch is for.
   */
  check(jobs: Iterable<Job>, now: number): void {
    if (this.quiet) return;
    for (const job of jobs) {
      const due = this.#noSuccessDeadline(job);
      if (due !== null && due.at <= now) {
        void this.#raise("no-success", job, null, noSuccessAlertWords(job.name, due.since, now, due.window, due.everSucceeded));
      }
    }
    for (const [runId, watch] of this.#slow) {
      if (watch.deadline > now) continue;
      this.#slow.delete(runId);
      if (this.#deps.isRunning(runId)) void this.#raise("slow", watch.job, runId, slowAlertWords(watch.job.name, watch.limitMs, watch.auto));
    }
  }

  /** When the next alert may fall due (Infinity: none); the scheduler's timer wakes for it. */
  nextDeadline(jobs: Iterable<Job>): number {
    let next = Infinity;
    for (const job of jobs) {
      const due = this.#noSuccessDeadline(job);
      if (due !== null && due.at < next) next = due.at;
    }
    for (const watch of this.#slow.values()) if (watch.deadline < next) next = watch.deadline;
    return next;
  }

  /** The one summary of a start or a wake with missed slots (instead of one notification per job). */
  async missedSummary(missed: readonly { job: Job; caughtUp: boolean }[], missedWhile: MissedWhile): Promise<void> {
    if (this.quiet || missed.length === 0) return;
    const words = missedSummaryWords(missed.map(({ job, caughtUp }) => ({ name: job.name, caughtUp })), missedWhile);
    await this.#raise("missed-summary", null, null, words, missed.map(({ job }) => job.id));
  }

  /** The job's alert that still holds, for its view; null when none. */
  openAlert(job: Job): OpenAlert | null {
    const { alerts } = this.#deps;
    const noSuccess = alerts.latest(job.id, ["no-success"]);
    const failures = alerts.latest(job.id, ["failures"]);
    const slow = alerts.latest(job.id, ["slow"]);
    if (noSuccess === null && failures === null && slow === null) return null;
    const lastSuccess = this.#lastSuccessAt(job.id);
    const stillHolds = (alert: Alert | null): alert is Alert => alert !== null && (lastSuccess === null || lastSuccess < Date.parse(alert.at));
    if (stillHolds(noSuccess)) {
      return { alertId: noSuccess.id, kind: "no-success", at: noSuccess.at, since: new Date(lastSuccess ?? Date.parse(job.createdAt)).toISOString() };
    }
    if (stillHolds(failures)) {
      const streak = this.#streak(job.id);
      return { alertId: failures.id, kind: "failures", at: failures.at, since: new Date(streak.firstAt ?? Date.parse(failures.at)).toISOString(), failures: streak.count };
    }
    if (slow !== null && slow.runId !== null && this.#deps.isRunning(slow.runId)) {
      const run = this.#deps.runs.get(slow.runId);
      return { alertId: slow.id, kind: "slow", at: slow.at, since: run?.startedAt ?? slow.at };
    }
    return null;
  }

  // ---------------------------------------------------------------- raising

  async #raise(kind: AlertKind, job: Job | null, runId: string | null, words: AlertWords, jobIds?: string[]): Promise<void> {
    const now = this.#deps.clock.now();
    const alert: Alert = {
      id: newAlertId(now),
      kind,
      at: new Date(now).toISOString(),
      jobId: job?.id ?? null,
      jobName: job?.name ?? null,
      runId,
      ...(jobIds ? { jobIds } : {}),
      title: words.title,
      message: words.message,
    };
    // Recorded first (visible at once, so nothing raises it twice), shown even if the write failed.
    const recorded = this.#deps.alerts.record(alert).catch((error: Error) => this.#deps.log(`could not record the alert "${alert.title}": ${error.message}`));
    await recorded;
    this.#deps.events.emit({ type: "alert.raised", alert });
    this.#deliverAlertToDesktop(alert, job);
  }

  /**
   * The desktop notification of an alert, where the job's channels (and the global
   * `notifications` switch) send it: `channelsFor` decides, as for runs. Never awaited: a slow
   * notification server must not hold up the engine. Other channels take `alert.raised`.
   */
  #deliverAlertToDesktop(alert: Alert, job: Job | null): void {
    if (!channelsFor(job, { kind: "alert", alertKind: alert.kind }, this.#deps.settings()).includes(DESKTOP_CHANNEL)) return;
    this.#deps.notifier
      .notify({ title: alert.title, message: alert.message, jobId: alert.jobId ?? "", runId: alert.runId ?? "", alert: { id: alert.id, kind: alert.kind } })
      .catch((error: Error) => this.#deps.log(`notification for alert ${alert.id} failed: ${error.message}`));
  }

  // ---------------------------------------------------------------- derived from the records

  /** The dead-man's deadline of a job not yet alerted since its last success, or null. */
  #noSuccessDeadline(job: Job): { at: number; since: number; window: number; everSucceeded: boolean } | null {
    // Only a job's own rule: the settings have no default window (every job would need its own).
    const window = job.alerts?.expectSuccessWithin;
    if (window === undefined) return null;
    const lastSuccess = this.#lastSuccessAt(job.id);
    const since = lastSuccess ?? Date.parse(job.createdAt);
    const alerted = this.#deps.alerts.latest(job.id, ["no-success"]);
    if (alerted !== null && Date.parse(alerted.at) >= since) return null;
    return { at: since + window * 1000, since, window, everSucceeded: lastSuccess !== null };
  }

  #lastSuccessAt(jobId: string): number | null {
    let known = this.#lastSuccess.get(jobId);
    if (known === undefined) {
      known = this.#findLastSuccess(jobId);
      this.#lastSuccess.set(jobId, known);
    }
    return known;
  }

  /** The end of the job's newest successful run in the history (`skip`: a run left out), or null. */
  #findLastSuccess(jobId: string, skip?: string): number | null {
    const success = this.#deps.runs.list({ jobId, limit: SCAN_LIMIT }).find((run) => run.status === "succeeded" && run.id !== skip);
    const at = success ? Date.parse(success.endedAt ?? success.startedAt ?? success.scheduledAt ?? "") : NaN;
    return Number.isNaN(at) ? null : at;
  }

  /** The failures in a row, newest first, ending at the last success (`skip`: a run left out). */
  #streak(jobId: string, skip?: string): { count: number; firstAt: number | null } {
    let count = 0;
    let firstAt: number | null = null;
    for (const run of this.#deps.runs.list({ jobId, limit: SCAN_LIMIT })) {
      if (run.id === skip || STREAK_NEUTRAL.has(run.status)) continue;
      if (!isFailure(run.status)) break;
      count++;
      const at = Date.parse(run.startedAt ?? run.endedAt ?? "");
      if (!Number.isNaN(at)) firstAt = at;
    }
    return { count, firstAt };
  }

  #successDurations(jobId: string): number[] {
    const durations: number[] = [];
    for (const run of this.#deps.runs.list({ jobId, limit: SCAN_LIMIT })) {
      if (run.status === "succeeded" && run.durationMs !== null) durations.push(run.durationMs);
      if (durations.length >= SLOW_AUTO_SAMPLE) break;
    }
    return durations;
  }
}
