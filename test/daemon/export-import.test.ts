import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView } from "../../electron/shared/schemas.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

let source: string;
let target: string;
let exportFile: string;

beforeAll(async () => {
  await ensureBuilt();
  source = tempHome("export");
  target = tempHome("import");
  exportFile = path.join(source, "jobs-export.json");
  await Promise.all([startDaemon(source), startDaemon(target)]);
  const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const jobs = [
    ["add", "backup", "--cron", "0 3 * * 1-5", "--tz", "Europe/Paris", "--timeout", "1h", "--retries", "2", "--retry-delay", "5m", "--", "rsync", "-a", "my docs", "/mnt/backup"],
    ["add", "sync", "--every", "15m", "--env", "GIT_DIR=/tmp/x", "--overlap", "queue", "--catch-up", "skip", "--notify", "always", "--", "git pull"],
    ["add", "later", "--at", inAYear, "--paused", "--cwd", "/tmp", "--", "echo later"],
  ];
  for (const args of jobs) {
    const result = await sundial(args, { home: source });
    expect(result.code, result.stderr).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

/** What a job is, without what the engine derived or assigned. */
function definition(job: JobView) {
  const { id: _id, createdAt: _created, updatedAt: _updated, nextRunAt: _next, lastRun: _last, runningRunIds: _running, finished: _finished, ...rest } = job;
  return rest;
}

describe("export and import", () => {
  test("round-trip every job's definition into another home", async () => {
    const written = await sundial(["export", exportFile], { home: source });
    expect(written).toMatchObject({ code: 0, stderr: `Exported 3 jobs to ${exportFile}\n` });
    expect(fs.statSync(exportFile).mode & 0o777).toBe(0o600);
    const toStdout = await sundial(["export"], { home: source });
    expect(JSON.parse(toStdout.stdout).jobs).toEqual(JSON.parse(fs.readFileSync(exportFile, "utf8")).jobs);

    const imported = await sundial(["import", exportFile], { home: target });
    expect(imported).toMatchObject({ code: 0, stdout: `Imported 3 jobs from ${exportFile}\n` });
    const byName = (jobs: JobView[]) => Object.fromEntries(jobs.map((job) => [job.name, definition(job)]));
    const original = byName(await sundialJson<JobView[]>(["list"], { home: source }));
    const copy = byName(await sundialJson<JobView[]>(["list"], { home: target }));
    expect(copy).toEqual(original);
    expect(original.backup!.command).toBe("rsync -a 'my docs' /mnt/backup");
  });

  test("importing the same jobs again is refused as a whole, naming each clash", async () => {
    const before = (await sundial(["list", "--json"], { home: target })).stdout;
    const again = await sundial(["import", exportFile], { home: target });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`job 1 "backup": name: a job named "backup" already exists`);
    expect(again.stderr).toContain("Nothing was imported.");
    expect((await sundial(["list", "--json"], { home: target })).stdout).toBe(before);
  });

  test("one bad job rejects the whole import, naming it by position and name", async () => {
    const before = (await sundial(["list", "--json"], { home: target })).stdout;
    const file = path.join(target, "mixed.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        jobs: [
          { name: "fine", trigger: { type: "interval", everySeconds: 60 }, command: "true" },
          { name: "broken", trigger: { type: "cron", expression: "61 * * * *" }, command: "true" },
          { name: "empty", trigger: { type: "interval", everySeconds: 0 }, command: " " },
        ],
      }),
    );
    const result = await sundial(["import", file], { home: target });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/job 2 "broken": trigger\.expression: /);
    expect(result.stderr).toMatch(/job 3 "empty": trigger\.everySeconds: /);
    expect(result.stderr).toMatch(/job 3 "empty": command: must not be empty/);
    expect(result.stderr).not.toMatch(/job 1/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect((await sundial(["list", "--json"], { home: target })).stdout).toBe(before);
  });

  test("a file that is not an export is refused with one line", async () => {
    const file = path.join(target, "garbage.json");
    fs.writeFileSync(file, "{ nope");
    const result = await sundial(["import", file], { home: target });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(`${file} is not valid JSON`);
    const missing = await sundial(["import", path.join(target, "missing.json")], { home: target });
    expect(missing.stderr).toMatch(/cannot read .*missing\.json \(ENOENT\)/);
  });
});
