#!/usr/bin/env node
// CLI start-up: how long a `sundial` command takes, from process start to exit, against a
// running daemon with 100 jobs — beside a bare `node -e 0` (the floor any Node CLI pays)
// and the unbundled CLI (dist/electron/daemon/cli.js, what tsc writes, loaded module by
// module). Issue 11's target: a command costs at most 1.5× `node -e 0`. Runs alternate
// between the three so that a busy moment of the machine falls on all of them alike.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { BIN, DIST, distModule, fmt, makeHome, percentile, printTable, PYTHON, quick, removeHomes, startDaemon, storedJob, writeJobsFile } from "./support.js";
import { tempFolder } from "../test/support/temp-folders.mjs";

const rounds = quick ? 15 : 40;
const { SettingsSchema } = await distModule("electron/shared/schemas.js");
// The jobs are daily at 03:mm, a shape whose words Sundial has without cronstrue; a second
// daemon holds schedules only cronstrue can put in words (steps and lists of hours), which
// loads it on first use (shared/wording.ts commonCronWords; docs/PERFORMANCE.md §8.2).
const home = makeHome("cli");
writeJobsFile(home, Array.from({ length: 100 }, (_, index) => storedJob(index)), SettingsSchema.parse({}));
const uncommonHome = makeHome("cli-uncommon");
const uncommonTrigger = (index) => ({ type: "cron", version: 1, expression: `${index % 60} 9-17/2 * * 1-5`, timezone: "UTC" });
writeJobsFile(uncommonHome, Array.from({ length: 100 }, (_, index) => storedJob(index, { triggers: [uncommonTrigger(index)] })), SettingsSchema.parse({}));
const daemons = [await startDaemon(home), await startDaemon(uncommonHome)];

const unbundled = path.join(tempFolder("bench-cli"), "unbundled-cli.mjs");
fs.writeFileSync(unbundled, `const cli = await import(${JSON.stringify(path.join(DIST, "electron", "daemon", "cli.js"))});\nprocess.exitCode = await cli.main(process.argv);\n`);

const subjects = [
  ["node -e 0 (floor)", ["-e", "0"]],
  ["sundial list (bundled, what bin/sundial.js runs)", [BIN, "list", "--home", home]],
  ["sundial list, schedules that need cronstrue", [BIN, "list", "--home", uncommonHome]],
  ["sundial list (unbundled tsc output)", [unbundled, "list", "--home", home]],
  ["sundial next --cron (offline)", [BIN, "next", "--cron", "0 9 * * 1-5", "-n", "5"]],
];
const times = new Map(subjects.map(([label]) => [label, []]));
const cpuTimes = new Map();
try {
  for (let round = 0; round < rounds; round++) {
    for (const [label, args] of subjects) {
      const began = performance.now();
      const result = spawnSync(process.execPath, args, { encoding: "utf8" });
      const elapsed = performance.now() - began;
      if (result.status !== 0) throw new Error(`${label} exited ${result.status}: ${result.stderr}`);
      if (round > 0) times.get(label).push(elapsed); // the first round warms the file cache
    }
  }
  // The same commands again for their CPU time (see bench/peers/cpu_time.py): on a loaded
  // machine the wall times above wait their turn, CPU time barely moves.
  const cpu = spawnSync(PYTHON, [path.join(import.meta.dirname, "peers", "cpu_time.py"), String(rounds), JSON.stringify(subjects.map(([, args]) => [process.execPath, ...args]))], { encoding: "utf8" });
  if (cpu.status !== 0) throw new Error(`cpu_time.py exited ${cpu.status}: ${cpu.stderr}`);
  JSON.parse(cpu.stdout).forEach((list, index) => cpuTimes.set(subjects[index][0], list));
} finally {
  fs.rmSync(path.dirname(unbundled), { recursive: true, force: true });
  for (const daemon of daemons) await daemon.stop();
  removeHomes();
}

const floor = percentile(times.get(subjects[0][0]), 0.5);
const cpuFloor = percentile(cpuTimes.get(subjects[0][0]), 0.5);
printTable(
  `CLI start-up, ${rounds - 1} runs each, process start to exit, and CPU time (target: sundial ≤ 1.5× node -e 0)`,
  ["command", "wall p50", "wall p95", "× node -e 0", "CPU p50", "× node -e 0 (CPU)"],
  subjects.map(([label]) => {
    const p50 = percentile(times.get(label), 0.5);
    const cpuP50 = percentile(cpuTimes.get(label), 0.5);
    return [label, `${fmt(p50)} ms`, `${fmt(percentile(times.get(label), 0.95))} ms`, `${fmt(p50 / floor, 2)}×`, `${fmt(cpuP50)} ms`, `${fmt(cpuP50 / cpuFloor, 2)}×`];
  }),
);
