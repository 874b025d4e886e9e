/**
 * The control socket (`sundial.sock` in the home; a named pipe on Windows). It is both the
 * CLI's transport and the single-instance guard: whoever listens on it owns the home.
 *
 * Trust comes from the file system: the home is 0700 and the socket 0600 (DESIGN.md,
 * "The web UI's security"), so only the owning user can connect.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { homePaths } from "../core/home.js";
import { MAX_TIMER_MS } from "../core/clock.js";
import { EngineLockedError } from "../shared/errors.js";

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
 * answers) and replaced.
 */
export async function claimControlSocket(options: ClaimOptions): Promise<ControlSocket> {
  const socketPath = homePaths(options.home).socket;
  // Node checks open connections against headersTimeout every 30 s by default, with or
  // without connections: two wake-ups a minute of an otherwise idle engine (bench/idle.js).
  // This socket only its owner can reach; instead of that check, a connection that stays
  // silent for a minute is closed (a timer that exists only while a connection does; event
  // streams ping every 15 s).
  const server = http.createServer({ connectionsCheckingInterval: MAX_TIMER_MS }, options.handler);
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.timeout = 60_000;

  const release = await acquireClaimLock(options.home);
  try {
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
  } finally {
    release();
  }

  if (!isPipe) fs.chmodSync(socketPath, 0o600);
  const ownInode = isPipe ? null : fs.statSync(socketPath).ino;

  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        options.beforeClose?.();
        server.close(() => resolve());
        server.closeAllConnections();
        // Only remove the file if it is still ours (a successor may already own the path).
        if (ownInode !== null) {
          try {
            if (fs.statSync(socketPath).ino === ownInode) fs.unlinkSync(socketPath);
          } catch {
            // Already gone.
          }
        }
      }),
  };
}

function removeStaleSocket(socketPath: string, log?: (line: string) => void): void {
  try {
    fs.unlinkSync(socketPath);
    log?.(`removed a stale control socket left by a previous instance: ${socketPath}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
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
    try {
      const fd = fs.openSync(lockPath, "wx", 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
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
