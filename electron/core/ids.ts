import { randomBytes } from "node:crypto";

/**
 * Short ids people can type: a prefix, then time (so runs sort by creation) and randomness.
 * `j_3f9a1c2e` for jobs, `r_lq2x9k4f_7c1e` for runs.
 */
export function newJobId(): string {
  return `j_${randomBytes(4).toString("hex")}`;
}

export function newRunId(nowMs: number): string {
  return `r_${nowMs.toString(36)}_${randomBytes(2).toString("hex")}`;
}
