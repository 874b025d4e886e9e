import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { INTERRUPTED_ERROR, JsonlRunHistory } from "../../../electron/core/store/jsonl-run-history.js";
import { StoreWriteError } from "../../../electron/shared/errors.js";
import { makeRun, makeTempFolder, modeOf, T0, tempFilesOf } from "./store-fixtures.js";

const OPENED_AT = new Date("2025-03-10T12:00:00Z");

let dir: string;
let home: string;
let file: string;
let cleanup: () => Promise<void>;
const opened: JsonlRunHistory[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempFolder());
  home = path.join(dir, "Sundial");
  file = path.join(home, "history.jsonl");
});
afterEach(async () => {
  for (const history of opened.splice(0)) await history.close();
  await cleanup();
});

async function openHistory(): Promise<JsonlRunHistory> {
  const history = new JsonlRunHistory(file);
  opened.push(history);
  await history.open(OPENED_AT);
  return history;
}

async function reopen(history: JsonlRunHistory): Promise<JsonlRunHistory> {
  await history.close();
  return openHistory();
}

async function fileLines(): Promise<string[]> {
  return (await fs.readFile(file, "utf8")).split("\n").filter(Boolean);
}

async function writeLines(lines: string[], tail = ""): Promise<void> {
  await fs.mkdir(home, { recursive: true });
  await fs.writeFile(file, lines.map((line) => `${line}\n`).join("") + tail, { mode: 0o600 });
}

const runLine = (run: ReturnType<typeof makeRun>) => JSON.stringify({ run });

describe("JsonlRunHistory appending and replaying", () => {
  it("creates history.jsonl (0600) in a 0700 folder and appends one line per record", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_1", "j_a", 0, { status: "running", endedAt: null, exitCode: null, durationMs: null }));
    await history.record(makeRun("r_1", "j_a", 0));
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(home)).toBe(0o700);
    expect((await fileLines()).map((line) => (JSON.parse(line) as { run: { status: string } }).run.status)).toEqual(["running", "succeeded"]);
  });

  it("replays the newest record of each run after a restart", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_1", "j_a", 0, { status: "running", endedAt: null }));
    await history.record(makeRun("r_2", "j_a", 5));
    await history.record(makeRun("r_1", "j_a", 0, { status: "failed", exitCode: 3 }));
    const again = await reopen(history);
    expect(again.get("r_1")).toMatchObject({ status: "failed", exitCode: 3 });
    expect(again.list({ jobId: "j_a" }).map((run) => run.id)).toEqual(["r_2", "r_1"]);
    expect(again.warnings).toEqual([]);
  });

  it("resolves a record only once its line is in the file", async () => {
    const history = await openHistory();
    const seen: boolean[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        history.record(makeRun(`r_${index}`, "j_a", index)).then(() => seen.push(readFileSync(file, "utf8").includes(`"id":"r_${index}"`))),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 30 }, () => true));
  });

  it("coalesces concurrent records into a few appends and fsyncs", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_warmup", "j_a", 0));
    const probe = await fs.open(path.join(dir, "probe"), "w");
    const handlePrototype = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(handlePrototype, "datasync");
    try {
      await Promise.all(Array.from({ length: 200 }, (_, index) => history.record(makeRun(`r_${index}`, `j_${index % 7}`, index))));
      expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(datasync.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      datasync.mockRestore();
    }
    expect(await fileLines()).toHaveLength(201);
  });

  it("shows a record in get and list at once, before it is durable", async () => {
    const history = await openHistory();
    const pending = history.record(makeRun("r_1", "j_a", 0));
    expect(history.get("r_1")?.id).toBe("r_1");
    expect(history.lastRun("j_a")?.id).toBe("r_1");
    await pending;
  });
});

describe("JsonlRunHistory after a crash", () => {
  it("ignores a torn last line, trims it from the file, and appends cleanly after it", async () => {
    const first = runLine(makeRun("r_1", "j_a", 0));
    const second = runLine(makeRun("r_2", "j_a", 1));
    const torn = runLine(makeRun("r_3", "j_a", 2)).slice(0, 57);
    await writeLines([first, second], torn);

    const history = await openHistory();
    expect(history.get("r_3")).toBeNull();
    expect(history.list().map((run) => run.id)).toEqual(["r_2", "r_1"]);
    expect(history.warnings).toEqual(["history.jsonl: ignored an incomplete last line (57 bytes) left by an interrupted write"]);
    expect(await fs.readFile(file, "utf8")).toBe(`${first}\n${second}\n`);

    await history.record(makeRun("r_4", "j_a", 3));
    const again = await reopen(history);
    expect(again.list().map((run) => run.id)).toEqual(["r_4", "r_2", "r_1"]);
    expect(again.warnings).toEqual([]);
  });

  it("skips and counts damaged lines in the middle and keeps everything else", async () => {
    await writeLines([
      runLine(makeRun("r_1", "j_a", 0)),
      '{"run":{"id":"r_2","jobId":"j_a","sta',
      runLine(makeRun("r_3", "j_a", 2)),
      JSON.stringify({ run: { id: 42 } }),
      JSON.stringify({ something: "else" }),
      runLine(makeRun("r_6", "j_a", 5)),
    ]);
    const history = await openHistory();
    expect(history.list().map((run) => run.id)).toEqual(["r_6", "r_3", "r_1"]);
    expect(history.warnings).toEqual([
      "history.jsonl line 2: not valid JSON; skipped",
      "history.jsonl line 4: a run record without a valid id, jobId, status or reason; skipped",
      "history.jsonl line 5: neither a run nor a slot record; skipped",
    ]);
  });

  it("marks runs left running as interrupted, records that, and reports them once", async () => {
    await writeLines([
      runLine(makeRun("r_done", "j_a", 0)),
      runLine(makeRun("r_busy", "j_a", 10, { status: "running", endedAt: null, exitCode: null, durationMs: null })),
    ]);
    const history = new JsonlRunHistory(file);
    opened.push(history);
    const interrupted = await history.open(OPENED_AT);
    expect(interrupted).toEqual([
      { ...makeRun("r_busy", "j_a", 10), status: "interrupted", endedAt: null, exitCode: null, durationMs: null, error: INTERRUPTED_ERROR },
    ]);
    expect(history.get("r_busy")?.status).toBe("interrupted");
    await history.close();
    expect((await fileLines()).at(-1)).toContain('"status":"interrupted"');
    const later = new JsonlRunHistory(file);
    opened.push(later);
    expect(await later.open(OPENED_AT)).toEqual([]);
    expect(later.get("r_busy")).toMatchObject({ status: "interrupted", error: "Sundial stopped while this run was in progress" });
    expect(later.get("r_done")?.status).toBe("succeeded");
  });

  it("records a run left waiting for its conditions as skipped, not as a failure (issue 15)", async () => {
    await writeLines([runLine(makeRun("r_wait", "j_a", 10, { status: "waiting", startedAt: null, exitCode: null, durationMs: null, error: "waiting: on battery" }))]);
    const history = new JsonlRunHistory(file);
    opened.push(history);
    const [ended] = await history.open(OPENED_AT);
    expect(ended).toMatchObject({ id: "r_wait", status: "skipped", error: "Sundial stopped while it waited (on battery)" });
    await history.close();
    const later = new JsonlRunHistory(file);
    opened.push(later);
    expect(await later.open(OPENED_AT)).toEqual([]);
    expect(later.get("r_wait")?.status).toBe("skipped");
  });

  it("tightens a history.jsonl that others can read to 0600, with a warning", async () => {
    await writeLines([runLine(makeRun("r_1", "j_a", 0))]);
    await fs.chmod(file, 0o644);
    const history = await openHistory();
    expect(await modeOf(file)).toBe(0o600);
    expect(history.warnings).toEqual(["history.jsonl was readable by other users (mode 644); changed it to 600"]);
  });

  it("refuses a history.jsonl it cannot read at all with StoreCorruptError, and leaves it alone", async () => {
    await fs.mkdir(file, { recursive: true });
    const history = new JsonlRunHistory(file);
    await expect(history.open(OPENED_AT)).rejects.toMatchObject({ name: "StoreCorruptError", file, problem: "it cannot be read: it is a folder, not a file (EISDIR)" });
    expect((await fs.stat(file)).isDirectory()).toBe(true);
  });

  it("removes stale compaction temp files at open", async () => {
    await writeLines([runLine(makeRun("r_1", "j_a", 0))]);
    await fs.writeFile(`${file}.tmp-4242-1`, "half a compaction");
    const history = await openHistory();
    expect(await tempFilesOf(home, "history.jsonl")).toEqual([]);
    expect(history.get("r_1")).not.toBeNull();
  });
});

describe("JsonlRunHistory queries", () => {
  it("lists newest first (by startedAt, else scheduledAt) per job and overall, honouring limit", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_a1", "j_a", 10));
    await history.record(makeRun("r_b1", "j_b", 20));
    await history.record(makeRun("r_a2", "j_a", 30));
    await history.record(makeRun("r_a0", "j_a", 5)); // recorded late, sorts by its time
    await history.record(makeRun("r_skip", "j_a", 25, { status: "skipped", startedAt: null, endedAt: null }));
    expect(history.list({ jobId: "j_a" }).map((run) => run.id)).toEqual(["r_a2", "r_skip", "r_a1", "r_a0"]);
    expect(history.list({ jobId: "j_a", limit: 2 }).map((run) => run.id)).toEqual(["r_a2", "r_skip"]);
    expect(history.list().map((run) => run.id)).toEqual(["r_a2", "r_skip", "r_b1", "r_a1", "r_a0"]);
    expect(history.list({ jobId: "j_none" })).toEqual([]);
    expect(history.lastRun("j_b")?.id).toBe("r_b1");
    expect(history.lastRun("j_none")).toBeNull();
  });

  it("takes lastScheduledAt from scheduled, catch-up and retry runs and slot marks, never from manual runs", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_1", "j_a", 10));
    await history.record(makeRun("r_2", "j_a", 20, { reason: "retry", attempt: 2 }));
    await history.record(makeRun("r_3", "j_a", 90, { reason: "manual", scheduledAt: null }));
    expect(history.lastScheduledAt("j_a")).toEqual(new Date(T0 + 20 * 60_000));
    await history.markScheduled("j_a", new Date(T0 + 60 * 60_000));
    await history.markScheduled("j_a", new Date(T0 + 30 * 60_000)); // never moves back
    expect(history.lastScheduledAt("j_a")).toEqual(new Date(T0 + 60 * 60_000));
    await history.markScheduled("j_new", new Date(T0));
    const again = await reopen(history);
    expect(again.lastScheduledAt("j_a")).toEqual(new Date(T0 + 60 * 60_000));
    expect(again.lastScheduledAt("j_new")).toEqual(new Date(T0));
    expect(again.lastScheduledAt("j_none")).toBeNull();
  });
});

describe("JsonlRunHistory retention and compaction", () => {
  it("keeps at most maxRunsPerJob per job, never removes a running run, and compacts the file", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_busy", "j_a", 0, { status: "running", endedAt: null }));
    for (let index = 1; index <= 10; index += 1) await history.record(makeRun(`r_a${index}`, "j_a", index));
    for (let index = 1; index <= 2; index += 1) await history.record(makeRun(`r_b${index}`, "j_b", index));
    const removed = await history.prune({ maxRunsPerJob: 3, maxAgeDays: 3650 }, OPENED_AT);
    expect(removed.sort()).toEqual(["r_a1", "r_a2", "r_a3", "r_a4", "r_a5", "r_a6", "r_a7", "r_a8"]);
    expect(history.list({ jobId: "j_a" }).map((run) => run.id)).toEqual(["r_a10", "r_a9", "r_busy"]);
    expect(history.list({ jobId: "j_b" })).toHaveLength(2);
    const slotLines = 2;
    expect(await fileLines()).toHaveLength(5 + slotLines);
    expect(await modeOf(file)).toBe(0o600);
    expect(await tempFilesOf(home, "history.jsonl")).toEqual([]);
    const again = await reopen(history);
    expect(again.list({ limit: 100 }).map((run) => run.id).sort()).toEqual(["r_a10", "r_a9", "r_b1", "r_b2", "r_busy"]);
  });

  it("drops finished runs older than maxAgeDays", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_old", "j_a", 0));
    await history.record(makeRun("r_old_busy", "j_a", 1, { status: "running", endedAt: null }));
    await history.record(makeRun("r_recent", "j_a", 95 * 24 * 60));
    const now = new Date(T0 + 100 * 86_400_000);
    expect(await history.prune({ maxRunsPerJob: 200, maxAgeDays: 90 }, now)).toEqual(["r_old"]);
    expect(history.list({ jobId: "j_a" }).map((run) => run.id)).toEqual(["r_recent", "r_old_busy"]);
  });

  it("keeps each job's last slot through pruning and compaction", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_1", "j_a", 30));
    await history.markScheduled("j_b", new Date(T0 + 45 * 60_000));
    await history.prune({ maxRunsPerJob: 1, maxAgeDays: 1 }, new Date(T0 + 10 * 86_400_000));
    expect(history.list()).toEqual([]);
    const again = await reopen(history);
    expect(again.lastScheduledAt("j_a")).toEqual(new Date(T0 + 30 * 60_000));
    expect(again.lastScheduledAt("j_b")).toEqual(new Date(T0 + 45 * 60_000));
  });

  it("compacts at open when most lines are superseded", async () => {
    const lines: string[] = [];
    for (let version = 0; version < 5; version += 1) {
      for (let index = 0; index < 50; index += 1) lines.push(runLine(makeRun(`r_${index}`, "j_a", index, { outputBytes: version })));
    }
    await writeLines(lines);
    const history = await openHistory();
    expect(history.get("r_7")?.outputBytes).toBe(4);
    expect(await fileLines()).toHaveLength(50 + 1); // 50 runs and the job's slot line
    const again = await reopen(history);
    expect(again.list({ limit: 100 })).toHaveLength(50);
  });

  it("forgets a removed job's runs and slot, for good", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_a1", "j_a", 1));
    await history.record(makeRun("r_a2", "j_a", 2));
    await history.record(makeRun("r_b1", "j_b", 3));
    expect((await history.forgetJob("j_a")).sort()).toEqual(["r_a1", "r_a2"]);
    expect(history.lastRun("j_a")).toBeNull();
    expect(history.lastScheduledAt("j_a")).toBeNull();
    const again = await reopen(history);
    expect(again.list().map((run) => run.id)).toEqual(["r_b1"]);
    expect(again.lastScheduledAt("j_a")).toBeNull();
  });

  it("keeps a removed job's runs on disk when asked", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_a1", "j_a", 1));
    await history.record(makeRun("r_b1", "j_b", 2));
    expect(await history.forgetJob("j_a", { keepRuns: true })).toEqual([]);
    const again = await reopen(history);
    expect(again.list().map((run) => run.id)).toEqual(["r_b1", "r_a1"]);
  });

  it("keeps the old file when a compaction fails and still appends the records it had taken", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_1", "j_a", 1));
    await history.record(makeRun("r_2", "j_a", 2));
    // The home folder becomes a plain file: the compaction's temp file cannot be created.
    const moved = path.join(dir, "moved");
    await fs.rename(home, moved);
    await fs.writeFile(home, "");
    const recorded = history.record(makeRun("r_3", "j_a", 3));
    const pruning = history.prune({ maxRunsPerJob: 1, maxAgeDays: 3650 }, OPENED_AT);
    await expect(pruning).rejects.toBeInstanceOf(StoreWriteError);
    await recorded; // appended to the open file instead
    await history.close();
    await fs.rm(home);
    await fs.rename(moved, home);
    const again = await openHistory();
    // r_1 and r_2 were pruned in memory only; the intact file still has them, and r_3.
    expect(again.list().map((run) => run.id)).toEqual(["r_3", "r_2", "r_1"]);
  });
});

describe("JsonlRunHistory reading finished runs back from the file (issue 12)", () => {
  it("answers like MemoryRunHistory through updates, pruning, compaction, records in flight and a restart", async () => {
    const { MemoryRunHistory } = await import("../../../electron/core/store/memory-run-history.js");
    const model = new MemoryRunHistory();
    await model.open(OPENED_AT);
    let history = await openHistory();
    const both = async (run: ReturnType<typeof makeRun>) => {
      await model.record(run);
      await history.record(run);
    };
    for (let index = 0; index < 300; index += 1) {
      const jobId = `j_${index % 7}`;
      await both(makeRun(`r_${index}`, jobId, index % 50 === 0 ? 10 : index, { status: "running", endedAt: null }));
      // Most runs end; some with the same time as another (tie order), some with a long error.
      if (index % 11 !== 0) await both(makeRun(`r_${index}`, jobId, index % 50 === 0 ? 10 : index, { status: index % 5 === 0 ? "failed" : "succeeded", error: index % 5 === 0 ? "é".repeat(index) : null }));
    }
    const same = (label: string) => {
      for (const jobId of [undefined, "j_0", "j_3", "j_6"]) {
        expect(history.list({ ...(jobId ? { jobId } : {}), limit: 400 }), `${label} ${jobId ?? "all"}`).toEqual(model.list({ ...(jobId ? { jobId } : {}), limit: 400 }));
        if (jobId) expect(history.lastRun(jobId)).toEqual(model.lastRun(jobId));
      }
      expect(history.get("r_55")).toEqual(model.get("r_55"));
    };
    same("recorded");
    const policy = { maxRunsPerJob: 20, maxAgeDays: 3650 };
    // A compaction with records queued behind it and made while it runs.
    const pruned = history.prune(policy, OPENED_AT);
    const prunedFromModel = await model.prune(policy, OPENED_AT);
    const during = [both(makeRun("r_late", "j_3", 1_000)), both(makeRun("r_55", "j_6", 55, { status: "timed_out" }))];
    expect((await pruned).sort()).toEqual(prunedFromModel.sort());
    await Promise.all(during);
    same("pruned and compacted");
    expect((await fileLines()).length).toBeLessThan(200);
    history = await reopen(history);
    // The runs left running are interrupted in both after a restart.
    await model.close();
    const reopenedModel = new MemoryRunHistory(model.list({ limit: 1_000 }).reverse());
    await reopenedModel.open(OPENED_AT);
    for (const jobId of ["j_0", "j_3", "j_6"]) {
      expect(history.list({ jobId, limit: 400 }).map((run) => [run.id, run.status, run.error])).toEqual(reopenedModel.list({ jobId, limit: 400 }).map((run) => [run.id, run.status, run.error]));
    }
  });

  it("refuses with StoreCorruptError to make up a run whose line was changed under it", async () => {
    const history = await openHistory();
    await history.record(makeRun("r_1", "j_a", 1));
    await history.record(makeRun("r_2", "j_a", 2));
    await fs.writeFile(file, (await fs.readFile(file, "utf8")).replace("r_1", "r_9"));
    expect(history.get("r_2")?.id).toBe("r_2"); // the job's newest is kept at hand
    expect(() => history.get("r_1")).toThrow(/r_1 is no longer where it was written/);
  });
});
