#!/usr/bin/env node
// History: 100,000 recorded runs (100 jobs × 1,000 runs, retention raised so that none is
// pruned) in history.jsonl. The real `sundial daemon` opens it; then a job's last 50 runs are
// fetched through the API 200 times (client-side latency: socket, JSON and all), and the
// overall last 50 too. Also: store size on disk, daemon start time and resident memory.
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import path from "node:path";
import { apiClient, fmt, makeHome, printTable, readProcess, removeHomes, startDaemon, storedJob, summary, writeJobsFile } from "./support.js";

const JOBS = 100;
const PER_JOB = 1_000;
const QUERIES = 200;

const home = makeHome("history");
const jobs = Array.from({ length: JOBS }, (_, index) => storedJob(index));
writeJobsFile(home, jobs, { history: { maxRunsPerJob: PER_JOB, maxAgeDays: 3650 } });

// Runs of the last ~35 days, one line each, as the engine writes them when a run has ended.
const now = Date.now();
const lines = [];
for (let index = 0; index < JOBS * PER_JOB; index++) {
  const job = jobs[index % JOBS];
  const scheduledAt = now - (JOBS * PER_JOB - index) * 30_000;
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
const historyFile = path.join(home, "history.jsonl");
fs.writeFileSync(historyFile, `${lines.join("\n")}\n`, { mode: 0o600 });
const fileMb = fs.statSync(historyFile).size / 2 ** 20;

const startedAt = performance.now();
const daemon = await startDaemon(home);
const startMs = performance.now() - startedAt;
const client = await apiClient(home);
const perJob = [];
const overall = [];
for (let index = 0; index < QUERIES; index++) {
  let began = performance.now();
  const runs = await client.history({ job: jobs[index % JOBS].id, limit: 50 });
  perJob.push(performance.now() - began);
  if (runs.length !== 50) throw new Error(`expected 50 runs, got ${runs.length}`);
  began = performance.now();
  await client.history({ limit: 50 });
  overall.push(performance.now() - began);
}
const { rssMb } = readProcess(daemon.pid);
const kept = (await client.history({ limit: 1_000_000 })).length;
await daemon.stop();
const diskMb = fs.statSync(historyFile).size / 2 ** 20;
removeHomes();

const job = summary(perJob);
const all = summary(overall);
printTable(
  `History: ${(JOBS * PER_JOB).toLocaleString("en")} runs of ${JOBS} jobs; ${QUERIES} fetches each, through the API`,
  ["runs kept", "history.jsonl MB", "daemon ready ms", "RSS MB", "job's last 50: p50 ms", "p99 ms", "all jobs' last 50: p50 ms", "p99 ms"],
  [[kept.toLocaleString("en"), `${fmt(fileMb, 1)} → ${fmt(diskMb, 1)}`, fmt(startMs, 0), fmt(rssMb, 1), fmt(job.p50, 2), fmt(job.p99, 2), fmt(all.p50, 2), fmt(all.p99, 2)]],
);
