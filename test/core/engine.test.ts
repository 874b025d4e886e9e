/**
 * A few real-time tests that prove the wiring: a real engine on a temp home, real child
 * processes, real files. Policies are covered on a fake clock in test/core/scheduler/.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../electron/core/engine.js";
import { SilentNotifier } from "../../electron/core/notifier/silent-notifier.js";
import { main } from "../../electron/daemon/cli.js";
import { StoreCorruptError } from "../../electron/shared/errors.js";
import type { Run } from "../../electron/shared/schemas.js";
import { tempFolder } from "../support/temp-folders.mjs";

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

function tempHome(): string {
  return path.join(tempFolder("engine"), "home");
}

async function open(home: string): Promise<Engine> {
  const engine = await openEngine({ home, notifier: new SilentNotifier(), baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, killGraceMs: 500 });
  engines.push(engine);
  return engine;
}

function nextFinished(engine: Engine, jobId: string): Promise<Run> {
  return new Promise((resolve) => {
    const stop = engine.subscribe((event) => {
      if (event.type === "run.finished" && event.run.jobId === jobId && event.run.status !== "skipped") {
        stop();
        resolve(event.run);
      }
    });
  });
}

describe("the engine on a real home folder", () => {
  it("reports the package's version, the same one `sundial --version` prints", async () => {
    const engine = await open(tempHome());
    const manifest = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    let printed = "";
    const sink = { write: (text: string) => void (printed += text) };
    await main(["node", "sundial", "--version"], { stdout: sink, stderr: sink, env: {} });
    expect((await engine.service.status()).version).toBe(manifest.version);
    expect(printed.trim()).toBe(manifest.version);
  });

  it("runs a scheduled command for real and records its output, environment and status", async () => {
    const home = tempHome();
    const engine = await open(home);
    const job = await engine.service.addJob({
      name: "echo",
      trigger: { type: "interval", everySeconds: 1 },
      command: 'echo "hello from $SUNDIAL_JOB_NAME ($SUNDIAL_REASON)"; pwd',
      cwd: os.tmpdir(),
    });
    const run = await nextFinished(engine, job.id);
    expect(run.status).toBe("succeeded");
    expect(run.exitCode).toBe(0);
    expect(run.reason).toBe("schedule");
    const log = await engine.service.runLog(run.id);
    expect(log.text).toContain("hello from echo (schedule)");
    expect(log.text).toContain(fs.realpathSync(os.tmpdir()));
    expect((fs.statSync(home).mode & 0o777).toString(8)).toBe("700");
    expect((fs.statSync(path.join(home, "jobs.json")).mode & 0o777).toString(8)).toBe("600");
  });

  it("records a failing command with its exit code, and a run now as manual", async () => {
    const engine = await open(tempHome());
    const job = await engine.service.addJob({ name: "fail", trigger: { type: "cron", expression: "0 3 1 1 *" }, command: "echo oops >&2; exit 7" });
    const finished = nextFinished(engine, job.id);
    await engine.service.runNow("fail");
    const run = await finished;
    expect([run.status, run.exitCode, run.reason]).toEqual(["failed", 7, "manual"]);
    expect((await engine.service.runLog(run.id)).text).toContain("oops");
    expect((await engine.service.getJob("fail")).lastRun?.id).toBe(run.id);
  });

  it("stop ends a running run, kills it and records it as interrupted", async () => {
    const home = tempHome();
    const engine = await open(home);
    const job = await engine.service.addJob({ name: "sleepy", trigger: { type: "cron", expression: "0 3 1 1 *" }, command: "echo started; sleep 30" });
    const started = new Promise<void>((resolve) => {
      const stop = engine.subscribe((event) => {
        if (event.type === "run.output" && event.jobId === job.id) {
          stop();
          resolve();
        }
      });
    });
    const run = await engine.service.runNow(job.id);
    await started; // the command is running
    await engine.stop();
    const reopened = await open(home);
    const recorded = await reopened.service.getRun(run.id);
    expect(recorded.status).toBe("interrupted");
  });

  it("keeps jobs and the interval anchor across a restart", async () => {
    const home = tempHome();
    const first = await open(home);
    const job = await first.service.addJob({ name: "every-hour", trigger: { type: "interval", everySeconds: 3600 }, command: "true" });
    await first.stop();
    const second = await open(home);
    const again = await second.service.getJob("every-hour");
    expect(again.triggers).toEqual(job.triggers);
    expect(again.nextRunAt).toBe(job.nextRunAt);
  });

  it("refuses a corrupt jobs.json, naming the file and the problem, and keeps its bytes", async () => {
    const home = tempHome();
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    const file = path.join(home, "jobs.json");
    const broken = '{"version":2,"settings":{},"jobs":[{"id":"j_1","name":"backup"';
    fs.writeFileSync(file, broken, { mode: 0o600 });
    const opening = openEngine({ home, notifier: new SilentNotifier(), baseEnv: {} });
    await expect(opening).rejects.toBeInstanceOf(StoreCorruptError);
    await expect(opening).rejects.toThrow(file);
    expect(fs.readFileSync(file, "utf8")).toBe(broken);
  });
});
