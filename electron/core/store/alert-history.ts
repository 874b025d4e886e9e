/**
 * Raised alerts, per job (issue 16): `alerts.jsonl` in the home, one alert per line, appended
 * and fsynced before the alert is shown, so a restart knows what was already said (the
 * dead-man's switch fires once, not once per start). Bounded like the run history: the newest
 * ALERTS_KEPT_PER_JOB per job (the summaries count as one job), none older than the runs'
 * retention; pruning rewrites the file atomically.
 *
 * Its own file rather than `history.jsonl`: the run history's records, index, retention and
 * contract suite are about runs (keyed by run id, pruned by runs per job); an alert is another
 * record with its own bound, and the run history stays as it is.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { ALERT_KINDS, type Alert, type AlertKind } from "../../shared/contract.js";
import { ALERTS_KEPT_PER_JOB } from "../../shared/alert-rules.js";
import { StoreWriteError } from "../../shared/errors.js";
import { describeFsError, PRIVATE_FILE_MODE, readRegularFile, writeFileDurably } from "./durable-file.js";

export interface AlertHistory {
  /** Loads what is on disk; damaged lines are skipped (and reported in `warnings`). */
  open(): Promise<void>;
  /** Records an alert: visible at once, resolves when durable (rejects with StoreWriteError). */
  record(alert: Alert): Promise<void>;
  /** Newest first: a job's (jobId), or all; `kind` filters. */
  list(query?: { jobId?: string; kind?: AlertKind; limit?: number }): Alert[];
  /** The newest alert of a job of one of `kinds`, or null. */
  latest(jobId: string, kinds: readonly AlertKind[]): Alert | null;
  /** Keeps the newest per job and drops those older than `maxAgeDays`; rewrites the file when anything went. */
  prune(maxAgeDays: number, now: Date): Promise<void>;
  /** A job removed with `purge`: its alerts go too. */
  forgetJob(jobId: string): Promise<void>;
  close(): Promise<void>;
  readonly warnings: string[];
}

/** The key alerts of no one job (the missed summaries) are bounded under. */
const NO_JOB = "";

export class JsonlAlertHistory implements AlertHistory {
  readonly warnings: string[] = [];
  /** Oldest first, per job. */
  readonly #byJob = new Map<string, Alert[]>();
  #writes: Promise<void> = Promise.resolve();
  /** Lines in the file, dropped ones included: a prune rewrites when there are more than kept. */
  #fileLines = 0;
  #closed = false;

  /** `file` null: kept in memory only (tests, an engine without a home). */
  constructor(readonly file: string | null) {}

  async open(): Promise<void> {
    if (this.file === null) return;
    const bytes = await readRegularFile(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return Buffer.alloc(0);
      throw error;
    });
    const lines = bytes.toString("utf8").split("\n");
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      this.#fileLines++;
      const alert = readAlert(line);
      if (alert) this.#add(alert);
      // A torn last line is what a crash mid-append leaves; say nothing of it.
      else if (index < lines.length - 1) this.warnings.push(`${path.basename(this.file!)} line ${index + 1} is not an alert; skipped`);
    });
    for (const alerts of this.#byJob.values()) alerts.sort((a, b) => a.at.localeCompare(b.at));
  }

  record(alert: Alert): Promise<void> {
    this.#add(alert);
    const keep = this.#byJob.get(alert.jobId ?? NO_JOB)!;
    if (keep.length > ALERTS_KEPT_PER_JOB) keep.splice(0, keep.length - ALERTS_KEPT_PER_JOB);
    return this.#write(async (file) => {
      const handle = await fs.open(file, "a", PRIVATE_FILE_MODE);
      try {
        await handle.appendFile(`${JSON.stringify(alert)}\n`);
        await handle.datasync();
        this.#fileLines++;
      } finally {
        await handle.close();
      }
    });
  }

  list(query: { jobId?: string; kind?: AlertKind; limit?: number } = {}): Alert[] {
    const source = query.jobId !== undefined ? (this.#byJob.get(query.jobId) ?? []) : [...this.#byJob.values()].flat();
    // Newest first; alerts of one instant in the order they were raised, last first (a stable sort).
    const matching = source.filter((alert) => query.kind === undefined || alert.kind === query.kind).reverse();
    matching.sort((a, b) => b.at.localeCompare(a.at));
    return matching.slice(0, query.limit ?? 50);
  }

  latest(jobId: string, kinds: readonly AlertKind[]): Alert | null {
    const alerts = this.#byJob.get(jobId) ?? [];
    for (let index = alerts.length - 1; index >= 0; index--) if (kinds.includes(alerts[index]!.kind)) return alerts[index]!;
    return null;
  }

  async prune(maxAgeDays: number, now: Date): Promise<void> {
    const oldest = new Date(now.getTime() - maxAgeDays * 86_400_000).toISOString();
    let removed = 0;
    for (const [jobId, alerts] of this.#byJob) {
      const kept = alerts.filter((alert) => alert.at >= oldest).slice(-ALERTS_KEPT_PER_JOB);
      removed += alerts.length - kept.length;
      if (kept.length === 0) this.#byJob.delete(jobId);
      else this.#byJob.set(jobId, kept);
    }
    const kept = [...this.#byJob.values()].reduce((sum, alerts) => sum + alerts.length, 0);
    // Alerts past the per-job bound left memory when they were recorded; the file sheds them here.
    if (removed > 0 || this.#fileLines > kept) await this.#rewrite();
  }

  async forgetJob(jobId: string): Promise<void> {
    if (this.#byJob.delete(jobId)) await this.#rewrite();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#writes;
  }

  #add(alert: Alert): void {
    const key = alert.jobId ?? NO_JOB;
    let alerts = this.#byJob.get(key);
    if (!alerts) this.#byJob.set(key, (alerts = []));
    alerts.push(alert);
  }

  #rewrite(): Promise<void> {
    return this.#write((file) => {
      const all = [...this.#byJob.values()].flat().sort((a, b) => a.at.localeCompare(b.at));
      this.#fileLines = all.length;
      return writeFileDurably(file, all.map((alert) => `${JSON.stringify(alert)}\n`).join(""));
    });
  }

  /** One write at a time, in order; a failed one rejects its caller and not the next. */
  #write(step: (file: string) => Promise<void>): Promise<void> {
    const file = this.file;
    if (file === null || this.#closed) return Promise.resolve();
    const done = this.#writes.then(() =>
      step(file).catch((error: unknown) => {
        throw new StoreWriteError(file, describeFsError(error));
      }),
    );
    this.#writes = done.catch(() => {});
    return done;
  }
}

function readAlert(line: string): Alert | null {
  try {
    const value = JSON.parse(line) as Partial<Alert>;
    if (typeof value.id !== "string" || typeof value.at !== "string" || !ALERT_KINDS.includes(value.kind as AlertKind)) return null;
    if (typeof value.title !== "string" || typeof value.message !== "string") return null;
    return {
      id: value.id,
      kind: value.kind as AlertKind,
      at: value.at,
      jobId: typeof value.jobId === "string" ? value.jobId : null,
      jobName: typeof value.jobName === "string" ? value.jobName : null,
      runId: typeof value.runId === "string" ? value.runId : null,
      ...(Array.isArray(value.jobIds) ? { jobIds: value.jobIds.filter((id): id is string => typeof id === "string") } : {}),
      title: value.title,
      message: value.message,
    };
  } catch {
    return null;
  }
}
