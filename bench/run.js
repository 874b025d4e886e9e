#!/usr/bin/env node
// `npm run bench`: every benchmark in its quick pass (under two minutes on the reference
// machine); `node bench/run.js --full` runs the full pass. Each script prints its own table;
// this prints the machine and its load first, and how long each script took.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { machineLine } from "./support.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const full = process.argv.includes("--full");
// ui.js comes from the UI work; it is run when it is there.
const scripts = ["fire-lateness.js", "idle.js", "cold-start.js", "changes.js", "flood.js", "history.js", "ui.js"].filter((script) => fs.existsSync(path.join(here, script)));

console.log(`Sundial benchmarks, ${full ? "full" : "quick"} pass — ${machineLine()}`);
const startedAt = performance.now();
const timings = [];
let failed = false;
for (const script of scripts) {
  console.log(`\n== ${script}`);
  const began = performance.now();
  const result = spawnSync(process.execPath, [path.join(here, script), ...(full ? [] : ["--quick"])], { stdio: "inherit" });
  timings.push(`${script} ${((performance.now() - began) / 1000).toFixed(0)} s`);
  if (result.status !== 0) {
    failed = true;
    console.log(`${script} failed (${result.status ?? result.signal})`);
  }
}
console.log(`\n${timings.join(", ")}; total ${((performance.now() - startedAt) / 1000).toFixed(0)} s — load afterwards ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
process.exit(failed ? 1 : 0);
