/**
 * Helpers the fault tests share on top of test/support/cli.ts: the built engine's location,
 * reading a home's stores the way the next engine start would, and temp files left behind.
 */
import fs from "node:fs";
import path from "node:path";
import { homePaths } from "../../electron/core/home.js";
import { JsonJobStore } from "../../electron/core/store/json-job-store.js";
import { JsonlRunHistory } from "../../electron/core/store/jsonl-run-history.js";
import { ROOT } from "../support/cli.js";

export const DIST = path.join(ROOT, "dist");
export const FIXTURES = path.join(ROOT, "test", "fixtures");
export const FAULT_FIXTURES = path.join(ROOT, "test", "faults", "fixtures");

/** Files in the home that a durable write leaves while it is in progress (`<name>.tmp-<pid>-<n>`). */
export function tempFilesIn(home: string): string[] {
  return fs.readdirSync(home).filter((name) => name.includes(".tmp-"));
}

/**
 * Opens the home's job store and run history exactly as an engine start does (so it also
 * replays, trims and sweeps what a crash left), reads them and closes them again.
 */
export async function openStoresLikeAnEngine(home: string): Promise<{ jobNames: string[]; runIds: Set<string>; historyWarnings: string[] }> {
  const paths = homePaths(home);
  const store = new JsonJobStore(paths.jobs);
  const data = await store.load();
  await store.flush();
  const history = new JsonlRunHistory(paths.history);
  await history.open(new Date());
  const runIds = new Set(history.list({ limit: 1_000_000 }).map((run) => run.id));
  await history.close();
  return { jobNames: data.jobs.map((job) => job.name), runIds, historyWarnings: history.warnings };
}
