/**
 * The control socket (`sundial.sock` in the home; a named pipe on Windows): the CLI's
 * transport. Claiming it also takes the home lock (core/home-lock.ts), which is the real
 * single-instance guard: a deleted or replaced socket file cannot let a second engine in.
 *
 * Trust comes from the file system: the home is 0700 and the socket 0600 (DESIGN.md,
 * "The web UI's security"), so only the owning user can connect.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { homePaths } from "../core/home.js";
import { acquireHomeLock, platformLockMechanism, type HomeLock } from "../core/home-lock.js";
import { describeFileKind, describeFsError } from "../core/store/durable-file.js";
import { MAX_TIMER_MS } from "../core/clock.js";
import { EngineLockedError, FileWriteError } from "../shared/errors.js";

export interface ControlSocket {
  readonly path: string;
  /** Stops accepting requests, ends open connections and removes the socket file. */
  close(): Promise<void>;
}

export interface ClaimOptions {
  home: string;
  handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** Called before open connections are cut on close (e.g. to end event streams politely). */
  beforeClose?: () => void;
  log?: (line: string) => void;
}

/** What is behind a socket path right now. */
export type Occupant = { alive: true; pid: number | null } | { alive: false };

const isPipe = process.platform === "win32";

/**
 * Asks whatever listens on `socketPath` who it is. `alive: false` means nothing listens
 * (no file, or a file left by a process that died: ECONNREFUSED).
 */
export function probeSocket(socketPath: string, timeoutMs = 2_000): Promise<Occupant> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path: "/api/ping", method: "GET", timeout: timeoutMs, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { result?: { pid?: unknown } };
          const pid = body.result?.pid;
          resolve({ alive: true, pid: typeof pid === "number" ? pid : null });
        } catch {
          resolve({ alive: true, pid: null });
        }
      });
      response.on("error", () => resolve({ alive: true, pid: null }));
    });
    // Something accepted the connection but does not answer: it is alive, just not talking.
    request.on("timeout", () => {
      request.destroy();
      resolve({ alive: true, pid: null });
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED" || error.code === "ENOENT" || error.code === "ENOTSOCK") resolve({ alive: false });
      else if (error.code === "ECONNRESET") resolve({ alive: true, pid: null });
      else reject(error);
    });
    request.end();
  });
}

/**
 * Listens on the home's control socket, or throws EngineLockedError naming the pid of the
 * instance that owns it. A socket file left by a crash (`kill -9`) is detected (nobody
 * answers) and replaced; anything else at that path is refused (SocketPathTakenError).
 */
export async function claimControlSocket(options: ClaimOptions): Promise<ControlSocket> {
  const socketPath = homePaths(options.home).socket;
  // Node checks open connections against headersTimeout every 30 s by default, with or
  // without connections: two wake-ups a minute of an otherwise idle engine (bench/idle.js).
  // This socket only its owner can reach; instead of that check, a connection that stays
  // silent for a minute is closed (a timer that exists only while a connection does; event
  // streams ping every 15 s).
  const makeServer = () => {
    const created = http.createServer({ connectionsCheckingInterval: MAX_TIMER_MS }, options.handler);
    created.requestTimeout = 0;
    created.headersTimeout = 0;
    created.timeout = 60_000;
    return created;
  };
  const server = makeServer();

  const release = await acquireClaimLock(options.home);
  let homeLock: HomeLock | null = null;
  try {
    // The home lock first: it holds for the engine's whole life, whatever happens to the
    // socket file (deleted, replaced), so a second engine is refused even without a socket.
    homeLock = await holdHome(options.home, socketPath);
    for (let attempt = 0; ; attempt++) {
      const occupant = await probeSocket(socketPath);
      if (occupant.alive) throw new EngineLockedError(options.home, occupant.pid);
      if (!isPipe) removeStaleSocket(socketPath, options.log);
      try {
        await listen(server, socketPath);
        break;
      } catch (error) {
        // Another process won the race between our probe and our listen: probe again, and
        // give up only if it keeps happening with nobody answering.
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    await homeLock?.release();
    throw error;
  } finally {
    release();
  }
  const heldLock = homeLock;

  const servers = [server];
  /** Inodes of the socket files this engine made (only those are removed on close). */
  const ownInodes = new Set<number>();
  if (!isPipe) {
    fs.chmodSync(socketPath, 0o600);
    ownInodes.add(fs.statSync(socketPath).ino);
  }

  // A socket file deleted while the engine runs (a cleaner, a user) is made again, so the CLI
  // can reach the engine that still holds the home. Something else put at the path is left
  // alone. fs.watch is inotify/FSEvents: no timer, no polling.
  let closing = false;
  let recreating = false;
  const recreate = async () => {
    if (closing || recreating || fs.lstatSync(socketPath, { throwIfNoEntry: false })) return;
    recreating = true;
    try {
      const replacement = makeServer();
      await listen(replacement, socketPath);
      if (closing) {
        replacement.close();
        return;
      }
      fs.chmodSync(socketPath, 0o600);
      ownInodes.add(fs.statSync(socketPath).ino);
      servers.push(replacement);
      options.log?.(`the control socket ${socketPath} was deleted; made it again`);
    } catch (error) {
      options.log?.(`the control socket ${socketPath} was deleted and could not be made again: ${(error as Error).message}`);
    } finally {
      recreating = false;
    }
  };
  let watcher: fs.FSWatcher | null = null;
  if (!isPipe) {
    try {
      watcher = fs.watch(path.dirname(socketPath), { persistent: false }, (_event, name) => {
        if (name === null || name.toString() === path.basename(socketPath)) void recreate();
      });
      watcher.on("error", () => watcher?.close());
    } catch {
      // No watching here (some network file systems): the socket is simply not remade.
    }
  }

  return {
    path: socketPath,
    close: async () => {
      closing = true;
      watcher?.close();
      options.beforeClose?.();
      const closed = servers.map((each) => new Promise<void>((resolve) => each.close(() => resolve())));
      for (const each of servers) each.closeAllConnections();
      // Only remove the file if it is still ours (a successor may already own the path).
      try {
        if (ownInodes.has(fs.statSync(socketPath).ino)) fs.unlinkSync(socketPath);
      } catch {
        // Already gone.
      }
      await Promise.all(closed);
      // The home is freed only once the socket is closed (and, before this, the stores flushed).
      await heldLock?.release();
    },
  };
}

/**
 * Takes the home lock (core/home-lock.ts) where the platform needs one. When it is taken, the
 * pid the running engine's socket reports is preferred (it is the engine's own answer),
 * else the lock holder's.
 */
async function holdHome(home: string, socketPath: string): Promise<HomeLock | null> {
  if (platformLockMechanism() === null) return null;
  try {
    return await acquireHomeLock(home);
  } catch (error) {
    if (!(error instanceof EngineLockedError)) throw error;
    const occupant = await probeSocket(socketPath, 1_000).catch((): Occupant => ({ alive: false }));
    throw occupant.alive && occupant.pid !== null ? new EngineLockedError(home, occupant.pid) : error;
  }
}

/**
 * Removes a socket file nobody listens on (a crashed engine's; we hold the home lock, so no
 * engine owns it). Anything else at that path is not ours to delete: refused, naming it.
 */
function removeStaleSocket(socketPath: string, log?: (line: string) => void): void {
  const stat = fs.lstatSync(socketPath, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isSocket()) throw new SocketPathTakenError(socketPath, describeFileKind(stat));
  try {
    fs.unlinkSync(socketPath);
    log?.(`removed a stale control socket left by a previous instance: ${socketPath}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Something that is not a socket sits where the control socket goes; it is left alone. */
export class SocketPathTakenError extends Error {
  override name = "SocketPathTakenError";
  constructor(
    readonly socketPath: string,
    kind: string,
  ) {
    super(`${socketPath} is not a socket (${kind}); it was left untouched. Move it away, then start again.`);
  }
}



function listen(server: http.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(socketPath);
  });
}

/**
 * Serialises "probe, remove stale socket, listen" between processes starting at the same
 * moment. Without it, two daemons that both found a stale socket could each remove it and
 * the second would unlink the first one's fresh socket, leaving two engines on one home.
 * The lock is held for milliseconds; one left by a crashed process is recognised by its pid.
 */
async function acquireClaimLock(home: string): Promise<() => void> {
  const lockPath = path.join(home, "sundial.claim");
  const deadline = Date.now() + 5_000;
  for (;;) {
    let fd: number | null = null;
    try {
      fd = fs.openSync(lockPath, "wx", 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        // A full disk: no empty lock is left behind, and the message names the file.
        if (fd !== null) {
          fs.closeSync(fd);
          fs.rmSync(lockPath, { force: true });
        }
        throw new FileWriteError(lockPath, describeFsError(error));
      }
    }
    const holder = Number(readOrEmpty(lockPath));
    // An empty lock is either being written this instant or was left half-written by a crash.
    const stale = holder ? !isProcessAlive(holder) : ageMs(lockPath) > 1_000;
    if (stale || Date.now() > deadline) {
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
