#!/usr/bin/env node
// `npm run bench`: every benchmark in its quick pass; `node bench/run.js --full` runs the full
// pass; `--only lateness` (or any script's name without .js, comma-separated) runs just those.
// Each script prints its own table; this prints the machine and its load first, and how long
// each script took.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { machineLine } from "./support.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const full = process.argv.includes("--full");
// ui.js comes from the UI work; it is run when it is there.
const ALIASES = { lateness: "fire-lateness" };
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? "").split(",").map((name) => `${ALIASES[name] ?? name}.js`) : null;
const scripts = ["fire-lateness.js", "delivery-lateness.js", "idle.js", "cold-start.js", "cli-start.js", "changes.js", "flood.js", "history.js", "agenda.js", "ui.js"].filter((script) => fs.existsSync(path.join(here, script)) && (!only || only.includes(script)));
if (only && scripts.length === 0) {
  console.error(`--only: no benchmark named ${process.argv[onlyIndex + 1] ?? "(nothing)"}; names: lateness, delivery-lateness, idle, cold-start, cli-start, changes, flood, history, agenda, ui`);
  process.exit(2);
}

console.log(`Sundial benchmarks, ${full ? "full" : "quick"} pass — ${machineLine()}`);
const startedAt = performance.now();
const timings = [];
let failed = false;

// In the quick pass the idle benchmark, which only watches sleeping processes for a minute,
// runs beside the others (its figures are the watched processes' own CPU time and wake-ups,
// which other work on the machine does not add to); its table is printed at the end.
const idleAlongside = !full && scripts.includes("idle.js");
const idle = idleAlongside ? runAlongside("idle.js") : null;
// Its processes start (about a second of CPU) before anything else is timed.
if (idle) await new Promise((resolve) => setTimeout(resolve, 5_000));

for (const script of scripts) {
  if (idleAlongside && script === "idle.js") continue;
  console.log(`\n== ${script}`);
  const began = performance.now();
  const result = spawnSync(process.execPath, [path.join(here, script), ...(full ? [] : ["--quick"])], { stdio: "inherit" });
  timings.push(`${script} ${((performance.now() - began) / 1000).toFixed(0)} s`);
  if (result.status !== 0) {
    failed = true;
    console.log(`${script} failed (${result.status ?? result.signal})`);
  }
}
if (idle) {
  console.log("\n== idle.js (ran alongside the others)");
  const { output, status, seconds } = await idle;
  process.stdout.write(output);
  timings.push(`idle.js ${seconds} s (alongside)`);
  if (status !== 0) {
    failed = true;
    console.log(`idle.js failed (${status})`);
  }
}
console.log(`\n${timings.join(", ")}; total ${((performance.now() - startedAt) / 1000).toFixed(0)} s — load afterwards ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
process.exit(failed ? 1 : 0);

/** Starts a benchmark script now; resolves with its output once it ends. */
function runAlongside(script) {
  const began = performance.now();
  const child = spawn(process.execPath, [path.join(here, script), "--quick"], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text) => (output += text));
  return new Promise((resolve) => child.on("close", (status) => resolve({ output, status, seconds: ((performance.now() - began) / 1000).toFixed(0) })));
}
