import { describe, expect, it } from "vitest";
import {
  buildRunEnvironment,
  forgetUserEnvironment,
  resolveUserEnvironment,
} from "../../../electron/core/executor/login-env.js";

const minimalEnv = { PATH: "/usr/bin:/bin", HOME: "/home/ada", DISPLAY: ":0", MULTI: "a\nb" };

describe("resolveUserEnvironment", () => {
  it("overlays the login shell's environment on Sundial's own, the shell winning (PATH above all)", async () => {
    const env = await resolveUserEnvironment({
      processEnv: minimalEnv,
      platform: "linux",
      readLoginShell: async () => ({ PATH: "/home/ada/.local/bin:/usr/local/bin:/usr/bin:/bin", EDITOR: "vim", HOME: "/home/ada" }),
    });
    expect(env).toEqual({ ...minimalEnv, PATH: "/home/ada/.local/bin:/usr/local/bin:/usr/bin:/bin", EDITOR: "vim" });
  });

  it("drops what describes the probe shell itself and names shell-env cannot carry", async () => {
    const env = await resolveUserEnvironment({
      processEnv: minimalEnv,
      platform: "linux",
      readLoginShell: async () => ({
        PWD: "/somewhere",
        SHLVL: "2",
        _: "/usr/bin/env",
        DISABLE_AUTO_UPDATE: "true",
        "BASH_FUNC_greet%%": "() {  echo hi",
        MULTI: "a",
        GOPATH: "/home/ada/go",
      }),
    });
    expect(env).toEqual({ ...minimalEnv, GOPATH: "/home/ada/go" });
  });

  it("falls back to Sundial's own environment when the login shell is too slow, and says why", async () => {
    const logged: string[] = [];
    const started = performance.now();
    const env = await resolveUserEnvironment({
      processEnv: minimalEnv,
      platform: "linux",
      timeoutMs: 200,
      log: (line) => logged.push(line),
      readLoginShell: () => new Promise(() => {}),
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(env).toEqual(minimalEnv);
    expect(logged).toEqual([
      "could not read the login shell's environment (the login shell did not answer within 200 ms); using Sundial's own environment",
    ]);
  });

  it("falls back to Sundial's own environment when the login shell fails", async () => {
    const logged: string[] = [];
    const env = await resolveUserEnvironment({
      processEnv: minimalEnv,
      platform: "linux",
      log: (line) => logged.push(line),
      readLoginShell: async () => {
        throw new Error("Command failed: /bin/zsh -ilc …");
      },
    });
    expect(env).toEqual(minimalEnv);
    expect(logged[0]).toContain("Command failed: /bin/zsh -ilc");
  });

  it("does not ask a shell on Windows", async () => {
    let asked = false;
    const env = await resolveUserEnvironment({
      processEnv: { Path: "C:\\Windows" },
      platform: "win32",
      readLoginShell: async () => {
        asked = true;
        return {};
      },
    });
    expect(asked).toBe(false);
    expect(env).toEqual({ Path: "C:\\Windows" });
  });

  it("reads this machine's real login shell once and caches it", async () => {
    forgetUserEnvironment();
    const logged: string[] = [];
    const first = await resolveUserEnvironment({ log: (line) => logged.push(line), timeoutMs: 10_000 });
    expect(logged).toEqual([]);
    expect(first.PATH).toBeTruthy();
    expect(first.HOME).toBe(process.env.HOME);
    const started = performance.now();
    const second = await resolveUserEnvironment();
    expect(performance.now() - started).toBeLessThan(50);
    expect(second).toEqual(first);
    second.PATH = "changed by a caller";
    expect((await resolveUserEnvironment()).PATH).toBe(first.PATH);
    forgetUserEnvironment();
  });
});

describe("buildRunEnvironment", () => {
  const vars = { jobId: "job-1", jobName: "backup", runId: "run-9", scheduledAt: "2026-03-01T02:00:00.000Z", reason: "schedule" as const };

  it("layers the job's variables and SUNDIAL_* over the base", () => {
    const env = buildRunEnvironment({ PATH: "/bin", TARGET: "base" }, { TARGET: "job", EXTRA: "1" }, vars, "linux");
    expect(env).toEqual({
      PATH: "/bin",
      TARGET: "job",
      EXTRA: "1",
      SUNDIAL_JOB_ID: "job-1",
      SUNDIAL_JOB_NAME: "backup",
      SUNDIAL_RUN_ID: "run-9",
      SUNDIAL_SCHEDULED_AT: "2026-03-01T02:00:00.000Z",
      SUNDIAL_REASON: "schedule",
    });
  });

  it("does not let a job override the reserved SUNDIAL_* variables", () => {
    const env = buildRunEnvironment({}, { SUNDIAL_RUN_ID: "forged" }, vars, "linux");
    expect(env.SUNDIAL_RUN_ID).toBe("run-9");
  });

  it("adds what the trigger tells the run (a watch's changed paths) over the job's own variables", () => {
    const env = buildRunEnvironment({}, { SUNDIAL_CHANGED_PATHS: "forged" }, { ...vars, eventEnv: { SUNDIAL_CHANGED_PATHS: "/inbox/a\n/inbox/b" } }, "linux");
    expect(env.SUNDIAL_CHANGED_PATHS).toBe("/inbox/a\n/inbox/b");
  });

  it("uses the start time as SUNDIAL_SCHEDULED_AT for a manual run", () => {
    const env = buildRunEnvironment({}, {}, { ...vars, scheduledAt: null, reason: "manual", startedAt: "2026-03-01T09:15:00.000Z" }, "linux");
    expect(env.SUNDIAL_SCHEDULED_AT).toBe("2026-03-01T09:15:00.000Z");
    expect(env.SUNDIAL_REASON).toBe("manual");
  });

  it("replaces a variable case-insensitively on Windows and keeps case-distinct names elsewhere", () => {
    expect(buildRunEnvironment({ Path: "C:\\Windows" }, { PATH: "C:\\tools" }, vars, "win32")).toMatchObject({ PATH: "C:\\tools" });
    expect(buildRunEnvironment({ Path: "C:\\Windows" }, { PATH: "C:\\tools" }, vars, "win32")).not.toHaveProperty("Path");
    expect(buildRunEnvironment({ path: "lower" }, { PATH: "/bin" }, vars, "linux")).toMatchObject({ path: "lower", PATH: "/bin" });
  });

  it("does not modify the base it was given", () => {
    const base = { PATH: "/bin" };
    buildRunEnvironment(base, { X: "1" }, vars, "linux");
    expect(base).toEqual({ PATH: "/bin" });
  });
});
