/**
 * The engine inside the desktop app, hosted exactly as `sundial daemon` hosts it
 * (daemon/daemon.ts): the control socket is claimed first (it is the single-instance guard
 * per home, and it is what `sundial` CLI commands talk to while the app runs), then the
 * stores are opened. Plain Node: tested on a temp home without Electron.
 */
import fs from "node:fs";
import { openEngine, type Engine, type EngineOptions } from "../core/engine.js";
import { createApiHandler } from "../daemon/api-server.js";
import { claimControlSocket, type ControlSocket } from "../daemon/control-socket.js";
import { packageVersion } from "../daemon/version.js";
import type { EngineLockedError } from "../shared/errors.js";

export interface EngineHost {
  readonly engine: Engine;
  readonly socketPath: string;
  /** Ends running runs (recorded as interrupted), flushes the stores, then frees the socket. */
  stop(): Promise<void>;
}

export type EngineHostOptions = EngineOptions & { log: (line: string) => void };

/**
 * Throws EngineLockedError when another instance (a daemon, or the app started with another
 * user data folder) owns the home, and StoreCorruptError for an unusable jobs.json; the
 * socket is released again in both cases.
 */
export async function startEngineHost(options: EngineHostOptions): Promise<EngineHost> {
  const { home, log } = options;
  // Private by default: the socket, the store and every log file (DESIGN.md, "Where the data lives").
  process.umask(0o077);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });

  let engine: Engine | null = null;
  let stopping = false;
  const handler = createApiHandler({
    // While opening or stopping, CLI calls get a 503 and retry, as with the daemon.
    backend: () => (stopping ? null : engine),
    host: { pid: process.pid, home, version: packageVersion() },
    log,
  });
  const socket: ControlSocket = await claimControlSocket({ home, handler: handler.handle, beforeClose: handler.closeStreams, log });
  try {
    engine = await openEngine(options);
  } catch (error) {
    await socket.close();
    throw error;
  }
  const opened = engine;
  let stopped: Promise<void> | null = null;
  return {
    engine: opened,
    socketPath: socket.path,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        // The socket stays claimed until the stores are flushed: a new engine must not open them sooner.
        try {
          await opened.stop();
        } finally {
          await socket.close();
        }
      })()),
  };
}

/** The dialog text when another instance owns the home. */
export function engineLockedMessage(error: EngineLockedError): string {
  return `${error.message} — quit the daemon first (or start Sundial with --home on another folder).`;
}
