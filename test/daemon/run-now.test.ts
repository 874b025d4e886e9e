import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor, type RunningDaemon } from "../support/cli.js";

let home: string;
let daemon: RunningDaemon;
// Jobs that never fire by themselves in a test run: only `run` starts them.
const YEARLY = ["--cron", "0 0 1 1 *"];

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("run");
  daemon = await startDaemon(home);
  const jobs: [string, string[], string][] = [
    ["ok", [], "echo out; echo err >&2"],
    ["bad", [], "echo failing; exit 3"],
    ["slow", ["--timeout", "1s"], "echo started; sleep 30"],
    ["steps", [], "for i in 1 2 3; do echo line$i; sleep 0.4; done"],
  ];
  for (const [name, options, command] of jobs) {
    const result = await sundial(["add", name, ...YEARLY, ...options, "--", command], { home });
    expect(result.code, result.stderr).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe("sundial run --wait", () => {
  test("streams the output live and exits 0 when the run succeeded", async () => {
    const result = await sundial(["run", "ok", "--wait"], { home });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("out\n");
    expect(result.stderr).toMatch(/^Started run r_\S+ of "ok"\nerr\nRun r_\S+ succeeded \(exit 0\) after \d/);
  });

  test("exits 1 and prints the status when the run failed", async () => {
    const result = await sundial(["run", "bad", "--wait"], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("failing\n");
    expect(result.stderr).toMatch(/Run r_\S+ failed \(exit 3\)/);
  });

  test("exits 1 when the run timed out", async () => {
    const started = Date.now();
    const result = await sundial(["run", "slow", "--wait"], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("started\n");
    expect(result.stderr).toMatch(/Run r_\S+ timed out/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 20_000);

  test("an unknown job fails with one line and starts nothing", async () => {
    const result = await sundial(["run", "nope", "--wait"], { home });
    expect(result).toMatchObject({ code: 1, stdout: "", stderr: 'No job with id or name "nope"\n' });
  });
});

describe("runs afterwards: logs and history", () => {
  test("run without --wait returns at once; logs shows both streams of the finished run", async () => {
    const result = await sundial(["run", "ok"], { home });
    expect(result.code).toBe(0);
    const runId = /Started run (r_\S+)/.exec(result.stdout)![1]!;
    await waitFor(async () => (await sundialJson<Run[]>(["history", "ok", "--limit", "1"], { home }))[0]?.status === "succeeded");
    const log = await sundial(["logs", runId], { home });
    expect(log).toMatchObject({ code: 0, stdout: "out\nerr\n" });
  });

  test("logs --follow prints a running run's output once, to the end", async () => {
    const started = await sundial(["run", "steps"], { home });
    const runId = /Started run (r_\S+)/.exec(started.stdout)![1]!;
    const followed = await sundial(["logs", runId, "--follow"], { home });
    expect(followed.code).toBe(0);
    expect(followed.stdout).toBe("line1\nline2\nline3\n");
    expect(followed.stderr).toMatch(/Run r_\S+ succeeded/);
  });

  test("history --json lists runs newest first with the contract's fields", async () => {
    const runs = await sundialJson<Run[]>(["history"], { home });
    expect(runs.length).toBeGreaterThanOrEqual(4);
    for (const run of runs) {
      for (const field of ["id", "jobId", "status", "reason", "scheduledAt", "startedAt", "endedAt", "exitCode", "durationMs"]) expect(run).toHaveProperty(field);
      expect(run.reason).toBe("manual");
    }
    const starts = runs.map((run) => Date.parse(run.startedAt!));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    const jobs = await sundialJson<JobView[]>(["list"], { home });
    expect(jobs.find((job) => job.name === "bad")!.lastRun).toMatchObject({ status: "failed", exitCode: 3 });

    const table = await sundial(["history", "bad", "--limit", "1"], { home });
    expect(table.stdout).toMatch(/^STARTED\s+RUN\s+JOB\s+STATUS\s+REASON\s+EXIT\s+DURATION\n.*\bbad\s+failed\s+Manual\s+3\s/);
  });

  test("logs of an unknown run fails with one line", async () => {
    const result = await sundial(["logs", "r_nope"], { home });
    expect(result).toMatchObject({ code: 1, stderr: 'No run with id "r_nope"\n' });
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  test("the daemon logged each run's start and end", () => {
    expect(daemon.stderr()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d run r_\S+ started: ok \(manual\)$/m);
    expect(daemon.stderr()).toMatch(/run r_\S+ failed: bad \(exit 3/);
  });
});
