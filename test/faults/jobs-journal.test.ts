/**
 * jobs.journal, the append-only change log of a large store (JsonJobStore), against real
 * files: what a crash, a damaged line, a hand-edited jobs.json or a full disk leave behind.
 * Every store here journals from the first byte (journalAboveBytes: 0), as a store of
 * thousands of jobs does.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { JsonJobStore } from "../../electron/core/store/json-job-store.js";
import { batchLine, contentHash, journalHeader } from "../../electron/core/store/jobs-journal.js";
import { StoreCorruptError } from "../../electron/shared/errors.js";
import type { Job } from "../../electron/shared/schemas.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";
import { storedJob as job } from "../support/records.mjs";
import { tempFolder } from "../support/temp-folders.mjs";

let folder: string;
let jobsFile: string;
let journalFile: string;
let logged: string[];
beforeEach(() => {
  folder = tempFolder("journal");
  jobsFile = path.join(folder, "jobs.json");
  journalFile = path.join(folder, "jobs.journal");
  logged = [];
});
/** Every store a test made; a "crashed" one is closed without folding, as a crash leaves it. */
const stores: JsonJobStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  fs.rmSync(folder, { recursive: true, force: true });
});

const journaling = (): JsonJobStore => {
  const store = new JsonJobStore(jobsFile, (line) => logged.push(line), { journalAboveBytes: 0 });
  stores.push(store);
  return store;
};

/** A store with jobs 1–3 folded into jobs.json, then `changes` more journaled (store left open). */
async function storeWithJournal(changes: number): Promise<JsonJobStore> {
  const store = journaling();
  await store.load();
  await store.update((data) => void data.jobs.push(job(1), job(2), job(3)));
  for (let index = 0; index < changes; index++) {
    await store.update((data) => void data.jobs.push(job(10 + index)), { jobIds: [job(10 + index).id] });
  }
  return store;
}

const ids = (store: JsonJobStore) => store.data.jobs.map((each) => each.id);
const bytesOf = (file: string) => fs.readFileSync(file);

describe("jobs.journal of a large store", () => {
  test("an add is one appended line; jobs.json is not rewritten until the journal is folded", async () => {
    const store = await storeWithJournal(0);
    const before = bytesOf(jobsFile);
    await store.update((data) => void data.jobs.push(job(10)), { jobIds: [job(10).id] });
    expect(bytesOf(jobsFile).equals(before)).toBe(true);
    const lines = fs.readFileSync(journalFile, "utf8").split("\n");
    expect(lines).toHaveLength(3); // header, one batch, the final newline
    expect(JSON.parse(lines[1]!)).toEqual({ ops: [{ upsert: job(10) }] });
    expect(fs.statSync(journalFile).mode & 0o777).toBe(0o600);

    await store.flush();
    expect(fs.existsSync(journalFile)).toBe(false);
    expect((JSON.parse(fs.readFileSync(jobsFile, "utf8")) as { jobs: Job[] }).jobs.map((each) => each.id)).toEqual(ids(store));
  });

  test("edits, removals and settings replay in order after a crash, and the next start folds them", async () => {
    const store = await storeWithJournal(2);
    await store.update((data) => void (data.jobs[0] = job(1, { name: "renamed", paused: true })), { jobIds: [job(1).id] });
    await store.update((data) => void (data.jobs = data.jobs.filter((each) => each.id !== job(2).id)), { jobIds: [job(2).id] });
    await store.update((data) => void (data.settings.allPaused = true), { jobIds: [] });
    const expected = structuredClone(store.data);
    // No flush: the process "crashes" here, with the changes only in the journal.

    const reopened = journaling();
    expect(await reopened.load()).toEqual(expected);
    expect(logged.join("\n")).toMatch(/replayed 5 change\(s\) from .*jobs\.journal/);
    expect(fs.existsSync(journalFile)).toBe(false);
    expect(JSON.parse(fs.readFileSync(jobsFile, "utf8"))).toEqual(expected);
  });

  test("a torn last line (kill -9 mid-append) is dropped with a warning; every whole change is kept", async () => {
    const store = await storeWithJournal(2);
    const expected = ids(store);
    fs.appendFileSync(journalFile, '{"ops":[{"upsert":{"id":"j_torn","na');
    const reopened = journaling();
    await reopened.load();
    expect(ids(reopened)).toEqual(expected);
    expect(logged.join("\n")).toMatch(/dropped an incomplete last change \(\d+ bytes\) left by an interrupted write/);
  });

  test.each([
    ["empty", ""],
    ["with a torn header", '{"journal":1,"base":"0123'],
  ])("a journal left %s (kill -9 as it was being started) held no confirmed change: it is removed with a warning and the store loads", async (_label, contents) => {
    const store = await storeWithJournal(0);
    const expected = ids(store);
    await store.close();
    fs.writeFileSync(journalFile, contents, { mode: 0o600 });
    const reopened = journaling();
    await reopened.load();
    expect(ids(reopened)).toEqual(expected);
    expect(fs.existsSync(journalFile)).toBe(false);
    expect(logged.join("\n")).toMatch(/removed a journal whose start was cut short \(\d+ bytes, no complete header\)/);
    // The next change starts a new journal and lands.
    await reopened.update((data) => void data.jobs.push(job(20)), { jobIds: [job(20).id] });
    const again = journaling();
    await again.load();
    expect(ids(again)).toEqual([...expected, job(20).id]);
  });

  test.each([
    ["a line that is not JSON", (lines: string[]) => lines.splice(2, 1, "{not json"), /line 3 is not valid JSON/],
    ["a job that does not validate", (lines: string[]) => lines.splice(2, 1, JSON.stringify({ ops: [{ upsert: { id: "j_x", name: "" } }] })), /line 3, change 1: the job does not match the expected format/],
    ["an unknown record", (lines: string[]) => lines.splice(2, 1, JSON.stringify({ hello: 1 })), /line 3 is neither a batch of changes nor a fold marker/],
    ["a header from a newer Sundial", (lines: string[]) => lines.splice(0, 1, JSON.stringify({ journal: 9, base: "0".repeat(64) })), /written by a newer Sundial \(journal version 9/],
  ])("a damaged journal (%s) is reported naming jobs.journal and the line; both files are kept byte for byte", async (_label, damage, problem) => {
    await storeWithJournal(3);
    const lines = fs.readFileSync(journalFile, "utf8").split("\n");
    damage(lines);
    fs.writeFileSync(journalFile, lines.join("\n"));
    const jobsBefore = bytesOf(jobsFile);
    const journalBefore = bytesOf(journalFile);

    const failure = await journaling().load().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreCorruptError);
    expect(failure).toMatchObject({ file: journalFile });
    expect((failure as Error).message).toMatch(problem);
    expect(bytesOf(jobsFile).equals(jobsBefore)).toBe(true);
    expect(bytesOf(journalFile).equals(journalBefore)).toBe(true);
  });

  test("a journal whose jobs.json was replaced while Sundial was stopped is refused, both files kept", async () => {
    await storeWithJournal(2);
    const edited = JSON.parse(fs.readFileSync(jobsFile, "utf8")) as { jobs: Job[] };
    edited.jobs[0]!.name = "edited by hand";
    fs.writeFileSync(jobsFile, JSON.stringify(edited, null, 2));
    const jobsBefore = bytesOf(jobsFile);
    const journalBefore = bytesOf(journalFile);
    await expect(journaling().load()).rejects.toThrow(/jobs\.journal: its changes belong to a different version of jobs\.json than the one there now/);
    expect(bytesOf(jobsFile).equals(jobsBefore)).toBe(true);
    expect(bytesOf(journalFile).equals(journalBefore)).toBe(true);
  });

  test("a journal left after its fold was written (crash before its removal) is recognised and not applied twice", async () => {
    const store = await storeWithJournal(2);
    const journalBefore = bytesOf(journalFile);
    await store.flush(); // folds: marker line, new jobs.json, journal removed
    const foldedJobs = bytesOf(jobsFile);
    // Put back the journal as it was just before its removal: with the fold marker for this jobs.json.
    const { createHash } = await import("node:crypto");
    fs.writeFileSync(journalFile, Buffer.concat([journalBefore, Buffer.from(`${JSON.stringify({ folded: createHash("sha256").update(foldedJobs).digest("hex") })}\n`)]));

    const reopened = journaling();
    await reopened.load();
    expect(ids(reopened)).toEqual(ids(store));
    await reopened.update((data) => void data.jobs.push(job(99)), { jobIds: [job(99).id] });
    const again = journaling();
    await again.load();
    expect(ids(again)).toEqual([...ids(store), job(99).id]);
  });

  test("a journal without its jobs.json is refused rather than replayed onto an empty store", async () => {
    await storeWithJournal(1);
    fs.rmSync(jobsFile);
    await expect(journaling().load()).rejects.toThrow(/jobs\.journal: it holds changes to jobs\.json, which is missing/);
    expect(fs.existsSync(jobsFile)).toBe(false);
  });

  test("a change that throws while an append is in flight leaves no trace, and queued changes still land", async () => {
    const store = await storeWithJournal(0);
    const first = store.update((data) => void data.jobs.push(job(20)), { jobIds: [job(20).id] });
    await new Promise((resolve) => setImmediate(resolve)); // the append is in flight
    const queued = store.update((data) => void data.jobs.push(job(21)), { jobIds: [job(21).id] });
    const failing = store.update((data) => {
      data.jobs.push(job(22));
      throw new Error("refused");
    });
    await expect(failing).rejects.toThrow("refused");
    await Promise.all([first, queued]);
    expect(ids(store)).toEqual([job(1).id, job(2).id, job(3).id, job(20).id, job(21).id]);
    const reopened = journaling();
    await reopened.load();
    expect(ids(reopened)).toEqual(ids(store));
  });
});

describe("a journal left by a version 1 engine (issue 15)", () => {
  test("is replayed into the migrated store: its jobs get their trigger as a list, the v1 jobs.json is kept as jobs.json.v1.bak", async () => {
    const v1 = (each: Job) => {
      const { triggers, ...rest } = each;
      return { ...rest, trigger: triggers[0] };
    };
    const original = Buffer.from(JSON.stringify({ version: 1, settings: {}, jobs: [job(1), job(2)].map(v1) }));
    fs.writeFileSync(jobsFile, original, { mode: 0o600 });
    // What a version 1 engine that crashed after journaling one add leaves behind.
    fs.writeFileSync(journalFile, journalHeader(contentHash(original)) + batchLine([{ upsert: v1(job(10)) as unknown as Job }]), { mode: 0o600 });

    const store = journaling();
    await store.load();
    expect(store.data.jobs).toEqual([job(1), job(2), job(10)]);
    expect(bytesOf(`${jobsFile}.v1.bak`).equals(original)).toBe(true);
    expect(JSON.parse(fs.readFileSync(jobsFile, "utf8"))).toMatchObject({ version: 2, jobs: [job(1), job(2), job(10)] });
    expect(fs.existsSync(journalFile)).toBe(false);
  });
});

describe("jobs.journal on a real daemon with a large store", () => {
  beforeAll(ensureBuilt, 180_000);
  afterAll(async () => {
    await stopAllDaemons();
    removeTempHomes();
  });

  test("at a file-size limit an add fails naming jobs.journal, the journal is cut back, later adds work, and a restart keeps exactly the acknowledged ones", async () => {
    const home = tempHome("journal-efbig");
    // ~300 KB of jobs: above the size from which the daemon journals its changes.
    const seeded = Array.from({ length: 700 }, (_, index) => job(index, { command: `echo ${"x".repeat(200)} ${index}` }));
    fs.writeFileSync(homePaths(home).jobs, JSON.stringify({ version: 2, settings: {}, jobs: seeded }), { mode: 0o600 });
    const daemon = await startDaemon(home);
    const first = await sundial(["add", "first", "--every", "1h", "--", "true"], { home });
    expect(first.code, first.stderr).toBe(0);
    const journal = path.join(home, "jobs.journal");
    const jobsBefore = bytesOf(homePaths(home).jobs);
    const journalBefore = bytesOf(journal);

    execFileSync("prlimit", ["--pid", String(daemon.pid), "--fsize=65536:65536"]);
    const failed = await sundial(["add", "too-big", "--every", "1h", "--", `${"y".repeat(100_000)}`], { home });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain(`Could not save ${journal}: file too large (a size limit was hit) (EFBIG)`);
    expect(hasStackTrace(failed.stderr)).toBe(false);
    expect(bytesOf(journal).equals(journalBefore)).toBe(true);
    expect(bytesOf(homePaths(home).jobs).equals(jobsBefore)).toBe(true);
    const after = await sundial(["add", "after", "--every", "1h", "--", "true"], { home });
    expect(after.code, after.stderr).toBe(0);

    // The clean stop cannot fold (jobs.json is over the limit): the journal stays, and is replayed.
    expect(await daemon.stop()).toBe(0);
    expect(fs.existsSync(journal)).toBe(true);
    const again = await startDaemon(home);
    const names = (await sundialJson<{ name: string }[]>(["list"], { home })).map((each) => each.name);
    expect(names).toHaveLength(702);
    expect(names.slice(-2)).toEqual(["first", "after"]);
    expect(again.stderr()).toMatch(/replayed \d+ change\(s\) from/);
    expect(fs.existsSync(journal)).toBe(false);
    await again.stop();
  }, 120_000);
});
