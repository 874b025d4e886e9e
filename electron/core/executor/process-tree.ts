/**
 * Signalling and probing a run's whole process tree. On POSIX every run is started in its own
 * process group (`detached: true`), so the group id is the child's pid and one
 * `kill(-pgid, …)` reaches every descendant that did not start a new session or group itself.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

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

/** Windows has no process groups to signal: taskkill walks the tree (/T) and forces it (/F). */
export function killWindowsTree(pid: number, log: (line: string) => void): void {
  execFile("taskkill", ["/pid", String(pid), "/T", "/F"], { windowsHide: true }, (error, _stdout, stderr) => {
    // Exit code 128: the process had already gone; nothing to report.
    if (error && (error as { code?: unknown }).code !== 128) log(`taskkill /pid ${pid} /T /F failed: ${stderr.trim() || error.message}`);
  });
}
