#!/usr/bin/env node
// Cold start: for 100 / 1,000 / 10,000 stored jobs, the time from process start until the
// scheduler is armed and answering (listJobs), and the resident memory then. Each start is a
// fresh Node process (module loading counts), on the built engine in dist/. Two starts per
// size: the first after jobs.json was written from outside (every job is checked against the
// schema, and the file is stamped as checked), then a restart, as after a reboot (the stamp
// vouches for the file). The stores are written exactly as the engine writes them.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { distModule, fmt, makeHome, mixedTrigger, printTable, quick, removeHomes, ROOT, writeJobsFile } from "./support.js";

const sizes = [100, 1_000, 10_000];
const restarts = quick ? 1 : 3;
const { JobSchema, SettingsSchema } = await distModule("electron/shared/schemas.js");

function storeOf(count) {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) =>
    // Parsed by the engine's own schema: key order and defaults as the engine writes them.
    JobSchema.parse({
      id: `j_${i.toString(16).padStart(8, "0")}`,
      name: `job ${i}`,
      triggers: [mixedTrigger(i, now)],
      command: `echo job ${i}`,
      createdAt: now,
      updatedAt: now,
    }),
  );
}

const child = `
const t0 = performance.now();
const { openEngine } = await import(${JSON.stringify(path.join(ROOT, "dist/electron/core/engine.js"))});
const { SilentNotifier } = await import(${JSON.stringify(path.join(ROOT, "dist/electron/core/notifier/silent-notifier.js"))});
const imported = performance.now();
const engine = await openEngine({ home: process.argv[1], notifier: new SilentNotifier(), baseEnv: {} });
const opened = performance.now();
const jobs = await engine.service.listJobs();
const listed = performance.now();
const armedMs = listed + performance.timeOrigin - Number(process.argv[2]);
const rss = process.memoryUsage().rss;
await engine.stop();
console.log(JSON.stringify({ jobs: jobs.length, armedMs, importMs: imported - t0, openMs: opened - imported, listMs: listed - opened, rssMb: rss / 1048576 }));
`;

function start(home) {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", child, home, String(Date.now())], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").pop());
}

const rows = [];
for (const count of sizes) {
  const home = makeHome("cold");
  writeJobsFile(home, storeOf(count), SettingsSchema.parse({}));
  const first = start(home);
  const again = Array.from({ length: restarts }, () => start(home)).sort((a, b) => a.armedMs - b.armedMs)[Math.floor(restarts / 2)];
  for (const [label, figures] of [
    ["first start", first],
    [restarts > 1 ? `restart (median of ${restarts})` : "restart", again],
  ]) {
    rows.push([count.toLocaleString("en"), label, fmt(figures.armedMs, 0), fmt(figures.importMs, 0), fmt(figures.openMs, 0), fmt(figures.listMs, 0), fmt(figures.rssMb, 1)]);
  }
}
removeHomes();
printTable(
  "Cold start: fresh process → scheduler armed and answering listJobs",
  ["jobs", "start", "armed ms", "import ms", "open ms", "listJobs ms", "RSS MB"],
  rows,
);
