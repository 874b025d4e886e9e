#!/usr/bin/env node
// Idle cost: 1,000 jobs, none due for hours (daily cron lines 6 h ahead). After a settling
// pause, the scheduler process is watched for 60 s (quick: 40 s): CPU time of all its threads
// (nanosecond counters in /proc/<pid>/task/*/schedstat; the tick-based utime+stime of
// /proc/<pid>/stat agrees within its 10 ms resolution) and voluntary context switches, i.e.
// wake-ups, of the main thread and of all threads (/proc/<pid>/task/*/status). Sundial runs as
// the real `sundial daemon`; the peers are measured at the same time (they only sleep).
//
// Watching (issue 15): two more daemons, watched over the same minute, each with one job: one
// watching a folder of 1,000 files (nothing changes in it), one with a daily cron line instead.
// Their difference is what an idle watch costs; the OS watches it holds are counted from
// /proc/<pid>/fdinfo (inotify).
import fs from "node:fs";
import path from "node:path";
import { apiClient, fmt, haveApscheduler, hourAhead, inotifyWatches, makeHome, printTable, PYTHON, quick, ratio, readProcess, removeHomes, ROOT, sleep, startDaemon, startPeer, storedJob, writeJobsFile } from "./support.js";

const JOBS = 1_000;
const WATCHED_FILES = 1_000;
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

const watchedFolder = path.join(makeHome("idle-watched"), "inbox");
fs.mkdirSync(watchedFolder);
for (let index = 0; index < WATCHED_FILES; index++) fs.writeFileSync(path.join(watchedFolder, `file-${String(index).padStart(4, "0")}.txt`), "x");
const watchSubjects = [];
for (const [name, trigger] of [
  [`Sundial, 1 job watching ${WATCHED_FILES.toLocaleString("en")} files`, { type: "watch", path: watchedFolder }],
  ["Sundial, 1 job on a daily cron line", { type: "cron", expression: `0 ${hour} * * *`, timezone: "UTC" }],
]) {
  const watchHome = makeHome("idle-watch");
  const daemon = await startDaemon(watchHome);
  const client = await apiClient(watchHome);
  await client.addJob({ name: "idle", trigger, command: "true", notify: "never" });
  watchSubjects.push({ name, process: daemon });
}

await sleep(settleMs);
const before = subjects.map((subject) => readProcess(subject.process.pid));
const watchBefore = watchSubjects.map((subject) => readProcess(subject.process.pid));
await sleep(watchSeconds * 1000);
const after = subjects.map((subject) => readProcess(subject.process.pid));
const watchAfter = watchSubjects.map((subject) => readProcess(subject.process.pid));
const watches = watchSubjects.map((subject) => inotifyWatches(subject.process.pid));
for (const subject of [...subjects, ...watchSubjects]) await subject.process.stop();
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

printTable(
  `Idle cost of a watch: one job watching a folder of ${WATCHED_FILES.toLocaleString("en")} files vs one cron job; same ${watchSeconds} s`,
  ["daemon", "CPU ms", "CPU ms (ticks)", "wake-ups/min main", "wake-ups/min all threads", "inotify watches", "RSS MB"],
  watchSubjects.map((subject, index) => [
    subject.name,
    fmt(watchAfter[index].cpuMs - watchBefore[index].cpuMs, 2),
    fmt(watchAfter[index].cpuTickMs - watchBefore[index].cpuTickMs, 0),
    fmt(perMinute(watchAfter[index].voluntaryMain - watchBefore[index].voluntaryMain), 1),
    fmt(perMinute(watchAfter[index].voluntaryAll - watchBefore[index].voluntaryAll), 1),
    String(watches[index]),
    fmt(watchAfter[index].rssMb, 1),
  ]),
);
