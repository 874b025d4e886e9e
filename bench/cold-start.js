#!/usr/bin/env node
// Cold start: for 100 / 1,000 / 10,000 stored jobs, the time from process start until the
// scheduler is armed and answering, and the resident memory then. Each size runs in a fresh
// Node process (so module loading is counted), on the built engine in dist/.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sizes = process.argv.includes("--quick") ? [100, 1000, 10000] : [100, 1000, 10000];

function makeHome(count) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-bench-cold-"));
  fs.chmodSync(home, 0o700);
  const zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];
  const now = new Date().toISOString();
  const jobs = Array.from({ length: count }, (_, i) => ({
    id: `j_${i.toString(16).padStart(8, "0")}`,
    name: `job ${i}`,
    trigger:
      i % 3 === 0
        ? { type: "interval", version: 1, everySeconds: 3600 + i, anchor: now }
        : { type: "cron", version: 1, expression: `${i % 60} ${i % 24} * * ${i % 7}`, timezone: zones[i % zones.length] },
    command: `echo job ${i}`,
    env: {},
    overlap: "skip",
    catchUp: "once",
    retries: { count: 0, delaySeconds: 60, backoff: 1 },
    notify: "failure",
    paused: false,
    createdAt: now,
    updatedAt: now,
  }));
  fs.writeFileSync(path.join(home, "jobs.json"), JSON.stringify({ version: 1, settings: {}, jobs }), { mode: 0o600 });
  return home;
}

const child = `
const t0 = performance.now();
const { openEngine } = await import(${JSON.stringify(path.join(root, "dist/electron/core/engine.js"))});
const { SilentNotifier } = await import(${JSON.stringify(path.join(root, "dist/electron/core/notifier/silent-notifier.js"))});
const engine = await openEngine({ home: process.argv[1], notifier: new SilentNotifier(), baseEnv: {} });
const jobs = await engine.service.listJobs();
const armedMs = performance.now() - t0 + performance.timeOrigin - Number(process.argv[2]);
const rss = process.memoryUsage().rss;
await engine.stop();
console.log(JSON.stringify({ jobs: jobs.length, armedMs, sinceImportMs: performance.now() - t0, rssMb: rss / 1048576 }));
`;

console.log("Cold start (fresh process → scheduler armed and answering listJobs)");
console.log("jobs     armed (ms)   engine only (ms)   RSS (MB)");
for (const count of sizes) {
  const home = makeHome(count);
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", child, home, String(Date.now())], { encoding: "utf8" });
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(1);
  }
  const figures = JSON.parse(result.stdout.trim().split("\n").pop());
  console.log(`${String(count).padEnd(8)} ${figures.armedMs.toFixed(0).padStart(10)}   ${figures.sinceImportMs.toFixed(0).padStart(16)}   ${figures.rssMb.toFixed(1).padStart(8)}`);
  fs.rmSync(home, { recursive: true, force: true });
}
