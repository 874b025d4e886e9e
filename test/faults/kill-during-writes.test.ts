/**
 * kill -9 of the engine while it writes: the real engine (dist/) in a child process adds jobs
 * and records runs as fast as it can, and is killed at a random moment, 50 times on one home.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuilt, removeTempHomes, tempHome } from "../support/cli.js";
import { DIST, FAULT_FIXTURES, openStoresLikeAnEngine, seededRandom, tempFilesIn } from "./fault-support.js";

beforeAll(ensureBuilt, 180_000);
afterAll(removeTempHomes);

const ROUNDS = 50;

interface Round {
  added: string[];
  ran: string[];
  jobsAtStart: number;
}

/** Starts the writer and kill -9's it `delayMs` after its first acknowledged add. */
function writeUntilKilled(home: string, round: number, delayMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(FAULT_FIXTURES, "engine-writer.mjs"), DIST, home, String(round)], { stdio: ["ignore", "pipe", "pipe"] });
    const result: Round = { added: [], ran: [], jobsAtStart: -1 };
    let pending = "";
    let stderr = "";
    let timer: NodeJS.Timeout | null = null;
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const [word, value = ""] = line.split(" ");
        if (word === "ready") result.jobsAtStart = Number(value);
        if (word === "added") result.added.push(value);
        if (word === "ran") result.ran.push(value);
      }
      if (result.added.length > 0) timer ??= setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === "SIGKILL") resolve(result);
      else reject(new Error(`the engine exited by itself (code ${code}) in round ${round}:\n${stderr}`));
    });
  });
}

describe("kill -9 of the engine during writes", () => {
  test(`${ROUNDS} rounds: the store always loads, every acknowledged add and run is there, and temp files never pile up`, async () => {
    const home = tempHome("kill9");
    const seed = Date.now() % 1_000_000;
    const random = seededRandom(seed);
    const acknowledged: string[] = [];
    const acknowledgedRuns: string[] = [];
    let durableButUnacknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Up to 150 ms after the first acknowledgement: early kills land inside the first
      // writes, later ones anywhere in a stream of overlapping adds, runs and history appends.
      const delayMs = Math.floor(random() * 150);
      const { added, ran, jobsAtStart } = await writeUntilKilled(home, round, delayMs);
      const context = `round ${round}, kill ${delayMs} ms after the first ack (seed ${seed})`;
      expect(jobsAtStart, context).toBeGreaterThanOrEqual(acknowledged.length);
      acknowledged.push(...added);
      acknowledgedRuns.push(...ran);

      // At most the one write that the kill interrupted per file; the next start sweeps it.
      const strays = tempFilesIn(home);
      expect(new Set(strays.map((name) => name.slice(0, name.indexOf(".tmp-")))).size, `${context}: ${strays.join(", ")}`).toBe(strays.length);

      const { jobNames, runIds } = await openStoresLikeAnEngine(home);
      const stored = new Set(jobNames);
      expect(acknowledged.filter((name) => !stored.has(name)), context).toEqual([]);
      expect(acknowledgedRuns.filter((id) => !runIds.has(id)), context).toEqual([]);
      expect(stored.size, `${context}: no job twice`).toBe(jobNames.length);
      expect(tempFilesIn(home), context).toEqual([]);
      durableButUnacknowledged = jobNames.length - acknowledged.length;
    }
    // Adds that were durable but whose ack never got out show the kills landing mid-write.
    console.log(`kill -9 × ${ROUNDS} (seed ${seed}): ${acknowledged.length} acknowledged adds and ${acknowledgedRuns.length} runs, all kept; ${durableButUnacknowledged} more were durable but unacknowledged`);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS);
  }, 170_000);
});
