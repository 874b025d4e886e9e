#!/usr/bin/env node
// The agenda (issue 17) over many jobs, computed as the engine does (buildAgenda of the built
// engine): 1,000 and 10,000 daily cron jobs over 2, 7 and 31 days; the tray's query (2 days,
// the 3 soonest runs); and 100 every-minute jobs (each capped at 24 runs a day). Median of
// a few passes, in milliseconds of wall time on this machine.
import { performance } from "node:perf_hooks";
import { distModule, fmt, printTable, quick, storedJob } from "./support.js";

const { buildAgenda } = await distModule("electron/core/agenda.js");
const passes = quick ? 3 : 7;

/** Job views as the engine lists them: active, each with one cron trigger. */
function views(count, expressionOf) {
  return Array.from({ length: count }, (_, index) => ({
    ...storedJob(index, { triggers: [{ type: "cron", version: 1, expression: expressionOf(index), timezone: "UTC" }] }),
    nextRunAt: null,
    lastRun: null,
    runningRunIds: [],
    finished: false,
    problem: null,
    tags: [],
  }));
}

function medianMs(run) {
  const times = [];
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const fromMs = Date.parse("2030-01-01T00:00:00Z");
const daily = (index) => `${index % 60} ${index % 24} * * *`;
const rows = [];
for (const count of [1_000, 10_000]) {
  const jobs = views(count, daily);
  for (const days of [2, 7, 31]) rows.push([`${count} daily jobs, ${days} days`, fmt(medianMs(() => buildAgenda(jobs, { fromMs, days, zone: "UTC" })))]);
  rows.push([`${count} daily jobs, the tray's 3 next runs`, fmt(medianMs(() => buildAgenda(jobs, { fromMs, days: 2, zone: "UTC", limit: 3 })))]);
}
const everyMinute = views(100, () => "* * * * *");
rows.push(["100 every-minute jobs, 31 days (24 a day each)", fmt(medianMs(() => buildAgenda(everyMinute, { fromMs, days: 31, zone: "UTC" })))]);
printTable(`Agenda: buildAgenda, median of ${passes} passes`, ["Case", "ms"], rows);
