/**
 * The lines of `history.jsonl` and how a file is replayed. One JSON object per line:
 *   {"run": Run}                       a run inserted or changed (the newest line of an id wins)
 *   {"slot": {"jobId": …, "at": ISO}}  the latest handled slot of a job, without a run
 * Replay never gives up on a file: a torn last line (crash mid-append) is reported for
 * trimming, a damaged line in the middle is skipped and counted.
 */
import type { FileHandle } from "node:fs/promises";
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

/** Called for each valid run record, oldest line first, with where the line is (newline included). */
export type RunRecordSink = (run: Run, place: { offset: number; length: number }) => void;

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

/** Bytes read at a time: the whole file never sits in memory (30 MB for 100,000 runs). */
const READ_CHUNK = 1 << 18;

/**
 * Replays a history file from its start, a chunk at a time, handing each run record to
 * `onRun` (a run's later records come later: the last one wins).
 */
export async function replayHistoryFile(handle: FileHandle, fileName: string, onRun: RunRecordSink): Promise<ReplayResult> {
  const result: ReplayResult = { slots: new Map(), records: 0, completeBytes: 0, skippedLines: 0, warnings: [] };
  let buffer = Buffer.allocUnsafe(READ_CHUNK);
  let filled = 0; // bytes in `buffer`, from file offset `base`
  let base = 0;
  let lineNumber = 0;
  for (;;) {
    if (filled === buffer.length) buffer = Buffer.concat([buffer], buffer.length * 2); // a line longer than the buffer
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, base + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
    let start = 0;
    for (let newline = buffer.indexOf(0x0a, start); newline !== -1 && newline < filled; newline = buffer.indexOf(0x0a, start)) {
      lineNumber += 1;
      const place = { offset: base + start, length: newline + 1 - start };
      const problem = applyLine(result, buffer.toString("utf8", start, newline), place, onRun);
      if (problem !== null) {
        result.skippedLines += 1;
        if (result.skippedLines <= MAX_DESCRIBED_LINES) result.warnings.push(`${fileName} line ${lineNumber}: ${problem}; skipped`);
      }
      start = newline + 1;
    }
    buffer.copy(buffer, 0, start, filled);
    filled -= start;
    base += start;
  }
  result.completeBytes = base;
  if (result.skippedLines > MAX_DESCRIBED_LINES) {
    result.warnings.push(`${fileName}: ${result.skippedLines - MAX_DESCRIBED_LINES} more damaged line(s) skipped`);
  }
  if (filled > 0) {
    result.warnings.push(`${fileName}: ignored an incomplete last line (${filled} bytes) left by an interrupted write`);
  }
  return result;
}

/** The run of one run record read back from its place; null when the bytes there are not one. */
export function parseRunLine(text: string): Run | null {
  try {
    const record = JSON.parse(text) as { run?: unknown } | null;
    return typeof record === "object" && record !== null && isRun(record.run) ? record.run : null;
  } catch {
    return null;
  }
}

/** Applies one line; returns what is wrong with it, or null. */
function applyLine(result: ReplayResult, line: string, place: { offset: number; length: number }, onRun: RunRecordSink): string | null {
  if (line.trim().length === 0) return null;
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
    onRun(run, place);
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
