/**
 * Where the milliseconds go between a slot and its command (issue 12). With
 * `SUNDIAL_TRACE=<file>` in the engine's environment, each point on a scheduled run's path is
 * kept with its wall time in microseconds and appended to the file as JSON lines
 * (`{"p":"released","job":"j_…","slot":1733450000000,"t":1733450000004.213}`), off the due
 * path (every 2 s and at exit). bench/fire-lateness.js reads them beside the commands' own
 * exec times. Off (the default), `tracePoint` is one null check.
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";

/**
 * The points, in the order a prepared run passes them:
 * - `prepared`: its process was forked, ahead of the slot;
 * - `wake`: the engine's timer fired (no job: one per wake-up);
 * - `due`: the scheduler handles the job's due slot;
 * - `recorded`: what must precede the release is done (the start written);
 * - `released`: the go-ahead was written to the prepared process;
 * - `launched`: the launch's bookkeeping (log, listeners) is done.
 * `synced` (no job) is an fdatasync of a store file ending.
 */
export type TracePointName = "prepared" | "wake" | "due" | "recorded" | "released" | "launched" | "synced";

interface Tracer {
  file: string;
  lines: string[];
}

let tracer: Tracer | null = null;

/** Turns tracing on for this process (the composition root calls it when SUNDIAL_TRACE is set). */
export function startTrace(file: string): void {
  if (tracer) return;
  const active: Tracer = { file, lines: [] };
  tracer = active;
  const flush = (): void => {
    if (active.lines.length === 0) return;
    const text = active.lines.join("");
    active.lines = [];
    try {
      fs.appendFileSync(active.file, text);
    } catch {
      // A trace is for benchmarks: losing it must never disturb the engine.
    }
  };
  setInterval(flush, 2_000).unref();
  process.on("exit", flush);
}

/** Notes that `point` was reached now, for `jobId`'s slot `slot` (epoch ms) if it has one. */
export function tracePoint(point: TracePointName, jobId?: string, slot?: number | null): void {
  if (!tracer) return;
  const t = performance.timeOrigin + performance.now();
  tracer.lines.push(`${JSON.stringify({ p: point, job: jobId, slot: slot ?? undefined, t: Math.round(t * 1000) / 1000 })}\n`);
}
