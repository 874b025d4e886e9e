/**
 * Issue 15: jobs hold `triggers` (a list) since jobs.json schema 2 and export format 2. A
 * store and an export written before still load, with nothing lost, on a real daemon.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { JobView } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";
import { storedJob } from "../support/records.mjs";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

/** A job as Sundial before issue 15 stored and exported it: one `trigger`. */
function asVersion1<T extends { triggers: unknown[] }>(job: T): Omit<T, "triggers"> & { trigger: unknown } {
  const { triggers, ...rest } = job;
  return { ...rest, trigger: triggers[0] };
}

describe("a jobs.json of schema version 1", () => {
  test("is migrated at the first start: every job keeps every field, its trigger becomes a list of one, the original stays as jobs.json.v1.bak", async () => {
    const home = tempHome("v1-store");
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    const jobs = [
      storedJob(1, { name: "backup", env: { TARGET: "/mnt/nas" }, timeoutSeconds: 600, paused: true, retries: { count: 2, delaySeconds: 30, backoff: 2 } }),
      storedJob(2, { name: "poll", triggers: [{ type: "interval", version: 1, everySeconds: 900, anchor: "2025-03-01T09:00:00.000Z", jitterSeconds: 5 }], notify: "always" }),
    ];
    const original = JSON.stringify({ version: 1, settings: { notifications: false, defaultNotify: "never" }, jobs: jobs.map(asVersion1) });
    fs.writeFileSync(homePaths(home).jobs, original, { mode: 0o600 });

    const daemon = await startDaemon(home);
    const listed = await sundialJson<JobView[]>(["list", "--json"], { home });
    for (const job of jobs) {
      const view = listed.find((each) => each.id === job.id)!;
      expect(view).toMatchObject(job);
      expect(view).not.toHaveProperty("trigger");
    }
    expect((await sundialJson<Record<string, unknown>>(["settings", "--json"], { home }))).toMatchObject({ notifications: false, "default-notify": "never" });
    expect(fs.readFileSync(`${homePaths(home).jobs}.v1.bak`, "utf8")).toBe(original);
    expect(JSON.parse(fs.readFileSync(homePaths(home).jobs, "utf8"))).toMatchObject({ version: 2, jobs: jobs.map((job) => ({ id: job.id, triggers: job.triggers })) });
    expect(daemon.stderr()).toMatch(/migrated from schema version 1 to 2; the original is kept as .*jobs\.json\.v1\.bak/);
    await daemon.stop();
  }, 60_000);
});

describe("export files", () => {
  let source: string;
  let target: string;

  beforeAll(async () => {
    source = tempHome("v2-export");
    target = tempHome("v2-import");
    await Promise.all([startDaemon(source), startDaemon(target)]);
  }, 60_000);

  test("a version 1 export imports with its state: each trigger becomes a list of one", async () => {
    const file = path.join(tempHome("v1-export-file"), "export.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const cron = { type: "cron", expression: "0 3 * * *", timezone: "Europe/Paris" };
    const done = { type: "date", at: "2020-01-01T00:00:00.000Z" };
    fs.writeFileSync(
      file,
      JSON.stringify({
        sundialExport: 1,
        exportedAt: "2025-06-01T00:00:00.000Z",
        jobs: [
          { name: "old-cron", trigger: cron, command: "echo cron", env: { A: "1" }, paused: true, finished: false },
          { name: "old-once", trigger: done, command: "echo once", finished: true },
        ],
      }),
    );
    const imported = await sundial(["import", file], { home: target });
    expect(imported.code, imported.stderr).toBe(0);
    const jobs = await sundialJson<JobView[]>(["list", "--json"], { home: target });
    expect(jobs.find((job) => job.name === "old-cron")).toMatchObject({ triggers: [cron], env: { A: "1" }, paused: true, finished: false });
    expect(jobs.find((job) => job.name === "old-once")).toMatchObject({ triggers: [done], finished: true });
  }, 60_000);

  test("export writes format 2 with triggers; a chain names its parent, and is linked again in the home it is imported into", async () => {
    for (const args of [
      ["fetch", "--cron", "0 6 * * *", "--on", "startup"],
      ["digest", "--after", "fetch:always", "--on", "wake"],
    ]) {
      const added = await sundial(["add", ...args, "--", "true"], { home: source });
      expect(added.code, added.stderr).toBe(0);
    }
    const exported = await sundial(["export"], { home: source });
    expect(exported.code, exported.stderr).toBe(0);
    const document = JSON.parse(exported.stdout) as { sundialExport: number; jobs: { name: string; triggers: unknown[] }[] };
    expect(document.sundialExport).toBe(2);
    expect(document.jobs.find((job) => job.name === "digest")!.triggers).toEqual([
      { type: "wake", version: 1 },
      { type: "after", version: 1, job: "fetch", on: "always" },
    ]);

    const file = path.join(tempHome("v2-export-file"), "export.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, exported.stdout);
    const imported = await sundial(["import", file], { home: target });
    expect(imported.code, imported.stderr).toBe(0);
    const fetch = await sundialJson<JobView>(["show", "fetch"], { home: target });
    const digest = await sundialJson<JobView>(["show", "digest"], { home: target });
    expect(digest.triggers[1]).toEqual({ type: "after", version: 1, job: fetch.id, on: "always" });
    expect(digest.problem).toBeNull();
    expect((await sundial(["show", "digest"], { home: target })).stdout).toMatch(/^Schedule: +on wake, and after fetch ends$/m);
  }, 60_000);

  test("a file from a newer Sundial is refused, naming the format", async () => {
    const file = path.join(tempHome("v9-export-file"), "export.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ sundialExport: 9, jobs: [] }));
    const imported = await sundial(["import", file], { home: target });
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/written by a newer Sundial \(export format 9; this Sundial reads formats 1 to 2\)/);
  }, 30_000);
});
