#!/usr/bin/env node
// Delivery lateness (issue 16): do deliveries to a dead receiver delay runs? N jobs fail every
// second; in the second case each names a webhook channel (carrying every event) and has a ping
// URL, both pointing at a local port that accepts connections and closes them unanswered (a
// receiver that is down), so every run makes 3 deliveries that fail and are retried. Lateness
// = a run's start − its slot, from the history, over the runs whose slot falls in the window.
import net from "node:net";
import { apiClient, fmt, makeHome, printTable, quick, removeHomes, sleep, startDaemon, storedJob, summary, writeJobsFile } from "./support.js";

const jobs = Number(process.env.BENCH_DELIVERY_JOBS ?? (quick ? 10 : 20));
const windowSeconds = quick ? 5 : 15;
const warmUpSeconds = 3;

async function deadReceiver() {
  let attempts = 0;
  const server = net.createServer((socket) => {
    attempts++;
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: server.address().port, attempts: () => attempts, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function measure(label, dead) {
  const home = makeHome("bench-delivery");
  const url = dead ? `http://127.0.0.1:${dead.port}` : null;
  const anchor = new Date(Date.now() + 1000).toISOString();
  const definitions = Array.from({ length: jobs }, (_, index) =>
    storedJob(index, {
      triggers: [{ type: "interval", version: 1, everySeconds: 1, anchor }],
      command: "exit 1",
      ...(url ? { channels: ["dead"], pingUrl: `${url}/ping/${index}` } : {}),
    }),
  );
  writeJobsFile(home, definitions, url ? { channels: [{ name: "dead", type: "webhook", url: `${url}/hook`, preset: "generic", events: ["failure", "success", "alert", "recovery"] }] } : {});
  const daemon = await startDaemon(home);
  const from = Date.now() + warmUpSeconds * 1000;
  await sleep((warmUpSeconds + windowSeconds) * 1000);
  const client = await apiClient(home);
  const status = await client.status();
  const runs = await client.history({ limit: 100_000 });
  await daemon.stop();
  const lateness = runs
    .filter((run) => run.scheduledAt && run.startedAt && Date.parse(run.scheduledAt) >= from && Date.parse(run.scheduledAt) < from + windowSeconds * 1000)
    .map((run) => Date.parse(run.startedAt) - Date.parse(run.scheduledAt));
  const missed = runs.filter((run) => run.status === "missed" || run.status === "skipped").length;
  const failing = status.channels.filter((channel) => channel.health.state === "failing").length + status.pings.filter((ping) => ping.health.state === "failing").length;
  const { count, p50, p99, max } = summary(lateness);
  return [label, String(count), fmt(p50, 0), fmt(p99, 0), fmt(max, 0), String(missed), dead ? String(dead.attempts()) : "—", String(failing)];
}

const rows = [await measure("no channels", null)];
const dead = await deadReceiver();
rows.push(await measure("webhook + ping URL, receiver down", dead));
await dead.close();
printTable(`Delivery lateness: ${jobs} jobs failing every second, ${windowSeconds} s window (ms)`, ["case", "runs", "p50", "p99", "max", "skipped/missed", "delivery attempts", "failing destinations"], rows);
removeHomes();
