/**
 * Interval windows and optional fields through the real CLI and a real daemon (issue 13,
 * item 8): `--start`, `--end` and `--jitter` on `add` and `edit`, and `edit --clear FIELD`.
 */
import os from "node:os";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

let home: string;

beforeAll(async () => {
  home = tempHome("job-fields");
  await startDaemon(home);
}, 180_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const HOUR_MS = 3_600_000;

async function show(job: string): Promise<JobView> {
  return sundialJson<JobView>(["show", job], { home });
}

describe("an interval's window and jitter", () => {
  test("add --every with --start, --end and --jitter stores them, and says them in the schedule", async () => {
    const added = await sundialJson<JobView>(
      ["add", "poll", "--every", "1h", "--start", "2099-03-01T08:00Z", "--end", "2099-03-31T18:00Z", "--jitter", "5m", "--", "true"],
      { home },
    );
    expect(added.triggers).toMatchObject([{ type: "interval", everySeconds: 3600, start: "2099-03-01T08:00:00.000Z", end: "2099-03-31T18:00:00.000Z", jitterSeconds: 300 }]);
    // The first run is the start's slot, late by at most the jitter.
    const next = Date.parse(added.nextRunAt!);
    expect(next).toBeGreaterThanOrEqual(Date.parse("2099-03-01T08:00:00Z"));
    expect(next).toBeLessThanOrEqual(Date.parse("2099-03-01T08:05:00Z"));
    const shown = await sundial(["show", "poll"], { home, env: { TZ: "UTC" } });
    expect(shown.stdout).toMatch(/^Schedule: +Every hour from 2099-03-01T08:00:00\+00:00 until 2099-03-31T18:00:00\+00:00, up to 5 minutes late \(jitter\)$/m);
  });

  test("runs only inside the window, then the job is finished", async () => {
    // Far enough ahead that the job is saved before its start on a busy machine.
    const start = new Date(Math.ceil((Date.now() + 10_000) / 1000) * 1000);
    const end = new Date(start.getTime() + 3_000);
    const added = await sundialJson<JobView>(["add", "window", "--every", "1s", "--start", start.toISOString(), "--end", end.toISOString(), "--", "true"], { home });
    expect(Date.parse(added.nextRunAt!)).toBeGreaterThanOrEqual(start.getTime());
    await waitFor(async () => (await show("window")).finished, 30_000, "the window to close");
    const runs = await sundialJson<Run[]>(["history", "window"], { home });
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const slot = Date.parse(run.scheduledAt!);
      expect(slot).toBeGreaterThanOrEqual(start.getTime());
      expect(slot).toBeLessThanOrEqual(end.getTime());
    }
    expect((await show("window")).nextRunAt).toBeNull();
  }, 60_000);

  test("edit changes the window and jitter alone, keeping the rhythm; a new start moves it", async () => {
    await sundial(["add", "rhythm", "--every", "1h", "--start", "2099-05-01T10:30Z", "--", "true"], { home });
    const jittered = await sundialJson<JobView>(["edit", "rhythm", "--jitter", "10m", "--end", "2099-06-01T00:00Z"], { home });
    expect(jittered.triggers).toMatchObject([{ anchor: "2099-05-01T10:30:00.000Z", start: "2099-05-01T10:30:00.000Z", end: "2099-06-01T00:00:00.000Z", jitterSeconds: 600 }]);
    // A new --every on an interval job keeps the window and jitter it had.
    const faster = await sundialJson<JobView>(["edit", "rhythm", "--every", "30m"], { home });
    expect(faster.triggers).toMatchObject([{ everySeconds: 1800, start: "2099-05-01T10:30:00.000Z", end: "2099-06-01T00:00:00.000Z", jitterSeconds: 600 }]);
    const moved = await sundialJson<JobView>(["edit", "rhythm", "--start", "2099-05-02T07:15Z"], { home });
    expect(moved.triggers).toMatchObject([{ anchor: "2099-05-02T07:15:00.000Z", start: "2099-05-02T07:15:00.000Z" }]);
    expect(Date.parse(moved.nextRunAt!)).toBeGreaterThanOrEqual(Date.parse("2099-05-02T07:15:00Z"));
  });

  test("--start and --end without an offset are wall time in --tz", async () => {
    const added = await sundialJson<JobView>(["add", "zoned", "--every", "1d", "--start", "2099-07-01T09:00", "--tz", "Asia/Tokyo", "--", "true"], { home });
    expect(added.triggers).toMatchObject([{ start: "2099-07-01T00:00:00.000Z" }]);
  });
});

describe("edit --clear FIELD", () => {
  test("empties the named optional fields and leaves every other one as it was", async () => {
    await sundial(
      ["add", "full", "--cron", "0 9 * * *", "--tz", "Europe/Paris", "--timeout", "5m", "--cwd", os.tmpdir(), "--env", "A=1", "--retries", "2", "--retry-delay", "30s", "--notify", "always", "--", "echo full"],
      { home },
    );
    const cleared = await sundialJson<JobView>(["edit", "full", "--clear", "timeout", "--clear", "cwd", "--clear", "tz", "--clear", "retries"], { home });
    expect(cleared.timeoutSeconds).toBeUndefined();
    expect(cleared.cwd).toBeUndefined();
    expect(cleared.triggers).toEqual([{ type: "cron", version: 1, expression: "0 9 * * *" }]);
    expect(cleared.retries).toEqual({ count: 0, delaySeconds: 60, backoff: 1 });
    expect(cleared).toMatchObject({ env: { A: "1" }, notify: "always", command: "echo full", name: "full" });
    const shown = await sundial(["show", "full"], { home });
    expect(shown.stdout).toMatch(/^Timeout: +none$/m);
    expect(shown.stdout).toMatch(/^Folder: +\(home folder\)$/m);
  });

  test("--clear env alone removes every variable; with --env it replaces them", async () => {
    await sundial(["add", "vars", "--every", "1h", "--env", "A=1", "--env", "B=2", "--", "true"], { home });
    expect((await sundialJson<JobView>(["edit", "vars", "--clear", "env", "--env", "C=3"], { home })).env).toEqual({ C: "3" });
    expect((await sundialJson<JobView>(["edit", "vars", "--clear", "env"], { home })).env).toEqual({});
  });

  test("a cleared folder and timeout take effect on the next run", async () => {
    await sundial(["add", "where", "--every", "1h", "--cwd", os.tmpdir(), "--timeout", "1s", "--", "sleep 2; pwd"], { home });
    const before = await sundial(["run", "where", "--wait"], { home });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/timed out/);
    expect((await sundial(["edit", "where", "--clear", "cwd", "--clear", "timeout"], { home })).code).toBe(0);
    const after = await sundial(["run", "where", "--wait"], { home });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout.trim()).toBe(os.homedir());
  }, 60_000);

  test("--shell runs the command with that shell, says so in show, and --clear shell goes back to /bin/sh", async () => {
    const added = await sundial(["add", "which-shell", "--every", "1h", "--shell", "/bin/bash", "--", 'echo "${BASH_VERSION:+bash}"'], { home });
    expect(added.code, added.stderr).toBe(0);
    expect((await sundial(["show", "which-shell"], { home })).stdout).toMatch(/^Shell:\s+\/bin\/bash$/m);
    expect((await sundial(["run", "which-shell", "--wait"], { home })).stdout.trim()).toBe("bash");
    const both = await sundial(["edit", "which-shell", "--clear", "shell", "--shell", "/bin/sh"], { home });
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining("--shell")]);
    const empty = await sundial(["edit", "which-shell", "--shell", ""], { home });
    expect([empty.code, empty.stderr.trim()]).toEqual([2, "--shell: must not be empty"]);
    expect((await sundialJson<JobView>(["edit", "which-shell", "--clear", "shell"], { home })).shell).toBeUndefined();
    expect((await sundial(["run", "which-shell", "--wait"], { home })).stdout.trim()).toBe("");
  }, 60_000);

  test("--clear start lets an interval waiting for a future start run from now; --clear end and jitter empty them", async () => {
    await sundial(["add", "later", "--every", "1h", "--start", "2099-01-01T00:00Z", "--end", "2099-12-31T00:00Z", "--jitter", "1m", "--", "true"], { home });
    const before = Date.now();
    const cleared = await sundialJson<JobView>(["edit", "later", "--clear", "start", "--clear", "end", "--clear", "jitter"], { home });
    expect(cleared.triggers[0]).not.toHaveProperty("start");
    expect(cleared.triggers[0]).not.toHaveProperty("end");
    expect(cleared.triggers[0]).not.toHaveProperty("jitterSeconds");
    const next = Date.parse(cleared.nextRunAt!);
    expect(next).toBeGreaterThan(before);
    expect(next).toBeLessThanOrEqual(Date.now() + HOUR_MS);
  });
});
