/**
 * Issue 10, item 6: 10 parallel `sundial add dup …` created 10 jobs named `dup`. Real CLI
 * processes against a real daemon: whatever the interleaving, one name is one job.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe("names stay unique under parallel CLI calls", () => {
  let home: string;
  beforeAll(async () => {
    home = tempHome("names");
    await startDaemon(home);
  }, 60_000);

  test("10 parallel adds of one name: one succeeds, nine exit 2 naming NAME", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => sundial(["add", "dup", "--cron", "0 3 * * *", "--", `echo ${index}`], { home })));
    expect(results.filter((result) => result.code === 0)).toHaveLength(1);
    for (const result of results.filter((candidate) => candidate.code !== 0)) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/^NAME: a job named "dup" already exists/m);
    }
    const jobs = await sundialJson<JobView[]>(["list"], { home });
    expect(jobs.filter((job) => job.name === "dup")).toHaveLength(1);
  }, 60_000);

  test("8 parallel renames onto one name: one succeeds", async () => {
    for (let index = 0; index < 8; index++) {
      const added = await sundial(["add", `r${index}`, "--cron", "0 3 * * *", "--", "true"], { home });
      expect(added.code, added.stderr).toBe(0);
    }
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => sundial(["edit", `r${index}`, "--name", "renamed"], { home })));
    expect(results.filter((result) => result.code === 0)).toHaveLength(1);
    const names = (await sundialJson<JobView[]>(["list"], { home })).map((job) => job.name);
    expect(names.filter((name) => name === "renamed")).toHaveLength(1);
    expect(names.filter((name) => /^r\d$/.test(name))).toHaveLength(7);
  }, 60_000);
});
