/**
 * Processes prepared ahead of their slot: real /bin/sh gates, real commands, real files. The
 * property that matters most is that a prepared process never runs its command unless it
 * is started: not when discarded, not when Sundial dies, not for a changed command.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChildProcessExecutor } from "../../../electron/core/executor/child-process-executor.js";
import type { PreparedExecution, PrepareRequest } from "../../../electron/core/executor/executor.js";
import { definedEnv } from "../../support/executor-harness.js";
import { removeTempFolders, tempFolder } from "../../support/temp-folders.mjs";
import { sleep, waitFor } from "../../support/waiting.mjs";

const executor = new ChildProcessExecutor({ log: () => undefined });
const leftovers: PreparedExecution[] = [];

afterEach(() => {
  for (const prepared of leftovers.splice(0)) prepared.discard();
  removeTempFolders();
});

function prepare(request: Partial<PrepareRequest> & { command: string }): PreparedExecution {
  const prepared = executor.prepare({ cwd: os.tmpdir(), env: definedEnv(), lateVariable: "SUNDIAL_RUN_ID", ...request });
  if (!prepared) throw new Error("prepare returned null");
  leftovers.push(prepared);
  return prepared;
}

/** Gate processes still alive whose command line contains `marker`. */
function gatesWith(marker: string): number[] {
  const result = spawnSync("pgrep", ["-f", marker], { encoding: "utf8" });
  return result.stdout
    .split("\n")
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        // A zombie (killed, not yet reaped) does not run anything.
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    });
}

describe.skipIf(process.platform === "win32")("a process prepared ahead of its slot", () => {
  it("runs the command when started, with the run id, stdin at /dev/null and no extra descriptor", async () => {
    const prepared = prepare({ command: 'echo "run=$SUNDIAL_RUN_ID"; cat; [ -e /dev/fd/3 ] && echo fd3-open || echo fd3-closed; exit 3', env: { ...definedEnv(), SUNDIAL_RUN_ID: "" } });
    await sleep(100);
    expect(prepared.usable).toBe(true);
    const chunks: string[] = [];
    const execution = executor.start(
      {
        runId: "r_test_1234",
        command: 'echo "run=$SUNDIAL_RUN_ID"; cat; [ -e /dev/fd/3 ] && echo fd3-open || echo fd3-closed; exit 3',
        cwd: os.tmpdir(),
        env: { ...definedEnv(), SUNDIAL_RUN_ID: "r_test_1234" },
        timeoutMs: 5_000,
        killGraceMs: 500,
        onOutputBytes: (_stream, chunk) => chunks.push(chunk.toString()),
      },
      prepared,
    );
    const result = await execution.done;
    expect(result.outcome).toBe("exited");
    expect(result.exitCode).toBe(3);
    expect(chunks.join("")).toBe("run=r_test_1234\nfd3-closed\n");
    expect(prepared.usable).toBe(false);
  });

  it("runs in the job's shell, cwd and environment, as $0 of that shell", async () => {
    const folder = tempFolder("prepared");
    const command = 'printf "%s|%s|%s|%s" "$0" "$PWD" "$GREETING" "$SUNDIAL_RUN_ID"';
    const env = { ...definedEnv(), GREETING: "hello" };
    const prepared = prepare({ command, shell: "/bin/bash", cwd: folder, env });
    const chunks: string[] = [];
    const execution = executor.start(
      { runId: "r_2", command, shell: "/bin/bash", cwd: folder, env: { ...env, SUNDIAL_RUN_ID: "r_2" }, timeoutMs: null, killGraceMs: 500, onOutputBytes: (_s, chunk) => chunks.push(chunk.toString()) },
      prepared,
    );
    expect((await execution.done).exitCode).toBe(0);
    expect(chunks.join("")).toBe(`/bin/bash|${fs.realpathSync(folder)}|hello|r_2`);
  });

  it("never runs the command when discarded, and its process goes away", async () => {
    const folder = tempFolder("prepared");
    const marker = path.join(folder, "ran-discarded");
    const prepared = prepare({ command: `touch ${marker}` });
    await waitFor(() => gatesWith(marker).length === 1, 5_000, "the gate to be waiting");
    prepared.discard();
    expect(prepared.usable).toBe(false);
    await waitFor(() => gatesWith(marker).length === 0, 5_000, "the gate to be gone");
    await sleep(200);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("is discarded, not used, when started for a different command, cwd or shell", async () => {
    const folder = tempFolder("prepared");
    const oldMarker = path.join(folder, "old");
    const newMarker = path.join(folder, "new");
    const prepared = prepare({ command: `touch ${oldMarker}` });
    const execution = executor.start(
      { runId: "r_3", command: `touch ${newMarker}`, cwd: os.tmpdir(), env: { ...definedEnv(), SUNDIAL_RUN_ID: "r_3" }, timeoutMs: null, killGraceMs: 500, onOutputBytes: () => undefined },
      prepared,
    );
    expect((await execution.done).exitCode).toBe(0);
    expect(fs.existsSync(newMarker)).toBe(true);
    await waitFor(() => gatesWith(oldMarker).length === 0, 5_000, "the unused gate to be gone");
    expect(fs.existsSync(oldMarker)).toBe(false);
  });

  it("falls back to a fresh process when the prepared one died while waiting", async () => {
    const folder = tempFolder("prepared");
    const marker = path.join(folder, "ran");
    const prepared = prepare({ command: `echo ran > ${marker}` });
    await waitFor(() => gatesWith(marker).length === 1, 5_000, "the gate to be waiting");
    for (const pid of gatesWith(marker)) process.kill(pid, "SIGKILL");
    await waitFor(() => !prepared.usable, 5_000, "the executor to notice the gate died");
    const execution = executor.start(
      { runId: "r_4", command: `echo ran > ${marker}`, cwd: os.tmpdir(), env: { ...definedEnv(), SUNDIAL_RUN_ID: "r_4" }, timeoutMs: null, killGraceMs: 500, onOutputBytes: () => undefined },
      prepared,
    );
    const result = await execution.done;
    expect(result.outcome).toBe("exited");
    expect(result.exitCode).toBe(0);
    expect(fs.readFileSync(marker, "utf8")).toBe("ran\n");
  });

  it("is not used when its cwd was deleted meanwhile: the run fails to start, as a fresh one would", async () => {
    const folder = tempFolder("prepared");
    const cwd = path.join(folder, "work");
    fs.mkdirSync(cwd);
    const marker = path.join(folder, "ran-in-deleted-cwd");
    const prepared = prepare({ command: `touch ${marker}`, cwd });
    fs.rmSync(cwd, { recursive: true });
    const execution = executor.start(
      { runId: "r_6", command: `touch ${marker}`, cwd, env: { ...definedEnv(), SUNDIAL_RUN_ID: "r_6" }, timeoutMs: null, killGraceMs: 500, onOutputBytes: () => undefined },
      prepared,
    );
    const result = await execution.done;
    expect(result.outcome).toBe("spawn_error");
    expect(result.error).toContain("does not exist");
    await waitFor(() => gatesWith(marker).length === 0, 5_000, "the unused gate to be gone");
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("times out and cancels like any run: the whole tree is ended", async () => {
    const command = "sleep 30 & sleep 30; echo never";
    const prepared = prepare({ command });
    const chunks: string[] = [];
    const execution = executor.start({ runId: "r_5", command, cwd: os.tmpdir(), env: { ...definedEnv(), SUNDIAL_RUN_ID: "r_5" }, timeoutMs: 300, killGraceMs: 300, onOutputBytes: (_s, chunk) => chunks.push(chunk.toString()) }, prepared);
    const result = await execution.done;
    expect(result.outcome).toBe("timed_out");
    expect(chunks.join("")).toBe("");
  });

  it.each([
    ["in the /bin/sh gate", "/bin/sh", ""],
    ["as bash in the gate file", "/bin/bash", "gate"],
  ])("exits without running anything when Sundial dies while it waits (%s)", async (_name, shell, gate) => {
    const folder = tempFolder("prepared");
    const gateFolder = gate ? tempFolder("gate-home") : "";
    const marker = path.join(folder, "ran-after-death");
    // A separate Node process prepares the gate and is then killed -9, as a crash would (its
    // own command line spells the marker in pieces, so only the gate matches it).
    const moduleUrl = new URL("../../../dist/electron/core/executor/child-process-executor.js", import.meta.url).href;
    const script = `
      const { ChildProcessExecutor } = await import(${JSON.stringify(moduleUrl)});
      const prepared = new ChildProcessExecutor({ gateFolder: ${JSON.stringify(gateFolder)} }).prepare({ command: "touch " + ${JSON.stringify(folder)} + "/ran-" + "after-death", shell: ${JSON.stringify(shell)}, cwd: "/", env: { PATH: "/usr/bin:/bin" }, lateVariable: "SUNDIAL_RUN_ID" });
      console.log(prepared ? "ready" : "null");
      setInterval(() => {}, 1000);`;
    const host = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const first = await new Promise<string>((resolve) => host.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())));
      expect(first).toBe("ready");
      await waitFor(() => gatesWith(marker).length === 1, 5_000, "the gate to be waiting");
      host.kill("SIGKILL");
      await waitFor(() => gatesWith(marker).length === 0, 5_000, "the orphaned gate to exit");
      await sleep(200);
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      host.kill("SIGKILL");
    }
  });

  it("is not offered for a bare shell name, a missing cwd or on Windows", () => {
    expect(executor.prepare({ command: "true", shell: "bash", cwd: os.tmpdir(), env: definedEnv(), lateVariable: "X" })).toBeNull();
    expect(executor.prepare({ command: "true", cwd: "/no/such/folder", env: definedEnv(), lateVariable: "X" })).toBeNull();
    expect(new ChildProcessExecutor({ platform: "win32" }).prepare({ command: "true", cwd: os.tmpdir(), env: definedEnv(), lateVariable: "X" })).toBeNull();
  });
});

/** Everything a run's process says about itself, as `bash -c` would say it in a fresh spawn. */
const SELF_REPORT = 'printf "%s|%s|%s|%s|%s|" "$0" "$#" "$SUNDIAL_RUN_ID" "${BASH_ENV-unset}" "${SUNDIAL_GATE_FILE-unset}"; [ -e /dev/fd/3 ] && printf fd3-open || printf fd3-closed';

describe.skipIf(process.platform === "win32")("a bash job's process prepared ahead (bash itself, waiting in the gate file)", () => {
  const gated = () => new ChildProcessExecutor({ log: () => undefined, gateFolder: tempFolder("gate-home") });

  function prepareWith(gateExecutor: ChildProcessExecutor, request: Partial<PrepareRequest> & { command: string }): PreparedExecution {
    const prepared = gateExecutor.prepare({ cwd: os.tmpdir(), env: definedEnv(), lateVariable: "SUNDIAL_RUN_ID", shell: "/bin/bash", ...request });
    if (!prepared) throw new Error("prepare returned null");
    leftovers.push(prepared);
    return prepared;
  }

  async function run(gateExecutor: ChildProcessExecutor, command: string, prepared?: PreparedExecution, env = definedEnv()): Promise<{ out: string; err: string; exitCode: number | null }> {
    const out: string[] = [];
    const err: string[] = [];
    const execution = gateExecutor.start(
      { runId: "r_bash", command, shell: "/bin/bash", cwd: os.tmpdir(), env: { ...env, SUNDIAL_RUN_ID: "r_bash" }, timeoutMs: 5_000, killGraceMs: 500, onOutputBytes: (stream, chunk) => (stream === "stdout" ? out : err).push(chunk.toString()) },
      prepared,
    );
    const result = await execution.done;
    return { out: out.join(""), err: err.join(""), exitCode: result.exitCode };
  }

  it("is bash waiting before the command, which it runs exactly as a fresh `bash -c` does once started", async () => {
    const gateExecutor = gated();
    const folder = tempFolder("prepared");
    const marker = path.join(folder, "ran-early");
    const command = `touch ${marker}; ${SELF_REPORT}`;
    const prepared = prepareWith(gateExecutor, { command });
    await waitFor(() => gatesWith(marker).length === 1, 5_000, "the prepared bash to be waiting");
    const [pid] = gatesWith(marker);
    expect(fs.readlinkSync(`/proc/${pid}/exe`)).toBe(fs.realpathSync("/bin/bash"));
    await sleep(200);
    expect(fs.existsSync(marker)).toBe(false);

    const prepared_ = await run(gateExecutor, command, prepared);
    fs.rmSync(marker);
    const fresh = await run(gateExecutor, command);
    expect(prepared_.out).toBe("/bin/bash|0|r_bash|unset|unset|fd3-closed");
    expect(prepared_).toEqual(fresh);
  });

  it("says a syntax error in the same words, and execs the last command in place, as a fresh spawn", async () => {
    const gateExecutor = gated();
    const broken = "echo before; if then";
    const preparedBroken = await run(gateExecutor, broken, prepareWith(gateExecutor, { command: broken }));
    expect(preparedBroken).toEqual(await run(gateExecutor, broken));
    expect(preparedBroken.err).toContain("-c: line 1:");
    // bash execs a lone last command: the inner sh is the run's own process, Sundial its parent.
    const last = "echo first; /bin/sh -c 'echo $PPID'";
    const preparedLast = await run(gateExecutor, last, prepareWith(gateExecutor, { command: last }));
    expect(preparedLast.out).toBe(`first\n${process.pid}\n`);
  });

  it("never runs the command when discarded", async () => {
    const gateExecutor = gated();
    const folder = tempFolder("prepared");
    const marker = path.join(folder, "ran-discarded");
    const prepared = prepareWith(gateExecutor, { command: `touch ${marker}` });
    await waitFor(() => gatesWith(marker).length === 1, 5_000, "the prepared bash to be waiting");
    prepared.discard();
    await waitFor(() => gatesWith(marker).length === 0, 5_000, "the prepared bash to be gone");
    await sleep(200);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("dies before the command when its gate file went missing, and the run then starts fresh, once", async () => {
    const home = tempFolder("gate-home");
    const gateExecutor = new ChildProcessExecutor({ log: () => undefined, gateFolder: home });
    prepareWith(gateExecutor, { command: "true" }).discard();
    for (const file of fs.readdirSync(home)) fs.rmSync(path.join(home, file));
    const folder = tempFolder("prepared");
    const marker = path.join(folder, "runs");
    const command = `echo run >> ${marker}`;
    const prepared = prepareWith(gateExecutor, { command });
    await waitFor(() => !prepared.usable, 5_000, "the prepared bash to kill itself");
    expect(fs.existsSync(marker)).toBe(false);
    expect((await run(gateExecutor, command, prepared)).exitCode).toBe(0);
    expect(fs.readFileSync(marker, "utf8")).toBe("run\n");
  });

  it("keeps the /bin/sh gate where bash would not read the gate file, so nothing runs early", async () => {
    const gateExecutor = gated();
    const folder = tempFolder("prepared");
    const userEnvFile = path.join(folder, "user-bash-env");
    fs.writeFileSync(userEnvFile, "FROM_USER_BASH_ENV=yes\n");
    const bashAsSh = path.join(folder, "sh");
    fs.symlinkSync("/bin/bash", bashAsSh);
    const cases: { name: string; shell?: string; env: Record<string, string> }[] = [
      { name: "posix", env: { ...definedEnv(), POSIXLY_CORRECT: "1" } },
      { name: "shellopts", env: { ...definedEnv(), SHELLOPTS: "posix" } },
      { name: "as-sh", shell: bashAsSh, env: definedEnv() },
      { name: "own-bash-env", env: { ...definedEnv(), BASH_ENV: userEnvFile } },
    ];
    const prepared = cases.map((entry) => prepareWith(gateExecutor, { command: `touch ${path.join(folder, entry.name)}; echo "\${FROM_USER_BASH_ENV-}"`, env: entry.env, ...(entry.shell ? { shell: entry.shell } : {}) }));
    await sleep(300);
    for (const entry of cases) expect(fs.existsSync(path.join(folder, entry.name)), entry.name).toBe(false);
    const own = cases.findIndex((entry) => entry.name === "own-bash-env");
    expect((await run(gateExecutor, `touch ${path.join(folder, "own-bash-env")}; echo "\${FROM_USER_BASH_ENV-}"`, prepared[own], cases[own]!.env)).out).toBe("yes\n");
  });
});
