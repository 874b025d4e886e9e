/**
 * The lines of `history.jsonl` and how a file is replayed. One JSON object per line:
 *   {"run": Run}                       a run inserted or changed (the newest line of an id wins)
 *   {"slot": {"jobId": …, "at": ISO}}  the latest handled slot of a job, without a run
 * Replay never gives up on a file: a torn last line (crash mid-append) is reported for
 * trimming, a damaged line in the middle is skipped and counted.
 */
import type { Run } from "../../shared/schemas.js";
import { RUN_REASONS as REASONS, RUN_STATUSES as STATUSES } from "../../shared/run-statuses.js";

const RUN_STATUSES: ReadonlySet<string> = new Set(STATUSES);
const RUN_REASONS: ReadonlySet<string> = new Set(REASONS);
/** Skipped lines described one by one; beyond that only counted. */
const MAX_DESCRIBED_LINES = 10;

export function runLine(run: Run): string {
  return `${JSON.stringify({ run })}\n`;
}

export function slotLine(jobId: string, slotMs: number): string {
  return `${JSON.stringify({ slot: { jobId, at: new Date(slotMs).toISOString() } })}\n`;
}

export interface ReplayResult {
  /** Latest record of each run, in order of first appearance. */
  runs: Map<string, Run>;
  /** Latest slot marker per job (runs' own slots are added by the index). */
  slots: Map<string, number>;
  /** Valid records read (superseded ones included): measures how much compaction would save. */
  records: number;
  /** Bytes up to and including the last newline; anything after it is a torn append. */
  completeBytes: number;
  skippedLines: number;
  /** Readable notes: skipped lines (the first few, by line number), a torn tail. */
  warnings: string[];
}

/** A record must look like what `record` writes; full zod validation of 100,000 runs would dominate start-up. */
function isRun(value: unknown): value is Run {
  if (typeof value !== "object" || value === null) return false;
  const run = value as Partial<Run>;
  return (
    typeof run.id === "string" &&
    run.id.length > 0 &&
    typeof run.jobId === "string" &&
    typeof run.status === "string" &&
    RUN_STATUSES.has(run.status) &&
    typeof run.reason === "string" &&
    RUN_REASONS.has(run.reason)
  );
}

export function replayHistory(bytes: Buffer, fileName: string): ReplayResult {
  const completeBytes = bytes.lastIndexOf(0x0a) + 1;
  const result: ReplayResult = { runs: new Map(), slots: new Map(), records: 0, completeBytes, skippedLines: 0, warnings: [] };
  const lines = bytes.toString("utf8", 0, completeBytes).split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    if (line.trim().length === 0) continue;
    const problem = applyLine(result, line);
    if (problem === null) continue;
    result.skippedLines += 1;
    if (result.skippedLines <= MAX_DESCRIBED_LINES) result.warnings.push(`${fileName} line ${index + 1}: ${problem}; skipped`);
  }
  if (result.skippedLines > MAX_DESCRIBED_LINES) {
    result.warnings.push(`${fileName}: ${result.skippedLines - MAX_DESCRIBED_LINES} more damaged line(s) skipped`);
  }
  if (completeBytes < bytes.length) {
    result.warnings.push(`${fileName}: ignored an incomplete last line (${bytes.length - completeBytes} bytes) left by an interrupted write`);
  }
  return result;
}

/** Applies one line; returns what is wrong with it, or null. */
function applyLine(result: ReplayResult, line: string): string | null {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (typeof record !== "object" || record === null) return "not a record";
  if ("run" in record) {
    const run = record.run;
    if (!isRun(run)) return "a run record without a valid id, jobId, status or reason";
    result.runs.set(run.id, run);
    result.records += 1;
    return null;
  }
  if ("slot" in record) {
    const slot = record.slot as { jobId?: unknown; at?: unknown } | null;
    const at = typeof slot?.at === "string" ? Date.parse(slot.at) : NaN;
    if (typeof slot?.jobId !== "string" || Number.isNaN(at)) return "a slot record without a valid jobId and at";
    result.slots.set(slot.jobId, Math.max(at, result.slots.get(slot.jobId) ?? -Infinity));
    result.records += 1;
    return null;
  }
  return "neither a run nor a slot record";
}
