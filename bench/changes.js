#!/usr/bin/env node
// Changes: a store of 10,000 jobs, then 1,000 adds (quick: 200) through the API, one after
// another, as the CLI or the UI sends them (HTTP over the control socket to the real
// `sundial daemon`). Per add: latency p50/p99/max at the client; bytes written by the daemon
// (/proc/<pid>/io: write_bytes reached the disk, wchar passed write(2)) divided by the adds.
import { performance } from "node:perf_hooks";
import { apiClient, fmt, makeHome, printTable, quick, readIo, removeHomes, startDaemon, storedJob, summary, writeJobsFile } from "./support.js";

const STORED = 10_000;
const ADDS = quick ? 200 : 1_000;

const home = makeHome("changes");
writeJobsFile(home, Array.from({ length: STORED }, (_, index) => storedJob(index)));
const daemon = await startDaemon(home);
const client = await apiClient(home);
// One warm-up add (first-call compilation, socket setup) that is not counted.
await client.addJob({ name: "warm-up", trigger: { type: "interval", everySeconds: 86_400 }, command: "true" });

const io = readIo(daemon.pid);
const latencies = [];
for (let index = 0; index < ADDS; index++) {
  const startedAt = performance.now();
  await client.addJob({
    name: `added ${index}`,
    trigger: { type: "cron", expression: `${index % 60} 4 * * *`, timezone: "UTC" },
    command: `rsync -a "$HOME/Documents/" "backup:/docs-${index}/"`,
    env: { BACKUP_SET: `set-${index}` },
  });
  latencies.push(performance.now() - startedAt);
}
const after = readIo(daemon.pid);
const jobs = (await client.status()).jobs;
await daemon.stop();
removeHomes();
if (jobs !== STORED + ADDS + 1) throw new Error(`expected ${STORED + ADDS + 1} jobs, the engine has ${jobs}`);

const figures = summary(latencies);
printTable(
  `Changes: ${ADDS.toLocaleString("en")} adds through the API, one at a time, to a store of ${STORED.toLocaleString("en")} jobs`,
  ["adds", "p50 ms", "p99 ms", "max ms", "disk KB/add (write_bytes)", "written KB/add (wchar)"],
  [[String(ADDS), fmt(figures.p50, 2), fmt(figures.p99, 2), fmt(figures.max, 1), fmt((after.writeBytes - io.writeBytes) / ADDS / 1024, 1), fmt((after.wchar - io.wchar) / ADDS / 1024, 1)]],
);
