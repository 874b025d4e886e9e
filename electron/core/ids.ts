import { randomBytes } from "node:crypto";

/**
 * Short ids people can type: a prefix, then time (so runs sort by creation) and randomness.
 * `j_3f9a1c2e07b4d5a6` for jobs, `r_lq2x9k4f_000a9f3c27e1` for runs.
 *
 * A run id is `r_<ms base36>_<counter base36, 4+ chars><32 random bits, hex>`. The counter
 * never repeats within a process, so two runs made in the same millisecond (200 jobs on one
 * slot) cannot share an id by construction; it also keeps them in creation order. The random
 * part separates processes (an engine restarted within the same millisecond, a clock set
 * back), and the caller checks the history before use for whatever chance is left (issue 10).
 */
export function newJobId(): string {
  return `j_${randomBytes(8).toString("hex")}`;
}

/** Runs made by this process so far; part of every run id. */
let runCounter = 0;
/** Below 36^4 the counter is zero-padded to 4 characters, so ids sort within a millisecond. */
const COUNTER_WIDTH = 4;
/** A guard for an `isTaken` that answers yes for ever (a broken index): never an endless loop. */
const MAX_ATTEMPTS = 1_000;

/**
 * A fresh run id for a run created at `nowMs`. `isTaken` is asked about each candidate (the
 * run history's index); a taken id is never returned.
 */
export function newRunId(nowMs: number, isTaken: (id: string) => boolean = () => false): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const counter = (runCounter++).toString(36).padStart(COUNTER_WIDTH, "0");
    const id = `r_${Math.max(0, Math.trunc(nowMs)).toString(36)}_${counter}${randomBytes(4).toString("hex")}`;
    if (!isTaken(id)) return id;
  }
  throw new Error(`Could not find a free run id after ${MAX_ATTEMPTS} attempts (the run history answers every id as taken)`);
}

/** An alert's id: `a_<ms base36>_<64 random bits, hex>` (sorts by time; issue 16). */
export function newAlertId(nowMs: number): string {
  return `a_${Math.max(0, Math.trunc(nowMs)).toString(36)}_${randomBytes(8).toString("hex")}`;
}
