/**
 * Any export Sundial writes imports into a fresh home (issue 10, item 8): 6,001 jobs
 * (about 3 MB, over the 1 MiB a single request may otherwise carry) go through the real
 * CLI and the real daemon in one all-or-nothing import.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { JobView } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

const JOB_COUNT = 6_001;

let source: string;
let target: string;

beforeAll(async () => {
  await ensureBuilt();
  source = tempHome("big-export");
  target = tempHome("big-import");
  const now = new Date().toISOString();
  // Written directly (adding 6,001 jobs one by one would take minutes); shaped like a real store.
  const jobs = Array.from({ length: JOB_COUNT }, (_, index) => ({
    id: `j_${index.toString(16).padStart(8, "0")}`,
    name: `nightly report ${index}`,
    triggers: [{ type: "cron", version: 1, expression: `${index % 60} 3 * * *`, timezone: "Europe/Paris" }],
    command: `cd ~/reports && ./build-report.sh --section ${index} --format pdf --mail team@example.com`,
    env: { REPORT_SECTION: String(index), LANG: "C.UTF-8" },
    timeoutSeconds: 3600,
    overlap: "skip",
    catchUp: "once",
    retries: { count: 1, delaySeconds: 300, backoff: 1 },
    notify: "failure",
    paused: false,
    createdAt: now,
    updatedAt: now,
  }));
  fs.writeFileSync(homePaths(source).jobs, JSON.stringify({ version: 2, settings: {}, jobs }), { mode: 0o600 });
  await Promise.all([startDaemon(source, { readyTimeoutMs: 60_000 }), startDaemon(target)]);
}, 180_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe("a large export", () => {
  test("of 6,001 jobs imports into a fresh home with the real CLI", async () => {
    const file = path.join(source, "export.json");
    const exported = await sundial(["export", file], { home: source, timeoutMs: 60_000 });
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(2 * 1024 * 1024);

    const imported = await sundial(["import", file], { home: target, timeoutMs: 120_000 });
    expect(imported.stderr).toBe("");
    expect(imported).toMatchObject({ code: 0, stdout: `Imported ${JOB_COUNT} jobs from ${file}\n` });
    const jobs = await sundialJson<JobView[]>(["list"], { home: target, timeoutMs: 60_000 });
    expect(jobs).toHaveLength(JOB_COUNT);
    expect(jobs.find((job) => job.name === "nightly report 6000")).toMatchObject({ env: { REPORT_SECTION: "6000" }, timeoutSeconds: 3600 });
  }, 180_000);

  test("other requests keep the 1 MiB limit (413), and an import file over the import limit is refused by the CLI", async () => {
    // The declared size is enough: the answer comes before any of the body is sent.
    const response = await new Promise<number>((resolve, reject) => {
      const outgoing = http.request(
        { socketPath: homePaths(target).socket, path: "/api/addJob", method: "POST", headers: { "Content-Type": "application/json", "Content-Length": 1024 * 1024 + 1 }, agent: false },
        (incoming) => {
          incoming.resume();
          resolve(incoming.statusCode ?? 0);
          outgoing.destroy();
        },
      );
      outgoing.on("error", reject);
      outgoing.flushHeaders();
    });
    expect(response).toBe(413);

    const tooLarge = path.join(target, "too-large.json");
    fs.writeFileSync(tooLarge, JSON.stringify({ jobs: [{ name: "x", trigger: { type: "interval", everySeconds: 60 }, command: `echo ${"y".repeat(65 * 1024 * 1024)}` }] }));
    const refused = await sundial(["import", tooLarge], { home: target, timeoutMs: 60_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/too-large\.json is larger than 64 MiB/);
    expect(await sundialJson<JobView[]>(["list"], { home: target, timeoutMs: 60_000 })).toHaveLength(JOB_COUNT);
  }, 120_000);
});
