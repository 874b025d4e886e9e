/**
 * 200 jobs due on one slot start in the same millisecond: each run must still get its own id,
 * its own history record and its own log file (issue 10, item 2: ids were a millisecond plus
 * 16 random bits, and two runs of one slot shared a record and a log).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

test("200 jobs on one slot give 200 distinct run records and 200 log files", async () => {
  const home = tempHome("crowd");
  const daemon = await startDaemon(home);
  const jobs = 200;
  const at = new Date(Date.now() + 4_000).toISOString();
  const file = path.join(home, "crowd.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      sundialExport: 1,
      exportedAt: new Date().toISOString(),
      jobs: Array.from({ length: jobs }, (_, index) => ({ name: `crowd-${index}`, trigger: { type: "date", at }, command: 'echo "$SUNDIAL_RUN_ID"', notify: "never" })),
    }),
  );
  const imported = await sundial(["import", file], { home });
  expect(imported.code, imported.stderr).toBe(0);

  const runs = await waitFor(
    async () => {
      const listed = await sundialJson<Run[]>(["history", "--limit", "1000"], { home });
      return listed.length >= jobs && listed.every((run) => run.status !== "running") ? listed : null;
    },
    60_000,
    "every run of the slot to finish",
  );
  expect(runs).toHaveLength(jobs);
  expect(new Set(runs.map((run) => run.id)).size).toBe(jobs);
  expect(new Set(runs.map((run) => run.jobId)).size).toBe(jobs);
  expect(runs.every((run) => run.status === "succeeded")).toBe(true);

  const logs = fs.readdirSync(homePaths(home).logs).filter((name) => name.endsWith(".log"));
  expect(logs).toHaveLength(jobs);
  for (const run of runs) expect(fs.readFileSync(path.join(homePaths(home).logs, `${run.id}.log`), "utf8")).toBe(`${run.id}\n`);
  expect(await daemon.stop()).toBe(0);
}, 120_000);
