// The prepared-gate floor: what any scheduler that forks ahead can reach on this machine, as
// a benchmark peer. A bare Node loop with no store, no history and no bookkeeping: 0.8 s
// before each second it forks one gate per job (the same /bin/sh gate Sundial's executor
// uses, waiting on fd 3), and at the second it releases each with one pipe write.
//
//   node gate-floor.mjs fire COUNT COMMAND   COUNT jobs due every second, each running
//                                            /bin/bash -c COMMAND with DUE_AT = its slot
//
// Prints "ready" once the first gates are armed; SIGTERM stops it.
import { spawn } from "node:child_process";

const [mode, countText, command] = process.argv.slice(2);
if (mode !== "fire") throw new Error(`unknown mode ${mode}`);
const count = Number(countText);
const LEAD_MS = 800;
// As in electron/core/executor/child-process-executor.ts (gateScript), with its variable.
const GATE = 'IFS= read -r SUNDIAL_RUN_ID <&3 || exit 125; exec 3<&-; [ -n "$SUNDIAL_RUN_ID" ] || exit 125; export SUNDIAL_RUN_ID; exec "$0" -c "$1"';

let stopping = false;
const waiting = new Set();

function prepare(slot) {
  const gates = [];
  for (let index = 0; index < count; index++) {
    const child = spawn("/bin/sh", ["-c", GATE, "/bin/bash", command], {
      env: { ...process.env, DUE_AT: new Date(slot).toISOString() },
      stdio: ["ignore", "ignore", "ignore", "pipe"],
      detached: true,
    });
    child.stdio[3].on("error", () => undefined);
    waiting.add(child);
    child.once("exit", () => waiting.delete(child));
    gates.push(child);
  }
  return gates;
}

function schedule(slot) {
  if (stopping) return;
  setTimeout(() => {
    const gates = prepare(slot);
    setTimeout(() => {
      for (const gate of gates) gate.stdio[3].end(`run-${slot}\n`);
    }, Math.max(0, slot - Date.now()));
    schedule(slot + 1_000);
  }, Math.max(0, slot - LEAD_MS - Date.now()));
}

schedule(Math.ceil((Date.now() + LEAD_MS + 200) / 1000) * 1000);
process.on("SIGTERM", () => {
  stopping = true;
  for (const gate of waiting) gate.stdio[3].destroy();
  process.exit(0);
});
console.log("ready");
