/**
 * Issue 10, item 1: a trigger whose fire times leave the representable range. At the edge it
 * is refused (exit 2 naming the option, nothing stored); a jobs.json that already holds one
 * (written straight to disk here, bypassing validation) still starts: that job is shown as
 * broken with the reason, and the other jobs keep running.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { JobView } from "../../electron/shared/schemas.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const BAD_INPUT = 2;

describe("a trigger out of range at the edge", () => {
  let home: string;
  beforeAll(async () => {
    home = tempHome("range");
    await startDaemon(home);
  }, 60_000);

  test.each([
    ["an interval of 100,000,000 days", ["--every", "100000000d"], /^--every: .*at most/],
    ["an interval of 2^53 − 1 seconds", ["--every", "9007199254740991"], /^--every: .*at most/],
    ["a date with an offset past +14:00", ["--at", "2099-12-05T10:00+25:00"], /^--at: /],
    ["a date in year 10000 and beyond", ["--at", "9999-12-31T23:00-14:00"], /^--at: /],
  ])("%s is refused with exit 2 naming the option, and nothing is stored", async (_what, schedule, message) => {
    const result = await sundial(["add", "huge", ...schedule, "--", "true"], { home });
    expect(result.code, result.stderr).toBe(BAD_INPUT);
    expect(result.stderr.trim().split("\n")[0]).toMatch(message);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const jobs = await sundialJson<JobView[]>(["list"], { home });
    expect(jobs.map((job) => job.name)).not.toContain("huge");
  });

  test("an imported job whose date or anchor lies beyond the range is refused, naming the field", async () => {
    const file = path.join(home, "import.json");
    fs.writeFileSync(
      file,
      JSON.stringify([
        { name: "far-date", command: "true", trigger: { type: "date", at: "+275760-09-13T00:00:00.000Z" } },
        { name: "far-anchor", command: "true", trigger: { type: "interval", everySeconds: 60, anchor: "+275760-09-13T00:00:00.000Z" } },
        { name: "huge-every", command: "true", trigger: { type: "interval", everySeconds: Number.MAX_SAFE_INTEGER } },
      ]),
    );
    const result = await sundial(["import", file], { home });
    expect(result.code, result.stderr).toBe(BAD_INPUT);
    expect(result.stderr).toMatch(/job 1 "far-date": trigger\.at: must lie between the years 1970 and 9999/);
    expect(result.stderr).toMatch(/job 2 "far-anchor": trigger\.anchor: must lie between the years 1970 and 9999/);
    expect(result.stderr).toMatch(/job 3 "huge-every": trigger\.everySeconds: must be at most/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const jobs = await sundialJson<JobView[]>(["list"], { home });
    expect(jobs).toEqual([]);
  });
});

describe("a jobs.json that already holds out-of-range triggers", () => {
  test("starts; each such job is shown as broken with its reason, and the other jobs run", async () => {
    // A real jobs.json, written by the engine: one good job that fires every second.
    const home = tempHome("range-store");
    const first = await startDaemon(home);
    const added = await sundial(["add", "good", "--every", "1s", "--", "true"], { home });
    expect(added.code, added.stderr).toBe(0);
    await first.stop();

    const file = homePaths(home).jobs;
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { jobs: Record<string, unknown>[] };
    const good = data.jobs[0]!;
    const broken = (id: string, name: string, trigger: Record<string, unknown>) => ({ ...good, id, name, triggers: [trigger] });
    data.jobs.push(
      broken("j-every", "huge-every", { type: "interval", version: 1, everySeconds: Number.MAX_SAFE_INTEGER, anchor: "2026-01-01T00:00:00.000Z" }),
      broken("j-every2", "huge-days", { type: "interval", version: 1, everySeconds: 100_000_000 * 86_400, anchor: "2026-01-01T00:00:00.000Z" }),
      broken("j-anchor", "far-anchor", { type: "interval", version: 1, everySeconds: 60, anchor: "+275760-09-13T00:00:00.000Z" }),
      broken("j-at", "far-date", { type: "date", version: 1, at: "+275760-09-13T00:00:00.001Z" }),
    );
    fs.writeFileSync(file, JSON.stringify(data));

    const daemon = await startDaemon(home);
    const jobs = await sundialJson<JobView[]>(["list"], { home });
    const byName = new Map(jobs.map((job) => [job.name, job]));
    expect([...byName.keys()].sort()).toEqual(["far-anchor", "far-date", "good", "huge-days", "huge-every"]);
    expect(byName.get("good")!.problem).toBeNull();
    expect(byName.get("good")!.nextRunAt).not.toBeNull();
    for (const name of ["far-anchor", "far-date", "huge-days", "huge-every"]) {
      const job = byName.get(name)!;
      expect(job.nextRunAt, name).toBeNull();
      expect(job.problem, name).toMatch(/triggers\[0\]\.(everySeconds|anchor|at)/);
    }

    // Every face answers: the table, show, remove; the good job keeps running.
    const table = await sundial(["list"], { home });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/broken\s+huge-every/);
    const show = await sundial(["show", "far-date"], { home });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^Problem: +triggers\[0\]\.at: /m);
    const removed = await sundial(["remove", "huge-every"], { home });
    expect(removed.code, removed.stderr).toBe(0);
    await waitFor(async () => (await sundialJson<JobView>(["show", "good"], { home })).lastRun?.status === "succeeded", 15_000, "the good job ran");

    expect(daemon.stderr()).toMatch(/"huge-days".*will not run/);
    expect(hasStackTrace(daemon.stderr())).toBe(false);
    expect(await daemon.stop()).toBe(0);
  }, 60_000);
});
