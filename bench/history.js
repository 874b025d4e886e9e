#!/usr/bin/env node
// History memory: 10,000 and 100,000 recorded runs (100 jobs, retention raised so that none
// is pruned) in history.jsonl, and none (the daemon's own base). The real `sundial daemon`
// opens it: time until it answers, resident memory once ready; then a job's last 50 runs are
// fetched through the API 200 times (client-side latency: socket, JSON and all), and the
// overall last 50 too.
// BENCH_HISTORY_BEFORE=<another checkout, built> adds that checkout's daemon on the same
// files, row by row (e.g. a `git worktree` of an older commit).
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import path from "node:path";
import { apiClient, BIN, fmt, makeHome, printTable, readProcess, removeHomes, startDaemon, storedJob, summary, writeJobsFile } from "./support.js";

const JOBS = 100;
const SIZES = [0, 10_000, 100_000];
const QUERIES = 200;
const before = process.env.BENCH_HISTORY_BEFORE;
const engines = [["this checkout", BIN], ...(before ? [["before", path.join(path.resolve(before), "bin", "sundial.js")]] : [])];

/** A home with `runs` runs of the last days, one line each, as the engine writes an ended run. */
function historyHome(runs) {
  const home = makeHome("history");
  const jobs = Array.from({ length: JOBS }, (_, index) => storedJob(index));
  writeJobsFile(home, jobs, { history: { maxRunsPerJob: Math.max(1, runs / JOBS), maxAgeDays: 3650 } });
  const now = Date.now();
  const lines = [];
  for (let index = 0; index < runs; index++) {
    const job = jobs[index % JOBS];
    const scheduledAt = now - (runs - index) * 30_000;
    const run = {
      id: `r_${scheduledAt.toString(36)}_${(index % 65536).toString(16).padStart(4, "0")}`,
      jobId: job.id,
      jobName: job.name,
      status: index % 17 === 0 ? "failed" : "succeeded",
      reason: "schedule",
      attempt: 1,
      scheduledAt: new Date(scheduledAt).toISOString(),
      startedAt: new Date(scheduledAt + 40).toISOString(),
      endedAt: new Date(scheduledAt + 2_040).toISOString(),
      exitCode: index % 17 === 0 ? 1 : 0,
      signal: null,
      durationMs: 2_000,
      error: null,
      outputBytes: 512,
    };
    lines.push(JSON.stringify({ run }));
  }
  if (runs > 0) fs.writeFileSync(path.join(home, "history.jsonl"), `${lines.join("\n")}\n`, { mode: 0o600 });
  return { home, jobs };
}

async function measure(bin, home, jobs, jobRuns) {
  const historyFile = path.join(home, "history.jsonl");
  const fileMb = fs.existsSync(historyFile) ? fs.statSync(historyFile).size / 2 ** 20 : 0;
  const startedAt = performance.now();
  const daemon = await startDaemon(home, { bin });
  const startMs = performance.now() - startedAt;
  const readyRss = readProcess(daemon.pid).rssMb;
  const client = await apiClient(home);
  const perJob = [];
  const overall = [];
  for (let index = 0; index < QUERIES; index++) {
    let began = performance.now();
    const runs = await client.history({ job: jobs[index % JOBS].id, limit: 50 });
    perJob.push(performance.now() - began);
    const expected = Math.min(50, jobRuns);
    if (runs.length !== expected) throw new Error(`expected ${expected} runs, got ${runs.length}`);
    began = performance.now();
    await client.history({ limit: 50 });
    overall.push(performance.now() - began);
  }
  const queriedRss = readProcess(daemon.pid).rssMb;
  await daemon.stop();
  return { fileMb, startMs, readyRss, queriedRss, job: summary(perJob), all: summary(overall) };
}

const rows = [];
for (const runs of SIZES) {
  const { home, jobs } = historyHome(runs);
  for (const [label, bin] of engines) {
    const figures = await measure(bin, home, jobs, runs / JOBS);
    rows.push([
      runs.toLocaleString("en"),
      label,
      fmt(figures.fileMb, 1),
      fmt(figures.startMs, 0),
      fmt(figures.readyRss, 1),
      fmt(figures.queriedRss, 1),
      fmt(figures.job.p50, 2),
      fmt(figures.job.p99, 2),
      fmt(figures.all.p50, 2),
      fmt(figures.all.p99, 2),
    ]);
  }
}
removeHomes();

printTable(
  `History memory: runs of ${JOBS} jobs in history.jsonl; ${QUERIES} fetches each of a job's last 50 and of all jobs' last 50, through the API`,
  ["runs kept", "engine", "history.jsonl MB", "daemon ready ms", "RSS ready MB", "RSS after fetches MB", "job's last 50: p50 ms", "p99 ms", "all: p50 ms", "p99 ms"],
  rows,
);
