/**
 * The home lock: held by an engine for its whole life, so that two engines on one home are
 * impossible, not merely unlikely, whatever happens to `sundial.sock` (issue 10, item 5:
 * deleting the socket let a second daemon start, and every slot ran twice).
 *
 * - Linux: an abstract Unix socket, `\0sundial-<uid>-<sha256 of the home's real path>`. It has
 *   no file to delete or replace, and the kernel frees it the moment the process dies (kill -9
 *   included), so it can never go stale. Whoever connects is told the holder's pid.
 *   Abstract names are per network namespace and visible to every local user: another user
 *   who binds the name first keeps this home's engine from starting (a denial of service, never
 *   a second engine); the refusal then says the holder does not answer.
 * - Elsewhere (macOS, BSD): `sundial.lock` in the home (which is private), holding the pid and
 *   that process's start time. A lock whose process is gone, or whose pid now belongs to a
 *   process started at another time, is stale and taken over. Deleting `sundial.sock` does not
 *   touch it; deleting `sundial.lock` itself would (there is no flock in Node).
 * - Windows: the control socket is a named pipe, which cannot be deleted while it is served;
 *   the pipe is the lock and nothing more is needed.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { EngineLockedError, FileWriteError } from "../shared/errors.js";
import { describeFsError } from "./store/durable-file.js";

export type HomeLockMechanism = "abstract-socket" | "lock-file";

export interface HomeLock {
  readonly mechanism: HomeLockMechanism;
  /** Frees the home (idempotent). */
  release(): Promise<void>;
}

export interface HomeLockOptions {
  /** Default: the platform's (see the module comment); the lock file can be chosen anywhere for tests. */
  mechanism?: HomeLockMechanism;
  /** The pid reported to whoever finds the home taken (default: this process). */
  pid?: number;
}

/** The mechanism this platform uses, or null where the control socket alone is the lock (Windows). */
export function platformLockMechanism(platform: NodeJS.Platform = process.platform): HomeLockMechanism | null {
  if (platform === "win32") return null;
  return platform === "linux" ? "abstract-socket" : "lock-file";
}

/**
 * Takes the home for this process, or throws EngineLockedError naming the holder's pid (null
 * when the holder does not say). The home folder must exist.
 */
export async function acquireHomeLock(home: string, options: HomeLockOptions = {}): Promise<HomeLock> {
  const mechanism = options.mechanism ?? platformLockMechanism() ?? "lock-file";
  const pid = options.pid ?? process.pid;
  return mechanism === "abstract-socket" ? holdAbstractSocket(home, pid) : holdLockFile(home, pid);
}

// ---------------------------------------------------------------- Linux: abstract socket

/** The abstract socket name for a home: the same for every path that leads to the folder. */
export function abstractLockName(home: string): string {
  const real = fs.realpathSync(home);
  const digest = crypto.createHash("sha256").update(real).digest("hex").slice(0, 40);
  return `\0sundial-${process.getuid?.() ?? 0}-${digest}`;
}

async function holdAbstractSocket(home: string, pid: number): Promise<HomeLock> {
  const name = abstractLockName(home);
  const server = net.createServer((connection) => {
    connection.on("error", () => {});
    connection.end(`${JSON.stringify({ pid })}\n`);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(name, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new EngineLockedError(home, await askHolder(name));
  }
  // The lock never keeps the process alive on its own; it lasts as long as the process does.
  server.unref();
  let released: Promise<void> | null = null;
  return {
    mechanism: "abstract-socket",
    release: () => (released ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** The pid the holder of an abstract lock answers with, or null if it does not answer. */
function askHolder(name: string, timeoutMs = 1_000): Promise<number | null> {
  return new Promise((resolve) => {
    let answer = "";
    const connection = net.connect(name);
    const done = (pid: number | null) => {
      connection.destroy();
      resolve(pid);
    };
    connection.setTimeout(timeoutMs, () => done(null));
    connection.setEncoding("utf8");
    connection.on("data", (chunk: string) => {
      answer += chunk;
      if (answer.length > 200) done(null);
    });
    connection.on("end", () => {
      try {
        const pid = (JSON.parse(answer) as { pid?: unknown }).pid;
        done(typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? pid : null);
      } catch {
        done(null);
      }
    });
    connection.on("error", () => done(null));
  });
}

// ---------------------------------------------------------------- elsewhere: lock file

interface LockFileContent {
  pid: number;
  /** The holder's start time as the OS reports it (null where it cannot be read). */
  started: string | null;
}

/** `sundial.lock` in the home. */
export function lockFilePath(home: string): string {
  return path.join(home, "sundial.lock");
}

async function holdLockFile(home: string, pid: number): Promise<HomeLock> {
  const lockPath = lockFilePath(home);
  const mine: LockFileContent = { pid, started: processStartTime(pid) };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; ; attempt++) {
    // Written whole to a temp file, then linked into place: the link fails if a lock exists,
    // and a lock that exists is never half-written.
    const temp = `${lockPath}.tmp-${process.pid}-${attempt}`;
    try {
      fs.writeFileSync(temp, text, { mode: 0o600 });
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw new FileWriteError(lockPath, describeFsError(error));
    }
    try {
      fs.linkSync(temp, lockPath);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
    const holder = readLockFile(lockPath);
    if (holder && isSameProcessAlive(holder)) throw new EngineLockedError(home, holder.pid);
    if (attempt >= 3) throw new EngineLockedError(home, holder?.pid ?? null);
    // Stale: its process is gone. Starts are serialised by the caller (the claim lock).
    fs.rmSync(lockPath, { force: true });
  }
  let released = false;
  return {
    mechanism: "lock-file",
    release: async () => {
      if (released) return;
      released = true;
      // Only our own lock is removed (it may have been taken over after a deletion).
      const holder = readLockFile(lockPath);
      if (holder && holder.pid === mine.pid && holder.started === mine.started) fs.rmSync(lockPath, { force: true });
    },
  };
}

function readLockFile(lockPath: string): LockFileContent | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, "utf8")) as Partial<LockFileContent>;
    if (typeof parsed.pid !== "number" || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, started: typeof parsed.started === "string" ? parsed.started : null };
  } catch {
    return null;
  }
}

function isSameProcessAlive(holder: LockFileContent): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid lives; it is the same process only if it started when the holder did.
  if (holder.started === null) return true;
  const started = processStartTime(holder.pid);
  return started === null || started === holder.started;
}

/**
 * When a process started, as a string that is only compared for equality: Linux's start time
 * in clock ticks since boot (/proc), else `ps -o lstart`. Null when it cannot be read.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    // No /proc (macOS): ask ps.
  }
  try {
    const started = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2_000 }).trim();
    return started || null;
  } catch {
    return null;
  }
}
