/**
 * Builders and temp folders shared by the store tests. Dates are fixed so that files are
 * byte-for-byte reproducible.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Job, Run } from "../../../electron/shared/schemas.js";

export const T0 = Date.parse("2025-03-01T09:00:00.000Z");
const MINUTE = 60_000;

/** A fresh folder under the system temp dir; `cleanup` removes it. */
export async function makeTempFolder(prefix = "sundial-store-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** A job like a user's: a cron line with a zone, a real-looking command, some env. */
export function makeJob(index: number, overrides: Partial<Job> = {}): Job {
  const at = new Date(T0 + index * 1000).toISOString();
  return {
    id: `j_${index.toString(16).padStart(8, "0")}`,
    name: `Backup photos to NAS #${index}`,
    trigger: { type: "cron", version: 1, expression: `${index % 60} 3 * * 1-5`, timezone: "Europe/Berlin" },
    command: `rsync -a --delete "$HOME/Pictures/" "nas:/volume1/backup/pictures-${index}/" && echo "done ${index}"`,
    cwd: "/home/ada/projects",
    env: { RSYNC_RSH: "ssh -i ~/.ssh/backup_ed25519", BACKUP_SET: `set-${index}` },
    timeoutSeconds: 3600,
    overlap: "skip",
    catchUp: "once",
    retries: { count: 2, delaySeconds: 60, backoff: 2 },
    notify: "failure",
    paused: false,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** A finished run of `jobId`, started `minutesAfterT0` minutes after T0. */
export function makeRun(id: string, jobId: string, minutesAfterT0: number, overrides: Partial<Run> = {}): Run {
  const scheduledAt = new Date(T0 + minutesAfterT0 * MINUTE).toISOString();
  const startedAt = new Date(T0 + minutesAfterT0 * MINUTE + 120).toISOString();
  const endedAt = new Date(T0 + minutesAfterT0 * MINUTE + 4_120).toISOString();
  return {
    id,
    jobId,
    jobName: `job ${jobId}`,
    status: "succeeded",
    reason: "schedule",
    attempt: 1,
    scheduledAt,
    startedAt,
    endedAt,
    exitCode: 0,
    signal: null,
    durationMs: 4_000,
    error: null,
    outputBytes: 1234,
    ...overrides,
  };
}

export async function modeOf(file: string): Promise<number> {
  return (await fs.stat(file)).mode & 0o777;
}

/** Names in `dir` that look like temp files of `baseName`. */
export async function tempFilesOf(dir: string, baseName: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.startsWith(`${baseName}.tmp-`));
}

export const runningAsRoot = typeof process.getuid === "function" && process.getuid() === 0;
