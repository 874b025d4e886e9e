/**
 * Signalling and probing a run's whole process tree. On POSIX every run is started in its own
 * process group (`detached: true`), so the group id is the child's pid and one
 * `kill(-pgid, …)` reaches every descendant that did not start a new session or group itself.
 *
 * A descendant that did (`setsid`, a daemonising `fork`+`setsid`, `setpgid`) leaves the group
 * but keeps the environment it inherited, and every run's environment carries
 * `SUNDIAL_RUN_ID=<run id>` (`RUN_ID_VARIABLE`). On Linux such processes are found through
 * `/proc/<pid>/environ`: only processes of this user (the kernel lets us read no one else's
 * environment anyway), only an exact `SUNDIAL_RUN_ID=<id>` entry, never this process. It is
 * best-effort: `/proc/<pid>/environ` is the environment a program was started with, so a
 * process that exec'd itself with a cleared environment (`env -i`, a sanitising setuid
 * wrapper) or another user's process is not found. A cgroup per run (systemd-run --user
 * --scope, cgroup v2 `cgroup.kill`) would be airtight, but needs a delegated cgroup tree that
 * a desktop session, a container or WSL often lacks; the environment works wherever /proc
 * does. macOS has no /proc (and `ps eww` cannot be trusted to show it): there, and on other
 * systems without /proc, a run is its process group only.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { RUN_ID_VARIABLE } from "./executor.js";

/** Sends `signal` to every process in the group; false when the group no longer exists. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals, log: (line: string) => void): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ESRCH") log(`could not send ${signal} to process group ${pgid}: ${(error as Error).message}`);
    return false;
  }
}

/**
 * True while any process of the group is still running. Zombies do not count: where PID 1
 * does not reap orphans (containers without an init, some sandboxes) a killed grandchild
 * stays a zombie forever, and `kill(-pgid, 0)` keeps succeeding for it.
 */
export function isProcessGroupAlive(pgid: number, platform: NodeJS.Platform = process.platform): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM: a member exists but belongs to someone else now (setuid); it is alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (platform !== "linux") return true;
  return linuxGroupHasLiveMember(pgid);
}

function linuxGroupHasLiveMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true; // No /proc to look at: trust kill(0).
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // Exited while we looked.
    }
    // "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

/** A run's processes: its process group (POSIX) and the processes marked with its id (Linux). */
export interface RunTarget {
  pgid?: number;
  /** Set only when the run's environment carries `SUNDIAL_RUN_ID=<runId>`. */
  runId?: string;
}

/** Sends `signal` to the run's process group and to every process marked with its id. */
export function signalRun(target: RunTarget, signal: NodeJS.Signals, log: (line: string) => void, platform: NodeJS.Platform = process.platform): void {
  if (target.pgid !== undefined) signalProcessGroup(target.pgid, signal, log);
  if (target.runId === undefined || platform !== "linux") return;
  for (const pid of findMarkedProcesses(new Set([target.runId])).keys()) signalProcess(pid, signal, log);
}

/** True while the run's process group, or (Linux) any process marked with its id, is running. */
export function isRunAlive(target: RunTarget, platform: NodeJS.Platform = process.platform): boolean {
  if (target.pgid !== undefined && isProcessGroupAlive(target.pgid, platform)) return true;
  if (target.runId === undefined || platform !== "linux") return false;
  return findMarkedProcesses(new Set([target.runId])).size > 0;
}

/**
 * Running processes (not zombies) of this user, other than this one, whose environment has an
 * entry `SUNDIAL_RUN_ID=<id>` for one of `runIds`: pid → run id. Empty without /proc. A full
 * pass over /proc: for stops and start-up, never on a run's hot path.
 */
export function findMarkedProcesses(runIds: ReadonlySet<string>): Map<number, string> {
  const found = new Map<number, string>();
  if (runIds.size === 0) return found;
  const uid = process.getuid?.();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  const prefix = `${RUN_ID_VARIABLE}=`;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue; // An engine started by one of its own runs carries that id too.
    let environ: string;
    try {
      // The folder belongs to the process's effective user (root for a non-dumpable one).
      if (uid === undefined || statSync(`/proc/${entry}`).uid !== uid) continue;
      // latin1: one char per byte, and ids are ASCII; a zombie's environment reads as empty.
      environ = readFileSync(`/proc/${entry}/environ`, "latin1");
    } catch {
      continue; // Exited while we looked, or not ours to read.
    }
    for (const variable of environ.split("\0")) {
      if (!variable.startsWith(prefix)) continue;
      const runId = variable.slice(prefix.length);
      if (runIds.has(runId) && isRunning(entry)) found.set(pid, runId);
      break; // getenv() sees the first entry only; so do we.
    }
  }
  return found;
}

/**
 * Ends what is left of runs that were in progress when Sundial last stopped without ending
 * them (a crash, kill -9, power loss): every process still marked with one of their ids gets
 * SIGTERM now and SIGKILL after `graceMs` (Linux only; elsewhere nothing can be found: their
 * process groups are not recorded, and a pid from a previous boot may be anyone's now).
 * Resolves with the pids it signalled.
 */
export async function endLeftovers(runIds: readonly string[], graceMs: number, log: (line: string) => void, platform: NodeJS.Platform = process.platform): Promise<number[]> {
  if (platform !== "linux" || runIds.length === 0) return [];
  const wanted = new Set(runIds);
  const first = findMarkedProcesses(wanted);
  if (first.size === 0) return [];
  for (const [pid, runId] of first) {
    log(`ending process ${pid} left running by interrupted run ${runId}`);
    signalProcess(pid, "SIGTERM", log);
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, graceMs)).unref());
    if (findMarkedProcesses(wanted).size === 0) return [...first.keys()];
  }
  for (const pid of findMarkedProcesses(wanted).keys()) signalProcess(pid, "SIGKILL", log);
  return [...first.keys()];
}

function signalProcess(pid: number, signal: NodeJS.Signals, log: (line: string) => void): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") log(`could not send ${signal} to process ${pid}: ${(error as Error).message}`);
  }
}

function isRunning(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Windows has no process groups to signal: taskkill walks the tree (/T) and forces it (/F). */
export function killWindowsTree(pid: number, log: (line: string) => void): void {
  execFile("taskkill", ["/pid", String(pid), "/T", "/F"], { windowsHide: true }, (error, _stdout, stderr) => {
    // Exit code 128: the process had already gone; nothing to report.
    if (error && (error as { code?: unknown }).code !== 128) log(`taskkill /pid ${pid} /T /F failed: ${stderr.trim() || error.message}`);
  });
}
