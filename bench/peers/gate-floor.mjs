// The prepared-gate floor: what any scheduler that forks ahead can reach on this machine, as
// a benchmark peer. A bare Node loop with no store, no history and no bookkeeping: from 0.8 s
// before each second it forks one gate per job (the same /bin/sh gate Sundial's executor
// uses, waiting on fd 3), one fork per event-loop turn so the release timer is never held up
// by more than one fork, and at the second it releases each with one pipe write (a gate
// forked after its second, on a machine too busy to fork them all in time, is released as
// soon as it exists). Its timer is as precise as Sundial's: a long sleep to 20 ms before the
// second, then a short one (an epoll timer may fire 0.1-0.5 % of its length late) to 2 ms
// before it, and short futex waits for the rest (a timer's delay is whole milliseconds).
//
//   node gate-floor.mjs fire COUNT COMMAND [bash-waiting]
//       COUNT jobs due every second, each running /bin/bash -c COMMAND with DUE_AT = its slot;
//       with `bash-waiting`, each prepared process is that bash itself waiting in Sundial's
//       gate file (BASH_ENV), as Sundial prepares a bash job, instead of the /bin/sh gate
//       that execs bash at the release (needs the build: the gate comes from dist/).
//
// Prints "ready" once the first gates are scheduled; SIGTERM stops it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setImmediate } from "node:timers";

const [mode, countText, command, variant] = process.argv.slice(2);
if (mode !== "fire") throw new Error(`unknown mode ${mode}`);
const count = Number(countText);
const LEAD_MS = 800;
const FINAL_APPROACH_MS = 20;
// As in electron/core/executor/child-process-executor.ts (gateScript), with its variable.
const GATE = 'IFS= read -r SUNDIAL_RUN_ID <&3 || exit 125; exec 3<&-; [ -n "$SUNDIAL_RUN_ID" ] || exit 125; export SUNDIAL_RUN_ID; exec "$0" -c "$1"';

let stopping = false;
const waiting = new Set();

const bashWaiting = variant === "bash-waiting" ? await bashGate() : null;

/** Sundial's bash gate file, written into a private temporary folder; the environment that makes bash read it. */
async function bashGate() {
  const { BASH_GATE_EXPANSION, BASH_GATE_VARIABLE, bashGateScript } = await import("../../dist/electron/core/executor/child-process-executor.js");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gate-floor-")), "gate.bash");
  fs.writeFileSync(file, bashGateScript("SUNDIAL_RUN_ID"), { mode: 0o600 });
  process.on("exit", () => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  return { BASH_ENV: BASH_GATE_EXPANSION, [BASH_GATE_VARIABLE]: file };
}

function fork(slot) {
  const env = { ...process.env, DUE_AT: new Date(slot).toISOString() };
  const options = { env: bashWaiting ? { ...env, ...bashWaiting } : env, stdio: ["ignore", "ignore", "ignore", "pipe"], detached: true };
  const child = bashWaiting ? spawn("/bin/bash", ["-c", command], options) : spawn("/bin/sh", ["-c", GATE, "/bin/bash", command], options);
  child.stdio[3].on("error", () => undefined);
  waiting.add(child);
  child.once("exit", () => waiting.delete(child));
  return child;
}

const LAST_MOMENT_MS = 2;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps until `at` (epoch ms) in two steps, waits out its last moment on the thread (as Sundial's wake loop does), then calls `callback`. */
function at(time, callback) {
  const step = () => {
    const left = time - Date.now();
    if (left <= 0) return callback();
    if (left <= LAST_MOMENT_MS) {
      while (Date.now() < time) Atomics.wait(sleepCell, 0, 0, 0.1);
      return callback();
    }
    setTimeout(step, left > 2 * FINAL_APPROACH_MS ? left - FINAL_APPROACH_MS : left - LAST_MOMENT_MS);
  };
  step();
}

function schedule(slot) {
  if (stopping) return;
  at(slot - LEAD_MS, () => {
    schedule(slot + 1_000);
    const gates = [];
    let released = false;
    const forkNext = () => {
      if (stopping || gates.length === count) return;
      const gate = fork(slot);
      gates.push(gate);
      if (released) gate.stdio[3].end(`run-${slot}\n`);
      setImmediate(forkNext);
    };
    forkNext();
    at(slot, () => {
      released = true;
      for (const gate of gates) gate.stdio[3].end(`run-${slot}\n`);
    });
  });
}

schedule(Math.ceil((Date.now() + LEAD_MS + 200) / 1000) * 1000);
process.on("SIGTERM", () => {
  stopping = true;
  for (const gate of waiting) gate.stdio[3].destroy();
  process.exit(0);
});
console.log("ready");
