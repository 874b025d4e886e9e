import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../../electron/core/clock.js";
import { EventBus } from "../../../../electron/core/events.js";
import type { ChangeBurst } from "../../../../electron/core/event-sources/watch/change-debouncer.js";
import { changedPathsVariables, JobWatches, MAX_CHANGED_PATHS, type WatchedJob } from "../../../../electron/core/event-sources/watch/job-watches.js";
import { finishedRun } from "../../../support/run-records.js";
import { removeTempFolders, tempFolder } from "../../../support/temp-folders.mjs";
import { waitFor } from "../../../support/waiting.mjs";

// Real folders, real chokidar watchers, real time (debounces of a tenth of a second).
const sources: JobWatches[] = [];

afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.stop()));
  removeTempFolders();
});

function startSource() {
  const events = new EventBus();
  const bursts: { jobId: string; burst: ChangeBurst }[] = [];
  const problems: { jobId: string; problem: string | null }[] = [];
  const source = new JobWatches({
    clock: systemClock,
    subscribe: (listener) => events.subscribe(listener),
    log: () => {},
    fire: (jobId, burst) => bursts.push({ jobId, burst }),
    problemChanged: (jobId, problem) => problems.push({ jobId, problem }),
  });
  sources.push(source);
  return { source, events, bursts, problems };
}

function job(id: string, watched: string, options: { recursive?: boolean; debounceSeconds?: number } = {}): WatchedJob {
  return { id, name: id, watches: [{ path: watched, recursive: options.recursive, debounceSeconds: options.debounceSeconds ?? 0.1 }] };
}

describe("JobWatches", () => {
  it("fires once for files written together, with their absolute paths", async () => {
    const folder = tempFolder("watch");
    const { source, bursts } = startSource();
    await source.setJob(job("j1", folder, { debounceSeconds: 1 }));
    for (let index = 0; index < 5; index++) fs.writeFileSync(path.join(folder, `file-${index}.txt`), "x");
    await waitFor(() => bursts.length > 0, 10_000, "the burst");
    expect(bursts[0]!.jobId).toBe("j1");
    expect(bursts[0]!.burst.paths.sort()).toEqual([0, 1, 2, 3, 4].map((index) => path.join(folder, `file-${index}.txt`)));
    expect(source.problemOf("j1")).toBeNull();
  });

  it("sees a nested change only when the watch is recursive", async () => {
    const flatFolder = tempFolder("watch-flat");
    const deepFolder = tempFolder("watch-deep");
    for (const folder of [flatFolder, deepFolder]) fs.mkdirSync(path.join(folder, "sub", "inner"), { recursive: true });
    const { source, bursts } = startSource();
    await source.setJob(job("flat", flatFolder, { recursive: false }));
    await source.setJob(job("deep", deepFolder, { recursive: true }));
    fs.writeFileSync(path.join(flatFolder, "sub", "inner", "nested.txt"), "x");
    fs.writeFileSync(path.join(deepFolder, "sub", "inner", "nested.txt"), "x");
    await waitFor(() => bursts.some((entry) => entry.jobId === "deep"), 10_000, "the recursive watch's burst");
    expect(bursts.find((entry) => entry.jobId === "deep")!.burst.paths).toContain(path.join(deepFolder, "sub", "inner", "nested.txt"));
    // The flat watch sees its own level: a change there arrives, and the nested one never did.
    fs.writeFileSync(path.join(flatFolder, "top.txt"), "x");
    await waitFor(() => bursts.some((entry) => entry.jobId === "flat"), 10_000, "the flat watch's burst");
    expect(bursts.filter((entry) => entry.jobId === "flat").flatMap((entry) => entry.burst.paths)).toEqual([path.join(flatFolder, "top.txt")]);
  });

  it("reports a removed folder as missing and watches it again when it is back", async () => {
    const parent = tempFolder("watch-parent");
    const folder = path.join(parent, "inbox");
    fs.mkdirSync(folder);
    const { source, bursts, problems } = startSource();
    await source.setJob(job("j1", folder));
    fs.rmSync(folder, { recursive: true });
    await waitFor(() => source.problemOf("j1"), 10_000, "the missing folder reported");
    expect(source.problemOf("j1")).toBe(`watched path missing: ${folder}`);
    expect(problems.at(-1)).toEqual({ jobId: "j1", problem: `watched path missing: ${folder}` });
    fs.mkdirSync(folder);
    await waitFor(() => source.problemOf("j1") === null, 10_000, "the folder watched again");
    const before = bursts.length;
    fs.writeFileSync(path.join(folder, "after.txt"), "x");
    await waitFor(() => bursts.slice(before).some((entry) => entry.burst.paths.includes(path.join(folder, "after.txt"))), 10_000, "a change in the recreated folder");
  });

  it("waits for a path that does not exist yet, several levels down, and watches it once made", async () => {
    const parent = tempFolder("watch-later");
    const folder = path.join(parent, "a", "b", "c");
    const { source, bursts } = startSource();
    await source.setJob(job("j1", folder));
    expect(source.problemOf("j1")).toBe(`watched path missing: ${folder}`);
    fs.mkdirSync(folder, { recursive: true });
    await waitFor(() => source.problemOf("j1") === null, 10_000, "the new folder watched");
    // Its appearance is a change of the path.
    await waitFor(() => bursts.some((entry) => entry.burst.paths.includes(folder)), 10_000, "the burst of its appearance");
    fs.writeFileSync(path.join(folder, "new.txt"), "x");
    await waitFor(() => bursts.some((entry) => entry.burst.paths.includes(path.join(folder, "new.txt"))), 10_000, "a change in the new folder");
  });

  it("watches a single file: its change fires, and its removal is reported", async () => {
    const folder = tempFolder("watch-file");
    const file = path.join(folder, "settings.conf");
    fs.writeFileSync(file, "a");
    const { source, bursts } = startSource();
    await source.setJob(job("j1", file));
    fs.writeFileSync(file, "b");
    await waitFor(() => bursts.some((entry) => entry.burst.paths.includes(file)), 10_000, "the file's change");
    fs.rmSync(file);
    await waitFor(() => source.problemOf("j1") === `watched path missing: ${file}`, 10_000, "the missing file reported");
  });

  it("shares one watcher among the jobs that watch one folder, and closes it with the last", async () => {
    const folder = tempFolder("watch-shared");
    const { source, bursts } = startSource();
    await source.setJob(job("j1", folder));
    await source.setJob(job("j2", folder));
    expect(source.watcherCount).toBe(1);
    fs.writeFileSync(path.join(folder, "x.txt"), "x");
    await waitFor(() => new Set(bursts.map((entry) => entry.jobId)).size === 2, 10_000, "both jobs' bursts");
    await source.removeJob("j1");
    expect(source.watcherCount).toBe(1);
    await source.setJob({ id: "j2", name: "j2", watches: [] });
    expect(source.watcherCount).toBe(0);
  });

  it("does not count changes made while the job's own run goes on", async () => {
    const folder = tempFolder("watch-own");
    const { source, events, bursts } = startSource();
    await source.setJob(job("j1", folder));
    const run = finishedRun({ id: "r_own", jobId: "j1", status: "running", reason: "manual" });
    events.emit({ type: "run.started", run });
    fs.writeFileSync(path.join(folder, "written-by-the-run.txt"), "x");
    // The run's own change, then a marker that proves the watcher delivered what came before it.
    const marker = tempFolder("watch-marker");
    // The marker waits five times longer than the job would: without the rule, the job fires first.
    await source.setJob(job("marker", marker, { debounceSeconds: 0.5 }));
    fs.writeFileSync(path.join(folder, "written-by-the-run-2.txt"), "x");
    fs.writeFileSync(path.join(marker, "m"), "x");
    await waitFor(() => bursts.some((entry) => entry.jobId === "marker"), 10_000, "the marker's burst");
    events.emit({ type: "run.finished", run: { ...run, status: "succeeded" } });
    expect(bursts.filter((entry) => entry.jobId === "j1")).toEqual([]);
    // Once the run is over (and its settle time passed), changes count again.
    await waitFor(
      () => {
        fs.writeFileSync(path.join(folder, "later.txt"), String(Math.random()));
        return bursts.some((entry) => entry.jobId === "j1");
      },
      10_000,
      "a change after the run",
    );
    expect(bursts.find((entry) => entry.jobId === "j1")!.burst.paths).toEqual([path.join(folder, "later.txt")]);
  });
});

describe("changedPathsVariables", () => {
  it("lists the paths sorted, one per line", () => {
    expect(changedPathsVariables({ paths: ["/w/b", "/w/a"], truncated: false })).toEqual({ SUNDIAL_CHANGED_PATHS: "/w/a\n/w/b" });
  });

  it("caps the list and says it is incomplete", () => {
    const paths = Array.from({ length: MAX_CHANGED_PATHS + 5 }, (_, index) => `/w/${String(index).padStart(5, "0")}`);
    const variables = changedPathsVariables({ paths, truncated: false });
    expect(variables.SUNDIAL_CHANGED_PATHS!.split("\n")).toHaveLength(MAX_CHANGED_PATHS);
    expect(variables.SUNDIAL_CHANGED_PATHS_TRUNCATED).toBe("1");
    expect(changedPathsVariables({ paths: ["/w/a"], truncated: true }).SUNDIAL_CHANGED_PATHS_TRUNCATED).toBe("1");
  });
});
