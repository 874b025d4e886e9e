import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ChildProcessExecutor } from "../../../electron/core/executor/child-process-executor.js";
import { buildRunEnvironment } from "../../../electron/core/executor/login-env.js";
import {
  bytesOf,
  definedEnv,
  fixtureCommand,
  killQuietly,
  pidAfter,
  processState,
  startCollecting,
  waitFor,
} from "../../support/executor-harness.js";
import { tempFolder } from "../../support/temp-folders.mjs";

const logged: string[] = [];
const executor = new ChildProcessExecutor({ log: (line) => logged.push(line) });
const scratch = tempFolder("exec");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("ChildProcessExecutor running commands", () => {
  it("reports exit code 0 with the output and a measured duration", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-exit-0.sh") });
    expect(run.execution.pid).toBeUndefined(); // paths are checked before spawning
    const result = await run.done;
    expect(result).toMatchObject({ outcome: "exited", exitCode: 0, signal: null, error: null });
    expect(run.text.stdout).toBe("backing up\nall good\n");
    expect(result.tail).toBe("backing up\nall good");
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.endedAt.getTime()).toBeGreaterThanOrEqual(result.startedAt.getTime());
  });

  it("reports a non-zero exit code with both streams and the tail", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-exit-3.sh") });
    const result = await run.done;
    expect(result).toMatchObject({ outcome: "exited", exitCode: 3, signal: null });
    expect(run.text.stdout).toBe("copying files\ncopied 41 of 42\n");
    expect(run.text.stderr).toBe("error: disk full\n");
    expect(result.tail.split("\n")).toEqual(expect.arrayContaining(["copied 41 of 42", "error: disk full"]));
  });

  it("streams stderr separately, chunk by chunk in the order it was written", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-stderr.sh") });
    await run.done;
    expect(bytesOf(run, "stderr").toString()).toBe("warning: first\nwarning: last\n");
    expect(bytesOf(run, "stdout").toString()).toBe("regular line\n");
    const order = run.chunks.map((chunk) => `${chunk.stream}:${chunk.bytes.toString().trim()}`);
    expect(order).toEqual(["stderr:warning: first", "stdout:regular line", "stderr:warning: last"]);
  });

  it("reports a process killed by a signal it did not ask for as signalled", async () => {
    const result = await startCollecting(executor, { command: "kill -KILL $$" }).done;
    expect(result).toMatchObject({ outcome: "signalled", exitCode: null, signal: "SIGKILL" });
  });

  it("passes the run's environment (SUNDIAL_* and the job's variables) and cwd to the command", async () => {
    const env = buildRunEnvironment(definedEnv(), { JOB_TARGET: "s3://bucket" }, {
      jobId: "job-1",
      jobName: "nightly backup",
      runId: "run-42",
      scheduledAt: "2026-03-01T02:00:00.000Z",
      reason: "schedule",
    });
    const run = startCollecting(executor, { command: `"${process.execPath}" ${fixtureCommand("exec-print-env.mjs")}`, env, cwd: scratch });
    const result = await run.done;
    expect(result.outcome).toBe("exited");
    const printed = JSON.parse(run.text.stdout) as { env: Record<string, string>; cwd: string };
    expect(printed.cwd).toBe(scratch);
    expect(printed.env).toEqual({
      JOB_TARGET: "s3://bucket",
      SUNDIAL_JOB_ID: "job-1",
      SUNDIAL_JOB_NAME: "nightly backup",
      SUNDIAL_RUN_ID: "run-42",
      SUNDIAL_SCHEDULED_AT: "2026-03-01T02:00:00.000Z",
      SUNDIAL_REASON: "schedule",
    });
  });

  it("uses the job's shell when it sets one", async () => {
    const run = startCollecting(executor, { command: 'echo "$BASH_VERSION" | cut -c1', shell: "/bin/bash" });
    expect(await run.done).toMatchObject({ outcome: "exited", exitCode: 0 });
    expect(run.text.stdout).toMatch(/^\d\n$/);
  });
});

describe("ChildProcessExecutor spawn errors", () => {
  it("reports a missing cwd as spawn_error with the path, without spawning", async () => {
    const result = await startCollecting(executor, { command: "true", cwd: "/nope" }).done;
    expect(result).toMatchObject({ outcome: "spawn_error", exitCode: null, error: 'cwd "/nope" does not exist' });
  });

  it("reports a cwd that is a file as spawn_error", async () => {
    const file = path.join(scratch, "not-a-dir");
    writeFileSync(file, "");
    const result = await startCollecting(executor, { command: "true", cwd: file }).done;
    expect(result).toMatchObject({ outcome: "spawn_error", error: `cwd "${file}" is not a directory` });
  });

  it("reports a relative cwd as spawn_error instead of resolving it against Sundial's own folder", async () => {
    const result = await startCollecting(executor, { command: "true", cwd: "projects" }).done;
    expect(result).toMatchObject({ outcome: "spawn_error", error: 'cwd "projects" is not an absolute path' });
  });

  it("reports a missing absolute shell as spawn_error", async () => {
    const result = await startCollecting(executor, { command: "true", shell: "/bin/zsh-not-installed" }).done;
    expect(result).toMatchObject({ outcome: "spawn_error", error: 'shell "/bin/zsh-not-installed" not found' });
  });

  it("reports a shell name missing from PATH (spawn's ENOENT event) as spawn_error", async () => {
    const result = await startCollecting(executor, { command: "true", shell: "no-such-shell-sundial" }).done;
    expect(result).toMatchObject({ outcome: "spawn_error", error: 'shell "no-such-shell-sundial" not found (ENOENT)' });
  });

  it("reports a shell that is not executable (EACCES) as spawn_error", async () => {
    const shell = path.join(scratch, "not-executable.sh");
    writeFileSync(shell, "#!/bin/sh\n", { mode: 0o644 });
    const result = await startCollecting(executor, { command: "true", shell }).done;
    expect(result.outcome).toBe("spawn_error");
    expect(result.error).toBe(`could not start "${shell}": permission denied (EACCES)`);
  });

  it("reports a command line too long for the system (E2BIG, which Node throws) as spawn_error", async () => {
    const result = await startCollecting(executor, { command: `echo ${"x".repeat(300_000)}` }).done;
    expect(result.outcome).toBe("spawn_error");
    expect(result.error).toMatch(/too long.*\(E2BIG\)/);
  });
});

describe("ChildProcessExecutor stream edge cases", () => {
  it("still completes normally when the command closes its stdout early and keeps working", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-close-stdout.sh") });
    const result = await run.done;
    expect(result).toMatchObject({ outcome: "exited", exitCode: 0 });
    expect(run.text.stdout).toBe("before close\n");
    expect(run.text.stderr).toBe("still working\n");
    expect(result.durationMs).toBeGreaterThanOrEqual(300);
  });

  it("does not hang when a background process keeps stdout open after the shell exits", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-background-holder.sh") });
    const result = await run.done;
    const holder = pidAfter("holder", run.text.stdout);
    try {
      expect(result).toMatchObject({ outcome: "exited", exitCode: 0 });
      // The shell exits at once; the run ends after the ~1 s drain window, not after `sleep 100`.
      expect(result.durationMs).toBeGreaterThanOrEqual(900);
      expect(result.durationMs).toBeLessThan(5_000);
      // Like cron, a normally finished run leaves what it started in the background alone.
      expect(processState(holder)).toBe("running");
    } finally {
      killQuietly(holder);
    }
  });

  it("keeps the output callbacks' errors from breaking the run", async () => {
    const local: string[] = [];
    const quiet = new ChildProcessExecutor({ log: (line) => local.push(line) });
    const result = await quiet.start({
      runId: "run-throws",
      command: fixtureCommand("exec-exit-3.sh"),
      cwd: scratch,
      env: definedEnv(),
      timeoutMs: null,
      killGraceMs: 100,
      onOutputBytes: () => {
        throw new Error("disk full");
      },
    }).done;
    expect(result).toMatchObject({ outcome: "exited", exitCode: 3 });
    expect(local).toEqual(["onOutputBytes of run run-throws threw (later errors not reported): disk full"]);
  });
});

describe("ChildProcessExecutor cancel()", () => {
  it("ends the whole tree with SIGTERM and reports cancelled", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-hang-with-grandchild.sh"), killGraceMs: 2_000 });
    await waitFor(() => run.text.stdout.includes("grandchild"), 5_000, "the grandchild's pid");
    const grandchild = pidAfter("grandchild", run.text.stdout);
    run.execution.cancel();
    run.execution.cancel(); // a second click changes nothing
    const result = await run.done;
    expect(result).toMatchObject({ outcome: "cancelled", signal: "SIGTERM" });
    // Everything answered SIGTERM, so the run did not wait out the 2 s grace.
    expect(result.durationMs).toBeLessThan(1_500);
    expect(processState(grandchild)).not.toBe("running");
  });

  it("before the process started, never spawns it", async () => {
    const marker = path.join(scratch, "should-not-exist");
    const run = startCollecting(executor, { command: `touch '${marker}'` });
    run.execution.cancel();
    const result = await run.done;
    expect(result).toMatchObject({ outcome: "cancelled", exitCode: null });
    expect(run.execution.pid).toBeUndefined();
    await expect(import("node:fs/promises").then((fs) => fs.access(marker))).rejects.toThrow();
  });

  it("after the run finished, does nothing", async () => {
    const run = startCollecting(executor, { command: "exit 0" });
    const result = await run.done;
    run.execution.cancel();
    expect(await run.done).toBe(result);
    expect(result.outcome).toBe("exited");
  });
});
