/**
 * Issue 13, item 2: an export carries each job's state (paused, finished) and any export
 * imports into a fresh home. A home with every kind of job is built through the real daemon
 * and CLI, exported, imported into fresh homes by other daemons, and the jobs compared.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ImportedJob, JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

let source: string;
let exportFile: string;
let exported: { sundialExport: number; jobs: ImportedJob[] };

const inSeconds = (seconds: number): string => new Date(Date.now() + seconds * 1000).toISOString();

/** Runs a CLI command that must succeed. */
async function ok(args: string[], home: string): Promise<string> {
  const result = await sundial(args, { home });
  expect(result.code, `sundial ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

const jobsOf = async (home: string): Promise<Record<string, JobView>> =>
  Object.fromEntries((await sundialJson<JobView[]>(["list"], { home })).map((job) => [job.name, job]));

/** A job's definition and state: what an export must carry (ids, times and runs are the home's own). */
function definitionAndState(job: JobView) {
  const { id: _id, createdAt: _created, updatedAt: _updated, lastRun: _last, runningRunIds: _running, nextRunAt: _next, ...rest } = job;
  return rest;
}

beforeAll(async () => {
  await ensureBuilt();
  source = tempHome("export-state");
  exportFile = path.join(source, "export.json");
  const workFolder = tempHome("export-state-cwd");
  await startDaemon(source);
  const inAYear = inSeconds(365 * 86_400);
  await ok(["add", "once-done", "--at", inSeconds(3), "--", "echo done"], source);
  await ok(
    ["add", "backup", "--cron", "0 3 * * 1-5", "--tz", "Europe/Paris", "--timeout", "1h", "--cwd", workFolder, "--env", "TARGET=/mnt/backup", "--env", "MODE=full",
      "--overlap", "queue", "--catch-up", "all", "--retries", "2", "--retry-delay", "5m", "--notify", "always", "--", "rsync -a ~/docs \"$TARGET\""],
    source,
  );
  await ok(["add", "sync", "--every", "15m", "--overlap", "parallel", "--catch-up", "skip", "--notify", "never", "--", "git pull"], source);
  await ok(["add", "later", "--at", inAYear, "--", "echo later"], source);
  await ok(["add", "resting", "--cron", "*/5 * * * *", "--paused", "--", "echo resting"], source);
  await ok(["add", "later-paused", "--at", inAYear, "--paused", "--", "echo later"], source);
  // The CLI cannot set an interval's window or jitter yet: an import sets them, through the same engine.
  const seed = path.join(source, "seed.json");
  fs.writeFileSync(
    seed,
    JSON.stringify({
      jobs: [
        { name: "windowed", trigger: { type: "interval", everySeconds: 600, start: inSeconds(3600), end: inSeconds(30 * 86_400), jitterSeconds: 30 }, command: "echo windowed" },
        { name: "ending", trigger: { type: "interval", everySeconds: 2, end: inSeconds(4) }, command: "true" },
      ],
    }),
  );
  await ok(["import", seed], source);
  // The one-off job runs and the interval passes its end: both finished.
  await waitFor(async () => {
    const jobs = await jobsOf(source);
    return jobs["once-done"]!.finished && jobs["once-done"]!.lastRun?.status === "succeeded" && jobs.ending!.finished;
  }, 60_000, "the one-off job to run and the interval to end");
  await ok(["export", exportFile], source);
  exported = JSON.parse(fs.readFileSync(exportFile, "utf8")) as typeof exported;
}, 240_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe("an export of every kind of job", () => {
  test("carries each job's state: finished and paused", () => {
    const state = Object.fromEntries(exported.jobs.map((job) => [job.name, { paused: job.paused, finished: job.finished }]));
    expect(state).toEqual({
      "once-done": { paused: false, finished: true },
      backup: { paused: false, finished: false },
      sync: { paused: false, finished: false },
      later: { paused: false, finished: false },
      resting: { paused: true, finished: false },
      "later-paused": { paused: true, finished: false },
      windowed: { paused: false, finished: false },
      ending: { paused: false, finished: true },
    });
  });

  test("imports into a fresh home with the same definitions and state, and the finished jobs do not run again", async () => {
    const target = tempHome("import-state");
    await startDaemon(target);
    const imported = await sundial(["import", exportFile], { home: target });
    expect(imported).toMatchObject({ code: 0, stdout: `Imported 8 jobs from ${exportFile}\n`, stderr: "" });

    const [original, copy] = await Promise.all([jobsOf(source), jobsOf(target)]);
    expect(Object.keys(copy).sort()).toEqual(Object.keys(original).sort());
    for (const name of Object.keys(original)) expect(definitionAndState(copy[name]!), name).toEqual(definitionAndState(original[name]!));
    // Jitter is seeded by the job's id: every other next run is the same instant.
    for (const name of Object.keys(original).filter((name) => name !== "windowed")) expect(copy[name]!.nextRunAt, name).toBe(original[name]!.nextRunAt);
    expect(copy["once-done"]).toMatchObject({ finished: true, nextRunAt: null, triggers: original["once-done"]!.triggers });
    expect(copy.backup).toMatchObject({ env: { TARGET: "/mnt/backup", MODE: "full" }, timeoutSeconds: 3600, cwd: original.backup!.cwd, retries: { count: 2, delaySeconds: 300 } });
    expect(copy.windowed!.triggers).toMatchObject([{ type: "interval", everySeconds: 600, jitterSeconds: 30 }]);

    // Nothing was due in the copy: a finished job imported as due would have run at once.
    expect(await sundialJson<Run[]>(["history"], { home: target })).toEqual([]);
  });

  test("written before exports carried state still imports: jobs with no runs left come back finished, with a note", async () => {
    const oldFile = path.join(source, "old-export.json");
    fs.writeFileSync(oldFile, JSON.stringify({ ...exported, jobs: exported.jobs.map(({ finished: _finished, ...job }) => job) }));
    const target = tempHome("import-old");
    await startDaemon(target);
    const imported = await sundial(["import", oldFile], { home: target });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe(`Imported 8 jobs from ${oldFile}\n`);
    const notes = imported.stderr.trim().split("\n");
    expect(notes).toHaveLength(2);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^note: job \d "ending" \(Every 2 seconds.*\) has no runs left; imported as finished/),
        expect.stringMatching(/^note: job \d "once-done" \(Once at .+\) has no runs left; imported as finished/),
      ]),
    );
    const copy = await jobsOf(target);
    expect(Object.fromEntries(Object.values(copy).map((job) => [job.name, job.finished]))).toMatchObject({ "once-done": true, ending: true, later: false, backup: false });
  });

  test("a job marked finished whose schedule still has runs to come is refused, naming the job and the field, and nothing is imported", async () => {
    const target = tempHome("import-contradiction");
    await startDaemon(target);
    const file = path.join(source, "contradiction.json");
    const jobs = exported.jobs.map((job) => (job.name === "later" ? { ...job, finished: true } : job));
    fs.writeFileSync(file, JSON.stringify({ ...exported, jobs }));
    const result = await sundial(["import", file], { home: target });
    expect(result.code).toBe(2);
    const position = jobs.findIndex((job) => job.name === "later") + 1;
    expect(result.stderr).toContain(`${file}: job ${position} "later": finished: is true, but its schedule still has runs to come`);
    expect(result.stderr.trim().split("\n")).toHaveLength(2);
    expect(result.stderr).toContain("Nothing was imported.");
    expect(await sundialJson<JobView[]>(["list"], { home: target })).toEqual([]);
  });
});
