/**
 * Issue 15: triggers that are not clocks, on a real daemon driven by the real CLI. A job with
 * `--on startup` runs once per engine start; `--after` chains run in order with their
 * parent's run in SUNDIAL_PARENT_*; a failing parent runs only the failure branch.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { addJob, ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const runsOf = (home: string, job: string) => sundialJson<Run[]>(["history", job, "--limit", "1000"], { home });
const ended = (runs: Run[]) => runs.filter((run) => run.status !== "running");

/** A command that writes the run's reason and its parent's variables to `file`, one per line. */
function recordParent(file: string, exit = 0): string {
  return `printf '%s\\n' "$SUNDIAL_REASON" "$SUNDIAL_PARENT_JOB" "$SUNDIAL_PARENT_RUN_ID" "$SUNDIAL_PARENT_STATUS" "$SUNDIAL_PARENT_EXIT_CODE" > '${file}'; exit ${exit}`;
}

describe("a startup trigger", () => {
  test("runs the job once per engine start, with reason startup, and not when it is added", async () => {
    const home = tempHome("startup");
    let daemon = await startDaemon(home);
    await addJob(home, "at-start", "--on", "startup", "--", "echo started");
    await addJob(home, "heartbeat", "--cron", "0 3 1 1 *", "--on", "startup", "--", "true");
    expect(await runsOf(home, "at-start")).toEqual([]);

    for (const expected of [1, 2]) {
      await daemon.stop();
      daemon = await startDaemon(home);
      const runs = await waitFor(async () => {
        const all = ended(await runsOf(home, "at-start"));
        return all.length >= expected && ended(await runsOf(home, "heartbeat")).length >= expected ? all : null;
      }, 20_000, `${expected} startup run(s)`);
      expect(runs).toHaveLength(expected);
      expect(runs.every((run) => run.reason === "startup" && run.status === "succeeded" && run.scheduledAt === null)).toBe(true);
    }
    // Seen by every face: the words, and the reason in the history.
    const show = await sundial(["show", "heartbeat"], { home });
    expect(show.stdout).toMatch(/^Schedule: +At 03:00, on day 1 of the month, only in January \(0 3 1 1 \*\), and at login$/m);
    expect((await sundial(["history", "at-start"], { home })).stdout).toMatch(/succeeded\s+At start/);
    await daemon.stop();
  }, 90_000);
});

describe("after triggers (chains)", () => {
  let home: string;
  let files: string;

  beforeAll(async () => {
    home = tempHome("chains");
    files = tempHome("chain-files");
    fs.mkdirSync(files, { recursive: true });
    await startDaemon(home);
  }, 60_000);

  test("A → B (on success) → C runs in order, each with its parent's run in SUNDIAL_PARENT_*", async () => {
    await addJob(home, "extract", "--manual", "--", "echo extracted");
    await addJob(home, "transform", "--after", "extract", "--", recordParent(path.join(files, "transform")));
    await addJob(home, "load", "--after", "transform:success", "--", recordParent(path.join(files, "load")));
    const list = await sundial(["list"], { home });
    expect(list.stdout).toMatch(/\btransform\s+after extract succeeds$/m);
    expect(list.stdout).toMatch(/\bextract\s+Manual \(Run now, the tray, or a chain\)$/m);
    // NEXT says what an event-only job waits for, as the UI's list and the tray do.
    expect(list.stdout).toMatch(/^manual\s.*\bextract\s/m);
    expect(list.stdout).toMatch(/^after extract\s.*\btransform\s/m);

    const run = await sundial(["run", "extract", "--wait"], { home });
    expect(run.code, run.stderr).toBe(0);
    const [load] = await waitFor(async () => {
      const runs = ended(await runsOf(home, "load"));
      return runs.length > 0 ? runs : null;
    }, 20_000, "the chain to reach load");
    const [extract] = await runsOf(home, "extract");
    const [transform] = await runsOf(home, "transform");

    expect([extract!.reason, transform!.reason, load!.reason]).toEqual(["manual", "after", "after"]);
    expect([transform!.status, load!.status]).toEqual(["succeeded", "succeeded"]);
    expect(Date.parse(transform!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(extract!.endedAt!));
    expect(Date.parse(load!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(transform!.endedAt!));
    expect(fs.readFileSync(path.join(files, "transform"), "utf8").split("\n")).toEqual(["after", "extract", extract!.id, "succeeded", "0", ""]);
    expect(fs.readFileSync(path.join(files, "load"), "utf8").split("\n")).toEqual(["after", "transform", transform!.id, "succeeded", "0", ""]);
  }, 60_000);

  test("a failing parent runs only the failure and always branches, and says its exit code", async () => {
    await addJob(home, "backup", "--manual", "--", "exit 3");
    await addJob(home, "upload", "--after", "backup", "--", "echo uploaded");
    await addJob(home, "cleanup", "--after", "backup:failure", "--", recordParent(path.join(files, "cleanup")));
    await addJob(home, "report", "--after", "backup:always", "--", recordParent(path.join(files, "report")));

    const run = await sundial(["run", "backup", "--wait"], { home });
    expect(run.code).toBe(1);
    const [backup] = await runsOf(home, "backup");
    for (const branch of ["cleanup", "report"]) {
      await waitFor(async () => ended(await runsOf(home, branch)).length === 1, 20_000, `the ${branch} branch`);
      expect(fs.readFileSync(path.join(files, branch), "utf8").split("\n")).toEqual(["after", "backup", backup!.id, "failed", "3", ""]);
    }
    // Started in the same pass as the two branches that ran: it would be on record by now.
    expect(await runsOf(home, "upload")).toEqual([]);
  }, 60_000);

  test("a parent removed later is reported on the child, which stays and runs from Run now", async () => {
    await addJob(home, "parent", "--manual", "--", "true");
    await addJob(home, "orphan", "--after", "parent", "--", "true");
    expect((await sundial(["remove", "parent"], { home })).code).toBe(0);
    const orphan = await sundialJson<JobView>(["show", "orphan"], { home });
    expect(orphan.problem).toMatch(/^triggers\[0\]\.job: the job it runs after was removed/);
    // A problem in one event trigger: the job still runs from its others (and Run now), so
    // the list says "problem", not "broken".
    expect((await sundial(["list"], { home })).stdout).toMatch(/\sproblem\s+orphan\s/);
    expect((await sundial(["run", "orphan", "--wait"], { home })).code).toBe(0);
    const status = await sundial(["status"], { home });
    expect(status.code, status.stderr).toBe(0);
  }, 60_000);
});

describe("sundial next --job", () => {
  test("previews a job's time triggers merged, earliest first; an event-only job has none", async () => {
    const home = tempHome("next-job");
    await startDaemon(home);
    await addJob(home, "twice", "--cron", "0 9 * * *", "--cron", "30 8 * * *", "--on", "wake", "--tz", "UTC", "--", "true");
    await addJob(home, "woken", "--on", "wake", "--", "true");
    const times = await sundialJson<string[]>(["next", "--job", "twice", "--from", "2026-03-02T00:00Z", "-n", "4"], { home });
    expect(times).toEqual(["2026-03-02T08:30:00+00:00", "2026-03-02T09:00:00+00:00", "2026-03-03T08:30:00+00:00", "2026-03-03T09:00:00+00:00"]);
    expect(await sundialJson<string[]>(["next", "--job", "woken"], { home })).toEqual([]);
    const words = await sundial(["next", "--job", "woken"], { home });
    expect(words.stdout).toMatch(/^woken: on wake; times in .*:\n {2}it has no time trigger/);
  }, 60_000);
});
