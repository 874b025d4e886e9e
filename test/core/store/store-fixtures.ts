/**
 * Builders and temp folders shared by the store tests. Dates are fixed so that files are
 * byte-for-byte reproducible.
 */
import { promises as fs } from "node:fs";
import type { Job, Run } from "../../../electron/shared/schemas.js";
import { storedJob, storedRun, T0 } from "../../support/records.mjs";
import { tempFolder } from "../../support/temp-folders.mjs";

export { T0 };
const MINUTE = 60_000;

/** A fresh folder under the system temp dir; `cleanup` removes it. */
export async function makeTempFolder(label = "store"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = tempFolder(label);
  return { dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** A job like a user's: a cron line with a zone, a real-looking command, some env. */
export function makeJob(index: number, overrides: Partial<Job> = {}): Job {
  return storedJob(index, {
    name: `Backup photos to NAS #${index}`,
    triggers: [{ type: "cron", version: 1, expression: `${index % 60} 3 * * 1-5`, timezone: "Europe/Berlin" }],
    command: `rsync -a --delete "$HOME/Pictures/" "nas:/volume1/backup/pictures-${index}/" && echo "done ${index}"`,
    cwd: "/home/ada/projects",
    env: { RSYNC_RSH: "ssh -i ~/.ssh/backup_ed25519", BACKUP_SET: `set-${index}` },
    timeoutSeconds: 3600,
    retries: { count: 2, delaySeconds: 60, backoff: 2 },
    ...overrides,
  });
}

/** A finished run of `jobId`, started `minutesAfterT0` minutes after T0. */
export function makeRun(id: string, jobId: string, minutesAfterT0: number, overrides: Partial<Run> = {}): Run {
  const scheduledAt = T0 + minutesAfterT0 * MINUTE;
  return storedRun({
    id,
    jobId,
    jobName: `job ${jobId}`,
    scheduledAt: new Date(scheduledAt).toISOString(),
    startedAt: new Date(scheduledAt + 120).toISOString(),
    endedAt: new Date(scheduledAt + 4_120).toISOString(),
    durationMs: 4_000,
    outputBytes: 1234,
    ...overrides,
  });
}

export async function modeOf(file: string): Promise<number> {
  return (await fs.stat(file)).mode & 0o777;
}

/** Names in `dir` that look like temp files of `baseName`. */
export async function tempFilesOf(dir: string, baseName: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.startsWith(`${baseName}.tmp-`));
}

export const runningAsRoot = typeof process.getuid === "function" && process.getuid() === 0;
