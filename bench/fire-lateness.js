#!/usr/bin/env node
// Fire lateness: N jobs due every second; each run appends its slot and its own exec time
// (bash's $EPOCHREALTIME, no extra process) to one file. Lateness = exec time − slot, over
// the runs whose slot falls in the measured window (after a warm-up). Sundial (the real
// `sundial daemon`) and its peers run the same command, one scheduler at a time:
//   APScheduler 3.9 (Debian, /usr/bin/python3): BlockingScheduler, CronTrigger(second='*'),
//     a thread pool with one worker per job, subprocess.run of the command;
//   the prepared-gate floor (peers/gate-floor.mjs): forks a /bin/sh gate 0.8 s ahead and
//     releases it with one pipe write at the second: what any scheduler that forks ahead gets;
//     the ratios are to it (the floor);
//   the same floor with bash itself waiting in Sundial's gate file, as Sundial prepares a bash
//     job (no exec of bash after the release): what is left of Sundial's own overhead;
//   croner 11 in plain Node (full pass): Cron("* * * * * *"), child_process.spawn of the command.
import fs from "node:fs";
import path from "node:path";
import {
  fmt,
  haveApscheduler,
  makeHome,
  printTable,
  PYTHON,
  quick,
  ratio,
  removeHomes,
  ROOT,
  sleep,
  startDaemon,
  startPeer,
  storedJob,
  percentile,
  summary,
  writeJobsFile,
} from "./support.js";

/** A bare Node loop that forks gates ahead and releases them at the second (peers/gate-floor.mjs). */
const FLOOR = "prepared-gate floor";
const FLOOR_BASH_WAITING = "floor, bash waiting";

// Quick and full pass alike: 1 job for 60 s (so its p95 means something), 10 and 50 jobs for
// 20 s; the full pass adds 200 jobs and croner. BENCH_FIRE_SIZES / BENCH_FIRE_SECONDS override.
const sizes = process.env.BENCH_FIRE_SIZES ? process.env.BENCH_FIRE_SIZES.split(",").map(Number) : quick ? [1, 10, 50] : [1, 10, 50, 200];
const windowFor = (count) => (process.env.BENCH_FIRE_SECONDS ? Number(process.env.BENCH_FIRE_SECONDS) : count === 1 ? 60 : 20);
/** The window opens this long after the first run has written its line (start-up is over). */
const warmupMs = 1_000;
/** After the window: stop once no late run of it has shown up for this long (at most 10 s). */
const settleMs = 1_000;

/** The command every scheduler runs: slot, exec time and job, one line, one process (bash). */
function commandFor(outFile) {
  return `echo "\${SUNDIAL_SCHEDULED_AT:-$DUE_AT} $EPOCHREALTIME \${SUNDIAL_JOB_ID:-x}" >> ${outFile}`;
}

const schedulers = [
  {
    name: "Sundial",
    async start(count, outFile, traceFile) {
      const home = makeHome("fire");
      const jobs = Array.from({ length: count }, (_, index) =>
        // overlap "parallel": a slot is never skipped because the previous second's run of the
        // same job is still being reaped (the peers do not skip either).
        storedJob(index, { triggers: [{ type: "cron", version: 1, expression: "* * * * * *", timezone: "UTC" }], shell: "/bin/bash", command: commandFor(outFile), overlap: "parallel" }),
      );
      writeJobsFile(home, jobs);
      // The trace (electron/core/trace.ts) says where each run's milliseconds went.
      return startDaemon(home, { env: { SUNDIAL_TRACE: traceFile } });
    },
  },
  {
    name: "APScheduler 3.9",
    available: haveApscheduler,
    start: (count, outFile) => startPeer(PYTHON, [path.join(ROOT, "bench/peers/apscheduler_peer.py"), "fire", String(count), commandFor(outFile)]),
  },
  {
    name: FLOOR,
    start: (count, outFile) => startPeer(process.execPath, [path.join(ROOT, "bench/peers/gate-floor.mjs"), "fire", String(count), commandFor(outFile)]),
  },
  {
    // The floor again, with each process prepared as Sundial prepares a bash job's (bash
    // itself waiting in the gate file): the same release, minus the exec of bash after it.
    name: FLOOR_BASH_WAITING,
    start: (count, outFile) => startPeer(process.execPath, [path.join(ROOT, "bench/peers/gate-floor.mjs"), "fire", String(count), commandFor(outFile), "bash-waiting"]),
  },
  {
    name: "croner 11",
    fullOnly: true,
    start: (count, outFile) => startPeer(process.execPath, [path.join(ROOT, "bench/peers/croner-peer.mjs"), "fire", String(count), commandFor(outFile)]),
  },
];

async function measure(scheduler, count) {
  const folder = makeHome("fire-out");
  const outFile = path.join(folder, "fired.txt");
  const traceFile = path.join(folder, "trace.jsonl");
  fs.writeFileSync(outFile, "");
  const windowSeconds = windowFor(count);
  const process_ = await scheduler.start(count, outFile, traceFile);
  // Warm-up: until runs really happen (Sundial first reads the login shell's environment,
  // which a busy machine can take seconds over), then one more second.
  const startedAt = Date.now();
  while (fs.statSync(outFile).size === 0 && Date.now() - startedAt < 20_000) await sleep(50);
  const windowStart = Math.ceil((Date.now() + warmupMs) / 1000) * 1000;
  const windowEnd = windowStart + windowSeconds * 1000;
  await sleep(windowEnd - Date.now());
  let runs = runsIn(outFile, windowStart, windowEnd);
  for (let quietSince = Date.now(); Date.now() - quietSince < settleMs && Date.now() - windowEnd < 10_000; ) {
    await sleep(250);
    const now = runsIn(outFile, windowStart, windowEnd);
    if (now.length !== runs.length) quietSince = Date.now();
    runs = now;
  }
  await process_.stop();
  const trace = fs.existsSync(traceFile) ? breakdown(runs, traceFile) : null;
  kept.push(folder);
  return { ...figures(runs.map((run) => run.lateness)), expected: count * windowSeconds, windowSeconds, trace };
}

/** Every run whose slot lies in [start, end): its slot, exec time (ms) and job. */
function runsIn(outFile, start, end) {
  const runs = [];
  for (const line of fs.readFileSync(outFile, "utf8").split("\n")) {
    const [slotText, execText, job] = line.split(" ");
    if (!slotText || !execText) continue;
    const slot = Date.parse(slotText);
    const exec = Number(execText) * 1000;
    if (slot >= start && slot < end) runs.push({ slot, exec, job, lateness: exec - slot });
  }
  return runs;
}

function figures(values) {
  return { ...summary(values), p95: percentile(values, 0.95) };
}

/**
 * Where each run's lateness went, from the engine's trace: the timer firing after the slot,
 * the wake-up reaching the job, what precedes the release (the start written), the release
 * (a pipe write), and the released process until its command's first line (read, exec bash).
 */
function breakdown(runs, traceFile) {
  const points = new Map();
  const wakes = [];
  for (const line of fs.readFileSync(traceFile, "utf8").split("\n")) {
    if (!line) continue;
    const point = JSON.parse(line);
    if (point.p === "wake") wakes.push(point.t);
    else if (point.job) points.set(`${point.p} ${point.job} ${point.slot}`, point.t);
  }
  wakes.sort((a, b) => a - b);
  const segments = { timer: [], "to the job": [], "before release": [], release: [], "process to exec": [] };
  for (const run of runs) {
    const at = (name) => points.get(`${name} ${run.job} ${run.slot}`);
    const due = at("due");
    const recorded = at("recorded");
    const released = at("released");
    if (due === undefined || recorded === undefined || released === undefined) continue;
    const wake = lastAtOrBefore(wakes, due);
    if (wake === undefined || wake < run.slot - 1_000) continue;
    segments.timer.push(wake - run.slot);
    segments["to the job"].push(due - wake);
    segments["before release"].push(recorded - due);
    segments.release.push(released - recorded);
    segments["process to exec"].push(run.exec - released);
  }
  return Object.entries(segments).map(([name, values]) => ({ name, count: values.length, p50: percentile(values, 0.5), p95: percentile(values, 0.95), p99: percentile(values, 0.99) }));
}

function lastAtOrBefore(sorted, value) {
  let found;
  for (const entry of sorted) {
    if (entry > value) break;
    found = entry;
  }
  return found;
}

// BENCH_FIRE_ONLY=Sundial (a name's start) measures one scheduler, for trying engine changes.
const only = process.env.BENCH_FIRE_ONLY;
const rows = [];
const traces = [];
const kept = [];
for (const count of sizes) {
  const measured = new Map();
  for (const scheduler of schedulers.filter((entry) => (!only || entry.name.startsWith(only)) && (!entry.fullOnly || !quick))) {
    if (scheduler.available && !scheduler.available()) {
      measured.set(scheduler.name, null);
      continue;
    }
    measured.set(scheduler.name, await measure(scheduler, count));
  }
  const floor = measured.get(FLOOR);
  for (const [name, result] of measured) {
    if (!result) {
      rows.push([String(count), name, "not installed", "—", "—", "—", "—", "—", "—", "—", "—"]);
      continue;
    }
    rows.push([
      String(count),
      name,
      `${result.count}/${result.expected}`,
      `${result.windowSeconds} s`,
      fmt(result.p50),
      fmt(result.p95),
      fmt(result.p99),
      fmt(result.max),
      floor ? ratio(result.p50, floor.p50) : "—",
      floor ? ratio(result.p95, floor.p95) : "—",
      floor ? ratio(result.p99, floor.p99) : "—",
    ]);
    if (result.trace) for (const segment of result.trace) traces.push([String(count), segment.name, String(segment.count), fmt(segment.p50, 2), fmt(segment.p95, 2), fmt(segment.p99, 2)]);
  }
}
// BENCH_FIRE_KEEP=1 keeps the homes, the commands' lines and the traces (the folders are printed).
if (process.env.BENCH_FIRE_KEEP) console.log(`\nkept: ${kept.join(" ")}`);
else removeHomes();
printTable(
  "Fire lateness: jobs due every second, measured once runs were happening; exec time of the command − its slot (ms)",
  ["jobs", "scheduler", "runs", "window", "p50 ms", "p95 ms", "p99 ms", "max ms", "p50 vs floor", "p95 vs floor", "p99 vs floor"],
  rows,
);
if (traces.length > 0) {
  printTable(
    "Sundial's trace (SUNDIAL_TRACE): where each run's lateness went (ms)",
    ["jobs", "segment", "runs", "p50", "p95", "p99"],
    traces,
  );
}
