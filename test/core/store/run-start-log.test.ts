/**
 * starts.jsonl (electron/core/store/run-start-log.ts): what a restart concludes from the
 * entries the last engine left open. The kill -9 rounds against the real daemon are in
 * test/faults/start-on-the-second.test.ts; a reboot cannot be made there, so it is here, as a
 * file written by an engine of another boot.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonlRunHistory } from "../../../electron/core/store/jsonl-run-history.js";
import { recordCutStarts, RunStartLog, UNKNOWN_START_ERROR } from "../../../electron/core/store/run-start-log.js";
import { INTERRUPTED_ERROR } from "../../../electron/core/store/run-index.js";
import { makeRun, makeTempFolder, T0 } from "./store-fixtures.js";

const BOOT = "boot-a";
const SLOT = T0 + 60_000;

let dir: string;
let cleanup: () => Promise<void>;
let startsFile: string;
let historyFile: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempFolder("starts"));
  startsFile = path.join(dir, "starts.jsonl");
  historyFile = path.join(dir, "history.jsonl");
});
afterEach(() => cleanup());

/** An engine's start log, open for writing, on boot `boot`. */
async function writingLog(boot = BOOT): Promise<RunStartLog> {
  const log = new RunStartLog(startsFile, () => {}, boot);
  await log.open();
  await log.reset();
  return log;
}

/** What the next engine start records, on boot `boot`, with `runs` already in the history. */
async function restart(boot: string, runs = [] as ReturnType<typeof makeRun>[]) {
  const history = new JsonlRunHistory(historyFile);
  await history.open(new Date(SLOT));
  for (const run of runs) await history.record(run);
  const recorded = await recordCutStarts(await new RunStartLog(startsFile, () => {}, boot).open(), history, boot);
  const all = history.list({ limit: 100 });
  await history.close();
  return { recorded, all };
}

describe("RunStartLog, read by the next start", () => {
  it("a released run missing from the history is recorded as interrupted, with its job and slot", async () => {
    const log = await writingLog();
    expect(await log.prepare("r_1", "j_1", "backup", SLOT)!.whenDurable).toBe(true);
    log.releasedAll(["r_1"]);
    const { recorded, all } = await restart(BOOT);
    expect(recorded.map((run) => [run.id, run.jobId, run.jobName, run.status, run.reason, run.scheduledAt, run.error])).toEqual([
      ["r_1", "j_1", "backup", "interrupted", "schedule", new Date(SLOT).toISOString(), INTERRUPTED_ERROR],
    ]);
    expect(all.map((run) => run.id)).toEqual(["r_1"]);
  });

  it("a prepared run never released did not start on the same boot: nothing is recorded, catch-up decides", async () => {
    const log = await writingLog();
    await log.prepare("r_1", "j_1", "backup", SLOT)!.whenDurable;
    const { recorded, all } = await restart(BOOT);
    expect(recorded).toEqual([]);
    expect(all).toEqual([]);
  });

  it("after a reboot an unreleased entry may have lost its released line: recorded as interrupted, never run again", async () => {
    const log = await writingLog("boot-before-the-power-cut");
    await log.prepare("r_1", "j_1", "backup", SLOT)!.whenDurable;
    const { recorded } = await restart(BOOT);
    expect(recorded.map((run) => [run.id, run.status, run.error])).toEqual([["r_1", "interrupted", UNKNOWN_START_ERROR]]);
  });

  it("an entry whose run is in the history, or that was settled, changes nothing", async () => {
    const log = await writingLog();
    await log.prepare("r_1", "j_1", "backup", SLOT)!.whenDurable;
    log.releasedAll(["r_1"]);
    await log.prepare("r_2", "j_1", "backup", SLOT + 1_000)!.whenDurable;
    log.settled("r_2"); // discarded unreleased (an edit, a pause)
    const inHistory = makeRun("r_1", "j_1", 1, { status: "succeeded", scheduledAt: new Date(SLOT).toISOString() });
    const { recorded, all } = await restart("another-boot", [inHistory]);
    expect(recorded).toEqual([]);
    expect(all.map((run) => [run.id, run.status])).toEqual([["r_1", "succeeded"]]);
  });

  it("a torn last line (kill -9 mid-write) was never acted on and is ignored", async () => {
    const log = await writingLog();
    await log.prepare("r_1", "j_1", "backup", SLOT)!.whenDurable;
    await log.close();
    fs.appendFileSync(startsFile, '{"released":"r_');
    expect(await new RunStartLog(startsFile, () => {}, BOOT).open()).toEqual([{ runId: "r_1", jobId: "j_1", jobName: "backup", slot: SLOT, boot: BOOT, released: false }]);
  });

  it("stays small: settled entries are dropped when the file grows, open ones are kept and made durable again", async () => {
    const log = await writingLog();
    const open = log.prepare("r_open", "j_1", "backup", SLOT)!;
    await open.whenDurable;
    for (let index = 0; index < 600; index++) {
      const id = `r_${index}`;
      await log.prepare(id, "j_2", "every second", SLOT + index * 1_000)!.whenDurable;
      log.releasedAll([id]);
      log.settled(id);
    }
    expect(fs.statSync(startsFile).size).toBeLessThan(64 * 1024);
    expect(await open.whenDurable).toBe(true);
    expect(open.durable).toBe(true);
    expect((await new RunStartLog(startsFile, () => {}, BOOT).open()).map((entry) => entry.runId)).toEqual(["r_open"]);
    await log.close();
  });

  it("a clean close with nothing open leaves an empty file", async () => {
    const log = await writingLog();
    await log.prepare("r_1", "j_1", "backup", SLOT)!.whenDurable;
    log.releasedAll(["r_1"]);
    log.settled("r_1");
    await log.close();
    expect(fs.readFileSync(startsFile, "utf8")).toBe("");
  });
});
