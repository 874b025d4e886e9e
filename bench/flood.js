#!/usr/bin/env node
// Output flood through the real `sundial daemon`:
//  1. one job writing 1 GB (quick: 200 MB) to stdout as fast as the pipe takes it: MB/s from
//     the run's duration, and how far the daemon's resident memory rose above its level
//     before the run (sampled every 25 ms);
//  2. 100 jobs started at once, each writing 4 MB (quick: 2 MB): time until all finished,
//     and the rise in resident memory.
// The log cap is the default (1 MiB per run: the head goes to disk, the tail stays in a ring).
import { performance } from "node:perf_hooks";
import path from "node:path";
import { apiClient, fmt, makeHome, printTable, quick, removeHomes, ROOT, rssMb, sampleRss, sleep, startDaemon } from "./support.js";

const FLOOD_BYTES = quick ? 200 * 2 ** 20 : 2 ** 30;
const MANY = 100;
const MANY_BYTES = quick ? 2 * 2 ** 20 : 4 * 2 ** 20;
const floodScript = path.join(ROOT, "test/fixtures/exec-flood.sh");

const home = makeHome("flood");
const daemon = await startDaemon(home);
const client = await apiClient(home);

async function waitFinished(runIds) {
  for (;;) {
    const runs = await Promise.all(runIds.map((id) => client.getRun(id)));
    if (runs.every((run) => run.status !== "running")) return runs;
    await sleep(100);
  }
}

await client.addJob({ name: "flood", trigger: { type: "interval", everySeconds: 86_400 }, command: `sh ${floodScript} ${FLOOD_BYTES}`, notify: "never" });
// A small run first, so that the launch path (login environment, first spawn) is warm.
await client.addJob({ name: "warm-up", trigger: { type: "interval", everySeconds: 86_400 }, command: "echo warm", notify: "never" });
await waitFinished([(await client.runNow("warm-up")).id]);
await sleep(1_000);

const rows = [];
{
  const baseline = rssMb(daemon.pid);
  const sampler = sampleRss(daemon.pid);
  const run = await client.runNow("flood");
  const [finished] = await waitFinished([run.id]);
  const peak = sampler.stop();
  const log = await client.runLog(run.id);
  if (finished.status !== "succeeded" || finished.outputBytes !== FLOOD_BYTES) throw new Error(`flood run ended ${finished.status} with ${finished.outputBytes} bytes`);
  rows.push([
    `1 job, ${FLOOD_BYTES / 2 ** 20} MB`,
    fmt(finished.durationMs / 1000, 2),
    fmt(FLOOD_BYTES / 2 ** 20 / (finished.durationMs / 1000), 0),
    fmt(baseline, 1),
    fmt(peak, 1),
    fmt(peak - baseline, 1),
    `${(Buffer.byteLength(log.text) / 1024).toFixed(0)} KB${log.truncated ? ", truncated" : ""}`,
  ]);
}
{
  for (let index = 0; index < MANY; index++) {
    await client.addJob({ name: `many ${index}`, trigger: { type: "interval", everySeconds: 86_400 }, command: `sh ${floodScript} ${MANY_BYTES}`, notify: "never" });
  }
  await sleep(1_000);
  const baseline = rssMb(daemon.pid);
  const sampler = sampleRss(daemon.pid);
  const startedAt = performance.now();
  const runs = await Promise.all(Array.from({ length: MANY }, (_, index) => client.runNow(`many ${index}`)));
  const finished = await waitFinished(runs.map((run) => run.id));
  const seconds = (performance.now() - startedAt) / 1000;
  const peak = sampler.stop();
  const failed = finished.filter((run) => run.status !== "succeeded" || run.outputBytes !== MANY_BYTES);
  if (failed.length > 0) throw new Error(`${failed.length} of the ${MANY} runs did not succeed with all their output`);
  rows.push([`${MANY} jobs at once, ${MANY_BYTES / 2 ** 20} MB each`, fmt(seconds, 2), fmt((MANY * MANY_BYTES) / 2 ** 20 / seconds, 0), fmt(baseline, 1), fmt(peak, 1), fmt(peak - baseline, 1), "1024 KB each"]);
}
await daemon.stop();
removeHomes();

printTable(
  "Output flood through the daemon to capped run logs (1 MiB cap per run)",
  ["case", "seconds", "MB/s", "RSS before MB", "RSS peak MB", "rise MB", "log kept"],
  rows,
);
