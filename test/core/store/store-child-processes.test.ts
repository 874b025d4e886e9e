/**
 * Real processes against real files: a writer kill -9'd mid-write, and writes that hit a
 * file-size limit (`ulimit -f`, which stops root too, unlike chmod). The children run the
 * compiled store from dist/ (built here when missing or older than the sources); one file
 * for all of them so that only one build can happen at a time.
 */
import { execFile, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { JsonJobStore } from "../../../electron/core/store/json-job-store.js";
import { JsonlRunHistory } from "../../../electron/core/store/jsonl-run-history.js";
import { compiledStoreModule, ensureCompiledStore, fixturePath } from "./compiled-store.js";
import { makeTempFolder, tempFilesOf } from "./store-fixtures.js";

const compiledStore = compiledStoreModule("json-job-store.js");
const writerScript = fixturePath("store-writer.mjs");

beforeAll(() => ensureCompiledStore(), 180_000);

let dir: string;
let file: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempFolder());
  file = path.join(dir, "jobs.json");
});
afterEach(() => cleanup());

/** Starts the loop writer; resolves with the highest acknowledged count once it has been killed. */
function runAndKill(killAfterFirstAckMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, pathToFileURL(compiledStore).href, file, "loop"], { stdio: ["ignore", "pipe", "pipe"] });
    let acknowledged = 0;
    let buffered = "";
    let stderr = "";
    let timer: NodeJS.Timeout | null = null;
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      buffered += text;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) acknowledged = Math.max(acknowledged, Number(line.split(" ")[1]));
      timer ??= setTimeout(() => child.kill("SIGKILL"), killAfterFirstAckMs);
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer exited by itself: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe("JsonJobStore under kill -9", () => {
  it("always leaves a loadable jobs.json with every acknowledged update, and no pile of temp files", async () => {
    // Fixed delays (not random) so that a failure reproduces; they land at various points of a write.
    const delays = [0, 3, 7, 12, 18, 25, 1, 33, 5, 41, 9, 50, 2, 15, 28];
    let acknowledged = 0;
    for (const delay of delays) {
      acknowledged = Math.max(acknowledged, await runAndKill(delay));
      const strays = await tempFilesOf(dir, "jobs.json");
      expect(strays.length).toBeLessThanOrEqual(1); // the next load clears the previous ones
      const onDisk = JSON.parse(await fs.readFile(file, "utf8")) as { jobs: unknown[] };
      expect(onDisk.jobs.length).toBeGreaterThanOrEqual(acknowledged);
    }
    const store = new JsonJobStore(file);
    const data = await store.load();
    expect(data.jobs.length).toBeGreaterThanOrEqual(acknowledged);
    expect(acknowledged).toBeGreaterThan(0);
    expect(await tempFilesOf(dir, "jobs.json")).toEqual([]);
  }, 60_000);
});

describe("JsonJobStore at a file-size limit", () => {
  it("rejects with StoreWriteError (file too large), keeps the previous file, rolls back and carries on", async () => {
    const { stdout } = await promisify(execFile)("bash", ["-c", 'ulimit -f 4 && exec "$0" "$@"', process.execPath, writerScript, pathToFileURL(compiledStore).href, file, "efbig"]);
    const report = JSON.parse(stdout) as { failure: { name: string; problem: string } | null; afterFailure: string[]; finalIds: string[] };
    expect(report.failure).toMatchObject({ name: "StoreWriteError", problem: "file too large (a size limit was hit) (EFBIG)" });
    expect(report.afterFailure).toEqual(["j_00000001"]);
    expect(report.finalIds).toEqual(["j_00000001"]);

    const data = await new JsonJobStore(file).load();
    expect(data.jobs.map((job) => [job.id, job.paused])).toEqual([["j_00000001", true]]);
    expect(await tempFilesOf(dir, "jobs.json")).toEqual([]);
  }, 30_000);
});

describe("JsonlRunHistory at a file-size limit", () => {
  it("rejects a failed append with StoreWriteError and cuts the partial line off, so later appends replay cleanly", async () => {
    const historyFile = path.join(dir, "history.jsonl");
    const { stdout } = await promisify(execFile)("bash", [
      "-c",
      'ulimit -f 8 && exec "$0" "$@"',
      process.execPath,
      fixturePath("history-writer.mjs"),
      pathToFileURL(compiledStoreModule("jsonl-run-history.js")).href,
      historyFile,
    ]);
    const report = JSON.parse(stdout) as { failure: { name: string; problem: string } | null; sizeBefore: number; sizeAfterFailure: number };
    expect(report.failure).toMatchObject({ name: "StoreWriteError", problem: "file too large (a size limit was hit) (EFBIG)" });
    expect(report.sizeAfterFailure).toBe(report.sizeBefore);

    const history = new JsonlRunHistory(historyFile);
    await history.open(new Date("2025-03-02T00:00:00Z"));
    expect(history.warnings).toEqual([]);
    expect(history.list({ limit: 100 }).map((run) => run.id)).toEqual(["r_after", "r_small_2", "r_small_1"]);
    await history.close();
  }, 30_000);
});
