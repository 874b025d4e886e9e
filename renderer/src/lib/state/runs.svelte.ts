/**
 * One job's run history (or every job's, for the History page) and the log of the selected
 * run. A running run's log tails live from `run.output` events; by default the view follows
 * the newest run.
 */
import type { RunLog, SchedulerEvent } from "../../../../electron/shared/contract.js";
import type { Run } from "../../../../electron/shared/schemas.js";
import type { SundialClient } from "../api.js";
import { messageOf } from "../errors.js";
import { JobFeed, listForJob } from "./follow-engine.js";

/** What the history needs from the engine. */
export type RunsClient = Pick<SundialClient, "history" | "runLog" | "cancelRun" | "subscribe" | "onConnectionChange">;

const HISTORY_LIMIT = 50;
/** A chatty run must not grow the page without end: keep this much of the tail. */
export const MAX_LOG_CHARS = 2_000_000;

/** The log as shown: the engine's text plus what streamed in since. */
export interface ShownLog extends RunLog {
  /** The page dropped the start of a long live log. */
  trimmed: boolean;
}

export class RunsState extends JobFeed<RunsClient> {
  runs = $state.raw<Run[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  selectedRunId = $state<string | null>(null);
  log = $state.raw<ShownLog | null>(null);
  logError = $state<string | null>(null);
  cancelling = $state(false);

  readonly selectedRun = $derived(this.runs.find((run) => run.id === this.selectedRunId) ?? null);

  /** Until the user picks a run, the newest run is shown (and a new one replaces it). */
  #followLatest = true;
  /** Output that arrived while the log was being read, merged in once it is. */
  #pendingOutput: string | null = null;
  #logTicket = 0;

  async load(): Promise<void> {
    try {
      const runs = await listForJob(this.jobId, HISTORY_LIMIT, (query) => this.client.history(query));
      this.runs = runs;
      this.error = null;
      this.loaded = true;
      const selected = this.#followLatest ? (runs[0]?.id ?? null) : this.selectedRunId;
      if (selected) await this.#openLog(selected);
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  /** Shows a run's log (the user picked it: stop following the newest run). */
  async select(runId: string): Promise<void> {
    this.#followLatest = runId === this.runs[0]?.id;
    await this.#openLog(runId);
  }

  async cancelSelected(): Promise<void> {
    const runId = this.selectedRunId;
    if (!runId) return;
    this.cancelling = true;
    try {
      this.#replaceRun(await this.client.cancelRun(runId));
    } catch (error) {
      this.logError = messageOf(error);
    } finally {
      this.cancelling = false;
    }
  }

  handleEvent(event: SchedulerEvent): void {
    switch (event.type) {
      case "run.started":
        if (!this.#follows(event.run)) return;
        this.#replaceRun(event.run);
        if (this.#followLatest) void this.#openLog(event.run.id);
        break;
      case "run.waiting":
        if (this.#follows(event.run)) this.#replaceRun(event.run);
        break;
      case "run.finished":
        if (!this.#follows(event.run)) return;
        this.#replaceRun(event.run);
        if (this.#followLatest && this.selectedRunId !== event.run.id && this.runs[0]?.id === event.run.id) {
          void this.#openLog(event.run.id);
        } else if (this.selectedRunId === event.run.id) {
          // The file has the final word (head and tail kept when the output was large).
          void this.#openLog(event.run.id);
        }
        break;
      case "job.removed":
        // Its runs stay (read again: now marked as a deleted job's) or were purged (gone).
        if (this.runs.some((run) => run.jobId === event.jobId)) void this.load();
        break;
      case "run.output":
        if (event.runId !== this.selectedRunId) return;
        if (this.#pendingOutput !== null) this.#pendingOutput += event.text;
        else if (this.log) this.log = appendOutput(this.log, event.text);
        break;
      default:
        break;
    }
  }

  #follows(run: Run): boolean {
    return this.jobId === null || run.jobId === this.jobId;
  }

  #replaceRun(run: Run): void {
    const index = this.runs.findIndex((existing) => existing.id === run.id);
    this.runs = index === -1 ? [run, ...this.runs].slice(0, HISTORY_LIMIT) : this.runs.with(index, run);
  }

  async #openLog(runId: string): Promise<void> {
    const ticket = ++this.#logTicket;
    if (this.selectedRunId !== runId) this.log = null;
    this.selectedRunId = runId;
    this.logError = null;
    this.#pendingOutput = "";
    try {
      const log = await this.client.runLog(runId);
      if (ticket !== this.#logTicket) return;
      const streamed = this.#pendingOutput ?? "";
      this.log = appendOutput({ ...log, trimmed: false }, unseenPart(log.text, streamed));
    } catch (error) {
      if (ticket === this.#logTicket) this.logError = messageOf(error);
    } finally {
      if (ticket === this.#logTicket) this.#pendingOutput = null;
    }
  }
}

/** The log with `text` added at the end, keeping at most MAX_LOG_CHARS of the tail. */
export function appendOutput(log: ShownLog, text: string): ShownLog {
  if (!text) return log;
  const joined = log.text + text;
  if (joined.length <= MAX_LOG_CHARS) return { ...log, text: joined };
  return { ...log, text: joined.slice(joined.length - MAX_LOG_CHARS), trimmed: true };
}

/**
 * The part of `streamed` that `logText` does not already end with. Output that streamed
 * while the log file was being read may or may not be in the file: the longest overlap
 * between the file's end and the stream's start is what both have seen.
 */
export function unseenPart(logText: string, streamed: string): string {
  if (!streamed) return "";
  // Longest overlap first: the earliest start in the file whose rest begins the stream.
  for (let start = Math.max(0, logText.length - streamed.length); start < logText.length; start += 1) {
    if (logText.charCodeAt(start) === streamed.charCodeAt(0) && streamed.startsWith(logText.slice(start))) {
      return streamed.slice(logText.length - start);
    }
  }
  return streamed;
}
