/**
 * kill -9 of the engine while it writes: the real engine (dist/) in a child process adds jobs
 * and records runs as fast as it can, and is killed at a random moment, 50 times on one home.
 * The home starts with ~300 KB of jobs, so the store journals its changes (jobs.journal) and
 * folds them into jobs.json now and then; a third of the kills land during start-up, where
 * the previous round's journal is replayed and folded.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuilt, removeTempHomes, tempHome } from "../support/cli.js";
import { storedJob } from "../support/records.mjs";
import { DIST, FAULT_FIXTURES, openStoresLikeAnEngine, tempFilesIn } from "./fault-support.js";
import { seededRandom, testSeed } from "../support/random.js";

beforeAll(ensureBuilt, 180_000);
afterAll(removeTempHomes);

const ROUNDS = 50;

interface Round {
  added: string[];
  ran: string[];
  jobsAtStart: number;
}

/** ~300 KB of jobs in jobs.json, as the engine writes them. */
function seedJobsFile(home: string): number {
  const createdAt = new Date().toISOString();
  const jobs = Array.from({ length: 700 }, (_, index) =>
    storedJob(index, {
      id: `j_seed${index.toString(16).padStart(4, "0")}`,
      name: `seed ${index}`,
      triggers: [{ type: "interval", version: 1, everySeconds: 3600, anchor: createdAt }],
      command: `echo ${"x".repeat(200)} ${index}`,
      notify: "never",
      createdAt,
      updatedAt: createdAt,
    }),
  );
  fs.writeFileSync(path.join(home, "jobs.json"), JSON.stringify({ version: 2, settings: {}, jobs }), { mode: 0o600 });
  return jobs.length;
}

/**
 * Checks the stores as the next engine start will read them, on a copy: the original keeps
 * its journal and temp files for the next round's start (and its kill) to deal with.
 */
async function openCopyLikeAnEngine(home: string): Promise<Awaited<ReturnType<typeof openStoresLikeAnEngine>>> {
  const copy = `${home}-check`;
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(home, copy, { recursive: true, filter: (source) => !source.endsWith(".sock") });
  try {
    return await openStoresLikeAnEngine(copy);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * Starts the writer and kill -9's it `delayMs` after its first acknowledged add, or, with
 * `duringStartUp`, `delayMs` after it was spawned (acknowledged or not).
 */
function writeUntilKilled(home: string, round: number, delayMs: number, duringStartUp: boolean): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(FAULT_FIXTURES, "engine-writer.mjs"), DIST, home, String(round)], { stdio: ["ignore", "pipe", "pipe"] });
    const result: Round = { added: [], ran: [], jobsAtStart: -1 };
    let pending = "";
    let stderr = "";
    let timer: NodeJS.Timeout | null = duringStartUp ? setTimeout(() => child.kill("SIGKILL"), delayMs) : null;
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
    const seeded = seedJobsFile(home);
    const seed = testSeed();
    const random = seededRandom(seed);
    const acknowledged: string[] = [];
    const acknowledgedRuns: string[] = [];
    let durableButUnacknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Up to 300 ms after the first acknowledgement: early kills land inside the first
      // writes, later ones anywhere in a stream of overlapping adds, runs, history appends and
      // journal folds. Every third round is killed 100–900 ms after spawn: during start-up.
      const duringStartUp = round % 3 === 2;
      const delayMs = duringStartUp ? 100 + Math.floor(random() * 800) : Math.floor(random() * 300);
      const { added, ran, jobsAtStart } = await writeUntilKilled(home, round, delayMs, duringStartUp);
      const context = `round ${round}, kill ${delayMs} ms after ${duringStartUp ? "spawn" : "the first ack"} (seed ${seed})`;
      if (jobsAtStart >= 0) expect(jobsAtStart, context).toBeGreaterThanOrEqual(seeded + acknowledged.length);
      acknowledged.push(...added);
      acknowledgedRuns.push(...ran);

      // At most the one write that the kill interrupted per file; the next start sweeps it.
      const strays = tempFilesIn(home);
      expect(new Set(strays.map((name) => name.slice(0, name.indexOf(".tmp-")))).size, `${context}: ${strays.join(", ")}`).toBe(strays.length);

      const { jobNames, runIds } = await openCopyLikeAnEngine(home);
      const stored = new Set(jobNames);
      expect(acknowledged.filter((name) => !stored.has(name)), context).toEqual([]);
      expect(acknowledgedRuns.filter((id) => !runIds.has(id)), context).toEqual([]);
      expect(stored.size, `${context}: no job twice`).toBe(jobNames.length);
      durableButUnacknowledged = jobNames.length - seeded - acknowledged.length;
    }
    // Adds that were durable but whose ack never got out show the kills landing mid-write.
    console.log(`kill -9 × ${ROUNDS} (seed ${seed}): ${acknowledged.length} acknowledged adds and ${acknowledgedRuns.length} runs, all kept; ${durableButUnacknowledged} more were durable but unacknowledged`);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ROUNDS);
    // A last start: everything is there, and nothing is left lying around.
    const { jobNames } = await openStoresLikeAnEngine(home);
    expect(jobNames.length).toBe(seeded + acknowledged.length + durableButUnacknowledged);
    expect(tempFilesIn(home)).toEqual([]);
    expect(fs.existsSync(path.join(home, "jobs.journal"))).toBe(false);
  }, 170_000);
});
