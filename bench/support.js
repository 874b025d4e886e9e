// Shared by the benchmark scripts: paths of the built engine, homes with pre-written stores,
// the real daemon as a child process, /proc readings of a process, and table printing.
// Plain Node ESM over dist/ (run `npm run build` first), no test framework.
import { setInterval, clearInterval } from "node:timers";
import { performance } from "node:perf_hooks";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { storedJob as sharedStoredJob } from "../test/support/records.mjs";
import { removeTempFolders, tempFolder } from "../test/support/temp-folders.mjs";
import { sleep } from "../test/support/waiting.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = path.join(ROOT, "dist");
export const BIN = path.join(ROOT, "bin", "sundial.js");
export const PYTHON = "/usr/bin/python3";

/** `--quick` picks the short variant of a benchmark; the default is the full one. */
export const quick = process.argv.includes("--quick");

/** A module of the built engine, e.g. `distModule("electron/daemon/client.js")`. */
export function distModule(relative) {
  const file = path.join(DIST, relative);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return import(pathToFileURL(file).href);
}

// ------------------------------------------------------------------ figures and tables

export function percentile(values, fraction) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

export function summary(values) {
  return { count: values.length, p50: percentile(values, 0.5), p99: percentile(values, 0.99), max: values.length ? Math.max(...values) : NaN };
}

/** Formats a number with a fixed count of decimals, or "—" when it is not a number. */
export function fmt(value, decimals = 1) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(decimals) : "—";
}

/** "2.3×" (how many times `value` is of `reference`); "—" when either is missing or zero. */
export function ratio(value, reference) {
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return "—";
  return `${(value / reference).toFixed(2)}×`;
}

/** Prints rows (arrays of strings) under headers, columns aligned; numbers right-aligned. */
export function printTable(title, headers, rows) {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => String(row[column]).length)));
  const isNumeric = (text) => /^[-+]?[\d.,]+\s*(?:[×%]|ms|MB|MB\/s|KB|B|s)?$|^—$/.test(text);
  const line = (cells) => cells.map((cell, column) => (isNumeric(String(cell)) && column > 0 ? String(cell).padStart(widths[column]) : String(cell).padEnd(widths[column]))).join("  ");
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

/** One line saying on what this ran and how busy the machine was. */
export function machineLine() {
  const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown CPU").trim();
  const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  return `${os.availableParallelism()} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load ${load}`;
}

export function loadAverage() {
  return Number(fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

export { sleep };

// ------------------------------------------------------------------ homes

/** A fresh 0700 home; removed by `removeHomes`. */
export function makeHome(label) {
  return tempFolder(`bench-${label}`);
}

export const removeHomes = removeTempFolders;

/** A stored job (test/support/records.mjs) created now, so nothing counts as missed, and silent. */
export function storedJob(index, overrides = {}) {
  const now = new Date().toISOString();
  return sharedStoredJob(index, { command: `echo job ${index}`, notify: "never", createdAt: now, updatedAt: now, ...overrides });
}

/**
 * The mixed schedules of the cold-start and UI benchmarks: a third hourly-ish intervals, the
 * rest cron lines in four time zones.
 */
export function mixedTrigger(index, now = new Date().toISOString()) {
  const zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];
  return index % 3 === 0
    ? { type: "interval", version: 1, everySeconds: 3600 + index, anchor: now }
    : { type: "cron", version: 1, expression: `${index % 60} ${index % 24} * * ${index % 7}`, timezone: zones[index % zones.length] };
}

/** Writes jobs.json (0600) into `home`; `settings` merges over the defaults. */
export function writeJobsFile(home, jobs, settings = {}) {
  fs.writeFileSync(path.join(home, "jobs.json"), JSON.stringify({ version: 2, settings, jobs }), { mode: 0o600 });
}

/** A cron hour that is at least `hoursAhead` hours away in UTC (nothing due in the meantime). */
export function hourAhead(hoursAhead) {
  return (new Date().getUTCHours() + hoursAhead) % 24;
}

// ------------------------------------------------------------------ processes

/**
 * Starts `sundial daemon --home <home>` and resolves once its engine answers a ping; `bin`
 * picks another checkout's `bin/sundial.js` (a before/after comparison).
 * `stop()` sends SIGTERM and waits for the exit.
 */
export async function startDaemon(home, { env = {}, timeoutMs = 60_000, bin = BIN } = {}) {
  const child = spawn(process.execPath, [bin, "daemon", "--home", home], { cwd: path.dirname(path.dirname(bin)), env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.setEncoding("utf8").on("data", (text) => (log += text));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const startedAt = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sundial daemon exited early:\n${log}`);
    if (await pingReady(path.join(home, "sundial.sock"))) break;
    if (performance.now() - startedAt > timeoutMs) {
      child.kill("SIGKILL");
      throw new Error(`sundial daemon was not ready within ${timeoutMs} ms:\n${log}`);
    }
    await sleep(20);
  }
  return {
    pid: child.pid,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

function pingReady(socketPath) {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: "/api/ping", agent: false, timeout: 2_000 }, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        try {
          resolve(JSON.parse(body).result?.ready === true);
        } catch {
          resolve(false);
        }
      });
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}

/** The daemon's API over its control socket (the client the CLI uses). */
export async function apiClient(home) {
  const { connectClient } = await distModule("electron/daemon/client.js");
  return connectClient({ home });
}

/** Starts a child and resolves with its stdout once it exits 0 (rejects with stderr otherwise). */
export function runToEnd(file, args, options = {}) {
  const result = spawnSync(file, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${file} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stderr}`);
  return result.stdout;
}

/** Whether Debian's APScheduler 3 is importable by /usr/bin/python3. */
export function haveApscheduler() {
  return spawnSync(PYTHON, ["-c", "import apscheduler"], { stdio: "ignore" }).status === 0;
}

// ------------------------------------------------------------------ /proc readings

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** How many inotify watches a process holds (Linux; the `inotify wd:` lines of its fdinfo). */
export function inotifyWatches(pid) {
  let count = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      count += fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8").split("\n").filter((line) => line.startsWith("inotify wd:")).length;
    } catch {
      // Closed while we looked.
    }
  }
  return count;
}

function threadIds(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/**
 * CPU and wake-ups of a process, all threads: CPU from the scheduler's nanosecond counters
 * (/proc/<pid>/task/<tid>/schedstat) and from utime+stime ticks (/proc/<pid>/stat), voluntary
 * context switches (each one a sleep that ended: a wake-up) of the main thread and of all.
 */
export function readProcess(pid) {
  let cpuNs = 0;
  let voluntaryAll = 0;
  let involuntaryAll = 0;
  let voluntaryMain = 0;
  for (const tid of threadIds(pid)) {
    try {
      cpuNs += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
      const voluntary = Number(status.match(/^voluntary_ctxt_switches:\s+(\d+)/m)?.[1] ?? 0);
      voluntaryAll += voluntary;
      involuntaryAll += Number(status.match(/^nonvoluntary_ctxt_switches:\s+(\d+)/m)?.[1] ?? 0);
      if (String(tid) === String(pid)) voluntaryMain = voluntary;
    } catch {
      // The thread ended while we looked.
    }
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? NaN);
  return {
    cpuMs: cpuNs / 1e6,
    cpuTickMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
    voluntaryMain,
    voluntaryAll,
    involuntaryAll,
    threads: threadIds(pid).length,
    rssMb: kb("VmRSS") / 1024,
    hwmMb: kb("VmHWM") / 1024,
  };
}

/** Bytes a process wrote: `write_bytes` reached the block layer, `wchar` passed write(2). */
export function readIo(pid) {
  const text = fs.readFileSync(`/proc/${pid}/io`, "utf8");
  const field = (name) => Number(text.match(new RegExp(`^${name}:\\s+(\\d+)`, "m"))?.[1] ?? NaN);
  return { writeBytes: field("write_bytes"), wchar: field("wchar") };
}

/** Samples RSS of `pid` every `everyMs` until `stop()`; resolves with the highest seen (MB). */
export function sampleRss(pid, everyMs = 25) {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // Gone.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Starts a peer scheduler (a script printing "ready" when armed); `stop()` sends SIGTERM. */
export async function startPeer(file, args, { timeoutMs = 60_000 } = {}) {
  const child = spawn(file, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text) => (stderr += text));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} ${args[0]} was not ready within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (text) => {
      if (/^ready$/m.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`${file} ${args[0]} exited before it was ready:\n${stderr}`));
    });
  });
  return {
    pid: child.pid,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Resident memory of a process in MB (VmRSS), cheap enough to sample often. */
export function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN) / 1024;
}
