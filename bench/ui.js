#!/usr/bin/env node
// Web UI with 10,000 jobs: `sundial daemon --ui` on a temp home whose jobs.json is written
// before the start, measured in Debian's Chromium (playwright-core): the time from
// navigation to the first job row of the table, and from typing in the filter box to the
// filtered rows on screen. Needs the build (`npm run build`, which includes the renderer).
/* global document, performance, requestAnimationFrame, MutationObserver, Event, fetch */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { tempFolder } from "../test/support/temp-folders.mjs";
import { mixedTrigger, storedJob, writeJobsFile } from "./support.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const JOBS = 10_000;
const ROUNDS = quick ? 2 : 5;
const CHROMIUM = process.env.SUNDIAL_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

for (const [file, hint] of [
  [path.join(root, "dist", "electron", "daemon", "cli.js"), "npm run build"],
  [path.join(root, "renderer", "dist", "index.html"), "npm run build (or npx vite build --config renderer/vite.config.ts)"],
]) {
  if (!fs.existsSync(file)) {
    console.error(`${path.relative(root, file)} is missing: run ${hint} first`);
    process.exit(1);
  }
}

/** Same job shapes as bench/cold-start.js: a third intervals, the rest cron in four zones. */
function makeHome(count) {
  const home = tempFolder("bench-ui");
  const now = new Date().toISOString();
  writeJobsFile(
    home,
    Array.from({ length: count }, (_, i) => storedJob(i, { triggers: [mixedTrigger(i, now)], notify: "failure", createdAt: now, updatedAt: now })),
  );
  return home;
}

/** Starts the daemon with the UI on a free port; resolves with its link once printed. */
function startDaemon(home) {
  const child = spawn(process.execPath, [path.join(root, "bin", "sundial.js"), "daemon", "--home", home, "--ui", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk) => (err += chunk));
  const link = new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /Open Sundial: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]+))/.exec(out);
      if (match) resolve({ url: match[1], origin: `http://127.0.0.1:${match[2]}`, token: match[3] });
    });
    child.once("exit", (code) => reject(new Error(`sundial daemon exited (${code}) before printing its link:\n${err}`)));
    setTimeout(() => reject(new Error(`no link after 60 s:\n${err}`)), 60_000).unref();
  });
  return { child, link };
}

/** In the page: ms from navigation start until a job row of the jobs table is in the DOM and painted. */
function firstRowTime() {
  const selector = 'table[aria-label="Jobs"] tbody tr:not([aria-hidden="true"])';
  return new Promise((resolve) => {
    const painted = () => requestAnimationFrame(() => resolve(performance.now()));
    if (document.querySelector(selector)) return painted();
    const observer = new MutationObserver(() => {
      if (!document.querySelector(selector)) return;
      observer.disconnect();
      painted();
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}

/**
 * In the page: types `text` into the "Filter jobs" box and resolves with the ms until the
 * job count line reads `expected` and the frame after it is painted.
 */
function filterTime([text, expected]) {
  const input = [...document.querySelectorAll("input")].find((element) => element.labels?.[0]?.textContent?.trim() === "Filter jobs");
  const count = document.querySelector('[aria-live="polite"]');
  if (!input || !count) throw new Error("no Filter jobs box or job count on the page");
  return new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      if (count.textContent.trim() !== expected) return false;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - started));
      return true;
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    check();
  });
}

/** In the page: how many job rows are in the DOM (the list is virtualised). */
function rowsInDom() {
  return document.querySelectorAll('table[aria-label="Jobs"] tbody tr:not([aria-hidden="true"])').length;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const home = makeHome(JOBS);
const daemon = startDaemon(home);
const userDataDir = tempFolder("bench-chromium");
let context;
try {
  const startedAt = performance.now();
  const link = await daemon.link;
  const daemonMs = performance.now() - startedAt;
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 } });

  const rows = {
    "GET /api/jobs, 10,000 jobs (Node)": [],
    "first render of the jobs table": [],
    'filter "job 4242" → 1 job': [],
    'filter "job 1" → 1,111 jobs': [],
    "clear the filter → 10,000 jobs": [],
  };
  let domRows = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const apiStart = performance.now();
    const response = await fetch(`${link.origin}/api/jobs`, { headers: { Authorization: `Bearer ${link.token}` } });
    const body = await response.json();
    if (body.result?.length !== JOBS) throw new Error(`GET /api/jobs answered ${body.result?.length} jobs`);
    rows["GET /api/jobs, 10,000 jobs (Node)"].push(performance.now() - apiStart);

    // A fresh tab each round (the first one also has a cold HTTP cache).
    const page = await context.newPage();
    await page.addInitScript(`window.__firstRow = (${firstRowTime.toString()})();`);
    await page.goto(link.url);
    rows["first render of the jobs table"].push(await page.evaluate("window.__firstRow"));
    domRows = await page.evaluate(rowsInDom);
    rows['filter "job 4242" → 1 job'].push(await page.evaluate(filterTime, ["job 4242", "1 of 10000 jobs"]));
    rows['filter "job 1" → 1,111 jobs'].push(await page.evaluate(filterTime, ["job 1", "1111 of 10000 jobs"]));
    rows["clear the filter → 10,000 jobs"].push(await page.evaluate(filterTime, ["", "10000 jobs"]));
    await page.close();
  }

  console.log(`Web UI with ${JOBS.toLocaleString("en-US")} jobs (daemon --ui, Chromium ${context.browser()?.version() ?? ""}; daemon up and link printed in ${daemonMs.toFixed(0)} ms)`);
  console.log(`${"".padEnd(36)}${Array.from({ length: ROUNDS }, (_, i) => `run ${i + 1}`.padStart(9)).join("")}   median (ms)`);
  for (const [label, values] of Object.entries(rows)) {
    console.log(`${label.padEnd(36)}${values.map((value) => value.toFixed(0).padStart(9)).join("")}   ${median(values).toFixed(0).padStart(11)}`);
  }
  console.log(`job rows in the DOM at first render: ${domRows} of ${JOBS} (virtualised list)`);
} finally {
  await context?.close();
  daemon.child.kill("SIGTERM");
  await new Promise((resolve) => (daemon.child.exitCode !== null ? resolve() : daemon.child.once("exit", resolve)));
  fs.rmSync(userDataDir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
}
