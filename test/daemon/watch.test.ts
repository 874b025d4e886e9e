import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";
import { tempFolder } from "../support/temp-folders.mjs";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

/** The job prints what it was told changed, one path a line. */
const PRINT_CHANGES = ["--", 'printf "%s\\n" "$SUNDIAL_REASON" "$SUNDIAL_CHANGED_PATHS"'];

async function finishedWatchRuns(home: string, job: string): Promise<Run[]> {
  const runs = await sundialJson<Run[]>(["history", job], { home });
  return runs.filter((run) => run.reason === "watch" && run.status !== "running").reverse();
}

async function loggedLines(home: string, run: Run): Promise<string[]> {
  const log = await sundial(["logs", run.id], { home });
  return log.stdout.split("\n").filter((line) => line !== "");
}

// Each test has its own home, daemon and watched folder: run them side by side. The ones
// that wait for runs get a minute: on a loaded machine each CLI call takes a second or more.
describe.concurrent("the watch trigger on a real daemon", () => {
  test("20 files touched within a second make exactly one run, told every one of them", async () => {
    const home = tempHome("watch-burst");
    const folder = tempFolder("watched");
    await startDaemon(home);
    const added = await sundial(["add", "inbox", "--watch", folder, ...PRINT_CHANGES], { home });
    expect(added.code, added.stderr).toBe(0);

    const files = Array.from({ length: 20 }, (_, index) => path.join(folder, `photo-${String(index).padStart(2, "0")}.jpg`));
    for (const file of files) fs.writeFileSync(file, "x");
    const [first] = await waitFor(async () => {
      const runs = await finishedWatchRuns(home, "inbox");
      return runs.length > 0 ? runs : null;
    }, 20_000, "the watch run");
    expect(first!.status).toBe("succeeded");
    expect(await loggedLines(home, first!)).toEqual(["watch", ...files]);

    // A later change makes the next run, and it is told only of that change: nothing of the
    // burst was left over for a second run. (Changes within a second of a run's end are the
    // run's own and not counted: the file is written again until one counts.)
    const later = path.join(folder, "later.txt");
    const runs = await waitFor(async () => {
      const found = await finishedWatchRuns(home, "inbox");
      if (found.length < 2) fs.writeFileSync(later, String(Math.random()));
      return found.length >= 2 ? found : null;
    }, 20_000, "the second watch run");
    expect(runs).toHaveLength(2);
    expect(await loggedLines(home, runs[1]!)).toEqual(["watch", later]);
  }, 60_000);

  test("a watch job watches again after the daemon restarts", async () => {
    const home = tempHome("watch-restart");
    const folder = tempFolder("watched-restart");
    const daemon = await startDaemon(home);
    expect((await sundial(["add", "inbox", "--watch", folder, ...PRINT_CHANGES], { home })).code).toBe(0);
    expect(await daemon.stop()).toBe(0);
    await startDaemon(home);
    // The watchers start with the engine, just after it answers: written until a run comes.
    const file = path.join(folder, "after-restart.txt");
    const [run] = await waitFor(async () => {
      const runs = await finishedWatchRuns(home, "inbox");
      if (runs.length === 0) fs.writeFileSync(file, String(Math.random()));
      return runs.length > 0 ? runs : null;
    }, 20_000, "a watch run after the restart");
    expect(await loggedLines(home, run!)).toEqual(["watch", file]);
  }, 60_000);

  test("a job that writes into the folder it watches is not run again by its own writes", async () => {
    const home = tempHome("watch-own");
    const folder = tempFolder("watched-own");
    await startDaemon(home);
    const writes = ["--", `printf "%s\\n" "$SUNDIAL_CHANGED_PATHS"; echo done > "${folder}/output-$SUNDIAL_RUN_ID.txt"`];
    expect((await sundial(["add", "writer", "--watch", folder, ...writes], { home })).code).toBe(0);
    const input = path.join(folder, "input.txt");
    fs.writeFileSync(input, "x");
    const [first] = await waitFor(async () => {
      const runs = await finishedWatchRuns(home, "writer");
      return runs.length > 0 ? runs : null;
    }, 20_000, "the first run");
    expect(await loggedLines(home, first!)).toEqual([input]);
    expect(fs.existsSync(path.join(folder, `output-${first!.id}.txt`))).toBe(true);
    // The next run comes from the next change from outside, and its output file was not one.
    const marker = path.join(folder, "marker.txt");
    const runs = await waitFor(async () => {
      const found = await finishedWatchRuns(home, "writer");
      if (found.length < 2) fs.writeFileSync(marker, String(Math.random()));
      return found.length >= 2 ? found : null;
    }, 20_000, "the run for the marker");
    expect(await loggedLines(home, runs[1]!)).toEqual([marker]);
  }, 60_000);

  test("a removed folder is reported on the job, and watched again once it is back", async () => {
    const home = tempHome("watch-gone");
    const parent = tempFolder("watched-parent");
    const folder = path.join(parent, "inbox");
    fs.mkdirSync(folder);
    await startDaemon(home);
    expect((await sundial(["add", "inbox", "--watch", folder, ...PRINT_CHANGES], { home })).code).toBe(0);
    expect((await sundialJson<JobView>(["show", "inbox"], { home })).problem).toBeNull();

    fs.rmSync(folder, { recursive: true });
    const missing = `watched path missing: ${folder}`;
    await waitFor(async () => (await sundialJson<JobView>(["show", "inbox"], { home })).problem === missing, 20_000, "the missing folder on the job");
    const shown = await sundial(["show", "inbox"], { home });
    expect(shown.stdout).toContain(missing);

    fs.mkdirSync(folder);
    await waitFor(async () => (await sundialJson<JobView>(["show", "inbox"], { home })).problem === null, 20_000, "the folder watched again");
    // The removal and the return are changes too, and their run may be going on now: a change
    // during it is the run's own and not counted, so the file is written until a run names it.
    const file = path.join(folder, "back.txt");
    await waitFor(
      async () => {
        const runs = await finishedWatchRuns(home, "inbox");
        for (const run of runs) if ((await loggedLines(home, run)).includes(file)) return true;
        fs.writeFileSync(file, String(Math.random()));
        return false;
      },
      30_000,
      "a run for the change in the recreated folder",
    );
  }, 60_000);

  test("a path that is not there yet may be saved, and the answer says it is missing", async () => {
    const home = tempHome("watch-not-yet");
    const notYet = path.join(tempFolder("watched-not-yet"), "not-yet");
    await startDaemon(home);
    const added = await sundialJson<JobView>(["add", "not-yet", "--watch", notYet, "--", "true"], { home });
    expect(added.problem).toBe(`watched path missing: ${notYet}`);
    const saidSo = await sundial(["add", "not-yet-either", "--watch", notYet, "--", "true"], { home });
    expect(saidSo.code).toBe(0);
    expect(saidSo.stderr.trim()).toBe(`warning: watched path missing: ${notYet}`);
  });

  test("a --watch that cannot be watched exits 2 naming --watch, and stores nothing", async () => {
    const home = tempHome("watch-bad");
    await startDaemon(home);
    const storeBefore = fs.readFileSync(homePaths(home).jobs);
    const file = path.join(tempFolder("watch-bad"), "file.txt");
    fs.writeFileSync(file, "x");
    // (A relative path is taken from the folder the CLI runs in; the API refuses one.)
    for (const [bad, message] of [
      ["", /^--watch: must not be empty/],
      [path.join(file, "below"), new RegExp(`^--watch: cannot exist: ${file} is a file, not a folder$`)],
    ] as const) {
      const result = await sundial(["add", "bad", "--watch", bad, "--", "true"], { home });
      expect(result.code, `--watch ${JSON.stringify(bad)}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(message);
    }
    expect(await sundialJson<JobView[]>(["list"], { home })).toEqual([]);
    expect(fs.readFileSync(homePaths(home).jobs)).toEqual(storeBefore);
  });
});
