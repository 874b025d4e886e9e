import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { JobView } from "../../electron/shared/schemas.js";
import { seededRandom, testSeed } from "../support/random.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, sleep, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe.concurrent("kill -9 of the daemon", () => {
  test("during a stream of adds, repeated: the store always loads and every acknowledged add is there", async () => {
    const home = tempHome("crash");
    const acknowledged = new Set<string>();
    const rounds = 10;
    const seed = testSeed();
    const random = seededRandom(seed);
    for (let round = 0; round < rounds; round++) {
      const daemon = await startDaemon(home);
      if (round > 0) expect(daemon.stderr()).toMatch(/removed a stale control socket/);
      // The daemon is ready, so the engine loaded the store; every acknowledged add is in it.
      const jobsFile = homePaths(home).jobs;
      const stored = fs.existsSync(jobsFile) ? (JSON.parse(fs.readFileSync(jobsFile, "utf8")) as { jobs: { name: string }[] }) : { jobs: [] };
      const names = stored.jobs.map((job) => job.name);
      for (const name of acknowledged) expect(names, `after round ${round} (seed ${seed})`).toContain(name);

      // Three writers add jobs as fast as the CLI allows until the daemon is killed.
      let killed = false;
      let acknowledgedThisRound = 0;
      const writer = async (lane: number) => {
        for (let index = 0; !killed; index++) {
          const name = `r${round}-l${lane}-${index}`;
          const result = await sundial(["add", name, "--every", "1h", "--", "true"], { home });
          if (result.code === 0) {
            acknowledged.add(name);
            acknowledgedThisRound++;
          } else expect(result.stderr).not.toMatch(/already exists/);
        }
      };
      const writers = [0, 1, 2].map(writer);
      // Once an add has been acknowledged (each is a fresh node process, slow on a busy
      // machine), crash at a random moment among the adds still in flight.
      while (acknowledgedThisRound === 0) await sleep(20);
      await sleep(Math.floor(random() * 600));
      await daemon.kill9();
      killed = true;
      await Promise.all(writers);
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(rounds);

    const daemon = await startDaemon(home);
    const jobs = await sundialJson<JobView[]>(["list"], { home });
    const names = new Set(jobs.map((job) => job.name));
    for (const name of acknowledged) expect(names).toContain(name);
    expect(names.size).toBe(jobs.length);
    await daemon.stop();
  }, 120_000);

  test("leaves a socket file that the next daemon replaces; meanwhile the CLI says how to start one", async () => {
    const home = tempHome("stale");
    const first = await startDaemon(home);
    await sundial(["add", "kept", "--every", "1h", "--", "true"], { home });
    await first.kill9();
    expect(fs.existsSync(homePaths(home).socket)).toBe(true);

    const offline = await sundial(["list"], { home });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toBe(`Sundial is not running on ${home}. Start the desktop app or run: sundial daemon --home ${home}\n`);
    expect(hasStackTrace(offline.stderr)).toBe(false);

    const second = await startDaemon(home);
    expect((await sundialJson<JobView[]>(["list"], { home })).map((job) => job.name)).toEqual(["kept"]);
    await second.stop();
  }, 30_000);
});
