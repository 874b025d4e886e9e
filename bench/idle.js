#!/usr/bin/env node
// Idle cost: 1,000 jobs, none due for hours (daily cron lines 6 h ahead). After a settling
// pause, the scheduler process is watched for 60 s (quick: 40 s): CPU time of all its threads
// (nanosecond counters in /proc/<pid>/task/*/schedstat; the tick-based utime+stime of
// /proc/<pid>/stat agrees within its 10 ms resolution) and voluntary context switches, i.e.
// wake-ups, of the main thread and of all threads (/proc/<pid>/task/*/status). Sundial runs as
// the real `sundial daemon`; the peers are measured at the same time (they only sleep).
import path from "node:path";
import { fmt, haveApscheduler, hourAhead, makeHome, printTable, PYTHON, quick, ratio, readProcess, removeHomes, ROOT, sleep, startDaemon, startPeer, storedJob, writeJobsFile } from "./support.js";

const JOBS = 1_000;
const watchSeconds = quick ? 40 : 60;
// Start-up work (reading the login shell's environment, V8's memory-reducer GCs, 8 s apart
// and the last one about 40 s after start) settles within a minute.
const settleMs = quick ? 45_000 : 60_000;
const hour = hourAhead(6);

const home = makeHome("idle");
writeJobsFile(
  home,
  Array.from({ length: JOBS }, (_, index) => storedJob(index, { triggers: [{ type: "cron", version: 1, expression: `${index % 60} ${hour} * * *`, timezone: "UTC" }] })),
);

const subjects = [{ name: "Sundial (sundial daemon)", process: await startDaemon(home) }];
if (haveApscheduler()) subjects.push({ name: "APScheduler 3.9", process: await startPeer(PYTHON, [path.join(ROOT, "bench/peers/apscheduler_peer.py"), "idle", String(JOBS), String(hour)]) });
subjects.push({ name: "croner 11", process: await startPeer(process.execPath, [path.join(ROOT, "bench/peers/croner-peer.mjs"), "idle", String(JOBS), String(hour)]) });

await sleep(settleMs);
const before = subjects.map((subject) => readProcess(subject.process.pid));
await sleep(watchSeconds * 1000);
const after = subjects.map((subject) => readProcess(subject.process.pid));
for (const subject of subjects) await subject.process.stop();
removeHomes();

const perMinute = (value) => (value * 60) / watchSeconds;
const figures = subjects.map((subject, index) => ({
  name: subject.name,
  cpuMs: after[index].cpuMs - before[index].cpuMs,
  tickMs: after[index].cpuTickMs - before[index].cpuTickMs,
  wakeMain: after[index].voluntaryMain - before[index].voluntaryMain,
  wakeAll: after[index].voluntaryAll - before[index].voluntaryAll,
  threads: after[index].threads,
  rss: after[index].rssMb,
}));
const sundial = figures[0];
printTable(
  `Idle cost: ${JOBS.toLocaleString("en")} jobs, none due for hours; ${watchSeconds} s watched after ${settleMs / 1000} s of settling`,
  ["scheduler", "CPU ms", "CPU ms (ticks)", "wake-ups/min main", "wake-ups/min all threads", "threads", "RSS MB", "CPU vs Sundial"],
  figures.map((entry) => [
    entry.name,
    fmt(entry.cpuMs, 2),
    fmt(entry.tickMs, 0),
    fmt(perMinute(entry.wakeMain), 1),
    fmt(perMinute(entry.wakeAll), 1),
    String(entry.threads),
    fmt(entry.rss, 1),
    entry === sundial ? "1.00×" : ratio(entry.cpuMs, sundial.cpuMs),
  ]),
);
