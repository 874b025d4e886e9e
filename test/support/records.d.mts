import type { Job, JobView, Run } from "../../electron/shared/schemas.js";

/** 2025-03-01 09:00 UTC: the default `createdAt` of job `0`; job `n` is `n` seconds later. */
export const T0: number;

/** A job's id as the engine makes them: `j_` and eight hex digits. */
export function jobId(index: number): string;

/** A job as jobs.json stores it, with the defaults the engine fills in. */
export function storedJob(index: number, overrides?: Partial<Job>): Job;

/** A job as the engine lists it (a stored job plus what the engine works out). */
export function jobView(job: Job, overrides?: Partial<JobView>): JobView;

/** A finished, successful run record scheduled at `scheduledAt` (ISO), started 100 ms later. */
export function storedRun(overrides?: Partial<Run>): Run;
