/**
 * kill -9 of the daemon around the second its runs are due (issue 12). A prepared run is
 * released after one written, not fsynced, line of starts.jsonl, and its history record is
 * made durable after the release (electron/core/store/run-start-log.ts). Whatever moment the
 * kill lands on, a slot never runs twice and a run that ran is never missing from the history:
 * it is there as succeeded, or as interrupted when the kill cut it before its end was recorded.
 * Catch-up `all` is the policy most eager to run a slot again; `once` runs the latest missed.
 * Half the jobs run in bash, whose prepared process is bash itself waiting in the gate file;
 * the others wait in the /bin/sh gate.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { JsonlRunHistory } from "../../electron/core/store/jsonl-run-history.js";
import type { Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, sleep, startDaemon, stopAllDaemons, sundial, tempHome } from "../support/cli.js";
import { seededRandom, testSeed } from "../support/random.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const ROUNDS = 16;
const JOBS = [
  { name: "all-1", catchUp: "all", shell: [] },
  { name: "all-2", catchUp: "all", shell: ["--shell", "/bin/bash"] },
  { name: "once-1", catchUp: "once", shell: [] },
  { name: "once-2", catchUp: "once", shell: ["--shell", "/bin/bash"] },
];

/** Every history record, read as the next engine start reads it. */
async function historyRuns(home: string): Promise<Run[]> {
  const history = new JsonlRunHistory(homePaths(home).history);
  await history.open(new Date());
  const runs = history.list({ limit: 1_000_000 });
  await history.close();
  return runs;
}

describe("kill -9 of the daemon around the due second", () => {
  test(`${ROUNDS} rounds: no slot runs twice, and every run that ran is in the history`, async () => {
    const seed = testSeed();
    const random = seededRandom(seed);
    const home = tempHome("start-on-the-second");
    const ran = path.join(home, "ran.txt");
    fs.writeFileSync(ran, "");
    let daemon = await startDaemon(home);
    for (const job of JOBS) {
      const command = `echo "${job.name} $SUNDIAL_SCHEDULED_AT $SUNDIAL_RUN_ID" >> ${ran}`;
      const added = await sundial(["add", job.name, "--cron", "* * * * * *", "--tz", "UTC", "--catch-up", job.catchUp, ...job.shell, "--", command], { home });
      expect(added.code, added.stderr).toBe(0);
    }

    const kills: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A few slots with processes prepared ahead, then a kill within 30 ms of a due second:
      // before the release, between the release and the durable record, or just after it.
      const second = Math.ceil((Date.now() + 2_500 + random() * 2_000) / 1000) * 1000;
      const offset = Math.round(-10 + random() * 40);
      await sleep(second + offset - Date.now());
      await daemon.kill9();
      kills.push(offset);
      daemon = await startDaemon(home);
    }
    // The last start's catch-up is over, and a few slots ran normally after it.
    await sleep(2_500);
    expect(await daemon.stop()).toBe(0);

    const context = `seed ${seed} (SUNDIAL_TEST_SEED=${seed} replays it), kills at ${kills.join(", ")} ms from a second`;
    const lines = fs
      .readFileSync(ran, "utf8")
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => {
        const [name, slot, runId] = line.split(" ");
        return { name: name!, slot: slot!, runId: runId! };
      });
    const slots = new Map<string, number>();
    for (const line of lines) slots.set(`${line.name} ${line.slot}`, (slots.get(`${line.name} ${line.slot}`) ?? 0) + 1);
    const twice = [...slots].filter(([, count]) => count > 1).map(([slot]) => slot);
    expect(twice, `slots that ran more than once; ${context}`).toEqual([]);

    const runs = new Map((await historyRuns(home)).map((run) => [run.id, run]));
    const missing = lines.filter((line) => !runs.has(line.runId)).map((line) => `${line.name} ${line.slot} ${line.runId}`);
    expect(missing, `runs that ran and are not in the history; ${context}`).toEqual([]);
    for (const line of lines) {
      const run = runs.get(line.runId)!;
      expect([run.jobName, run.scheduledAt && new Date(run.scheduledAt).toISOString(), ["succeeded", "interrupted"].includes(run.status)], context).toEqual([line.name, new Date(line.slot).toISOString(), true]);
    }
    // Nothing is left `running`: the clean stop recorded the end of whatever was still going.
    expect([...runs.values()].filter((run) => run.status === "running"), context).toEqual([]);
    expect(lines.length, context).toBeGreaterThan(ROUNDS * JOBS.length);
  }, 300_000);
});
