/**
 * Many jobs flooding their output at once through the real daemon: every capped log must
 * hold exactly the first and the last half of the cap (1 MiB by default) with the count of
 * what was dropped between, whatever the interleaving, and nothing may be left behind.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const HALF = 512 * 1024;

describe("output floods through the daemon", () => {
  test("20 jobs printing 3 MB each at once: every log keeps its first and last 512 KiB byte for byte, and no ring file is left", async () => {
    const home = tempHome("flood");
    const daemon = await startDaemon(home);
    // Each job prints its own numbered lines, so a byte from another run would show.
    const jobs = Array.from({ length: 20 }, (_, index) => `flood-${index}`);
    for (const [index, name] of jobs.entries()) {
      const added = await sundial(["add", name, "--every", "1h", "--", `seq -f '${index}:%08g' 1 300000`], { home });
      expect(added.code, added.stderr).toBe(0);
    }
    await Promise.all(jobs.map((name) => sundial(["run", name], { home })));
    const runs = await waitFor(async () => {
      const all = await sundialJson<Run[]>(["history", "--limit", "100"], { home });
      return all.length === jobs.length && all.every((run) => run.status !== "running") ? all : null;
    }, 60_000, "all floods to finish");

    for (const run of runs) {
      const index = Number(run.jobName.split("-")[1]);
      const expected = execFileSync("seq", ["-f", `${index}:%08g`, "1", "300000"], { maxBuffer: 16 * 1024 * 1024 });
      expect(run).toMatchObject({ status: "succeeded", outputBytes: expected.length });
      const log = fs.readFileSync(`${homePaths(home).logs}/${run.id}.log`);
      const marker = Buffer.from(`\n[… ${expected.length - 2 * HALF} bytes omitted …]\n`);
      expect(log.subarray(0, HALF).equals(expected.subarray(0, HALF)), `head of ${run.jobName}`).toBe(true);
      expect(log.subarray(HALF, HALF + marker.length).toString()).toBe(marker.toString());
      expect(log.subarray(HALF + marker.length).equals(expected.subarray(expected.length - HALF)), `tail of ${run.jobName}`).toBe(true);
    }
    expect(fs.readdirSync(homePaths(home).logs).filter((name) => !name.endsWith(".log"))).toEqual([]);
    await daemon.stop();
  }, 120_000);
});
