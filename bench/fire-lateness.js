#!/usr/bin/env node
// Fire lateness: N jobs due every second; each run appends its slot and its own exec time
// (bash's $EPOCHREALTIME, no extra process) to one file. Lateness = exec time − slot, over
// the runs whose slot falls in the measured window (after a warm-up). Sundial (the real
// `sundial daemon`) and its peers run the same command, one scheduler at a time:
//   APScheduler 3.9 (Debian, /usr/bin/python3): BlockingScheduler, CronTrigger(second='*'),
//     a thread pool with one worker per job, subprocess.run of the command;
//   croner 11 in plain Node: Cron("* * * * * *"), child_process.spawn of the command.
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
  summary,
  writeJobsFile,
} from "./support.js";

const sizes = process.env.BENCH_FIRE_SIZES ? process.env.BENCH_FIRE_SIZES.split(",").map(Number) : quick ? [10, 50] : [10, 50, 200];
const windowSeconds = quick ? 4 : 20;
/** The window opens this long after the first run has written its line (start-up is over). */
const warmupMs = 1_000;
/** After the window: stop once no late run of it has shown up for this long (at most 10 s). */
const settleMs = 1_000;

/** The command every scheduler runs: slot and exec time, one line, one process (bash). */
function commandFor(outFile) {
  return `echo "\${SUNDIAL_SCHEDULED_AT:-$DUE_AT} $EPOCHREALTIME" >> ${outFile}`;
}

const schedulers = [
  {
    name: "Sundial",
    async start(count, outFile) {
      const home = makeHome("fire");
      const jobs = Array.from({ length: count }, (_, index) =>
        // overlap "parallel": a slot is never skipped because the previous second's run of the
        // same job is still being reaped (the peers do not skip either).
        storedJob(index, { trigger: { type: "cron", version: 1, expression: "* * * * * *", timezone: "UTC" }, shell: "/bin/bash", command: commandFor(outFile), overlap: "parallel" }),
      );
      writeJobsFile(home, jobs);
      return startDaemon(home);
    },
  },
  {
    name: "APScheduler 3.9",
    available: haveApscheduler,
    start: (count, outFile) => startPeer(PYTHON, [path.join(ROOT, "bench/peers/apscheduler_peer.py"), "fire", String(count), commandFor(outFile)]),
  },
  {
    name: "croner 11",
    start: (count, outFile) => startPeer(process.execPath, [path.join(ROOT, "bench/peers/croner-peer.mjs"), "fire", String(count), commandFor(outFile)]),
  },
];

async function measure(scheduler, count) {
  const folder = makeHome("fire-out");
  const outFile = path.join(folder, "fired.txt");
  fs.writeFileSync(outFile, "");
  const process_ = await scheduler.start(count, outFile);
  // Warm-up: until runs really happen (Sundial first reads the login shell's environment,
  // which a busy machine can take seconds over), then one more second.
  const startedAt = Date.now();
  while (fs.statSync(outFile).size === 0 && Date.now() - startedAt < 20_000) await sleep(50);
  const windowStart = Math.ceil((Date.now() + warmupMs) / 1000) * 1000;
  const windowEnd = windowStart + windowSeconds * 1000;
  await sleep(windowEnd - Date.now());
  let lateness = latenessIn(outFile, windowStart, windowEnd);
  for (let quietSince = Date.now(); Date.now() - quietSince < settleMs && Date.now() - windowEnd < 10_000; ) {
    await sleep(250);
    const now = latenessIn(outFile, windowStart, windowEnd);
    if (now.length !== lateness.length) quietSince = Date.now();
    lateness = now;
  }
  await process_.stop();
  return { ...summary(lateness), expected: count * windowSeconds };
}

/** Lateness (ms) of every run whose slot lies in [start, end). */
function latenessIn(outFile, start, end) {
  const lateness = [];
  for (const line of fs.readFileSync(outFile, "utf8").split("\n")) {
    const [slotText, execText] = line.split(" ");
    if (!slotText || !execText) continue;
    const slot = Date.parse(slotText);
    if (slot >= start && slot < end) lateness.push(Number(execText) * 1000 - slot);
  }
  return lateness;
}

// BENCH_FIRE_ONLY=Sundial (a name's start) measures one scheduler, for trying engine changes.
const only = process.env.BENCH_FIRE_ONLY;
const rows = [];
for (const count of sizes) {
  let reference = null;
  for (const scheduler of schedulers.filter((entry) => !only || entry.name.startsWith(only))) {
    if (scheduler.available && !scheduler.available()) {
      rows.push([String(count), scheduler.name, "not installed", "—", "—", "—", "—"]);
      continue;
    }
    const figures = await measure(scheduler, count);
    reference ??= figures;
    rows.push([
      String(count),
      scheduler.name,
      `${figures.count}/${figures.expected}`,
      fmt(figures.p50),
      fmt(figures.p99),
      fmt(figures.max),
      scheduler.name === "Sundial" ? "1.00×" : ratio(figures.p99, reference.p99),
    ]);
  }
}
removeHomes();
printTable(
  `Fire lateness: jobs due every second, ${windowSeconds} s measured once runs were happening; exec time of the command − its slot (ms)`,
  ["jobs", "scheduler", "runs", "p50 ms", "p99 ms", "max ms", "p99 vs Sundial"],
  rows,
);
