/**
 * `sundial daemon`: the headless host. Composition root for the engine, the control
 * socket and (with `--ui`) the loopback web UI; runs in the foreground, logs readable lines
 * to stderr, stops cleanly on SIGTERM / SIGINT.
 */
import fs from "node:fs";
import { openEngine, type Engine } from "../core/engine.js";
import { homePaths } from "../core/home.js";
import type { SchedulerEvent } from "../shared/contract.js";
import { EngineLockedError, StoreCorruptError } from "../shared/errors.js";
import { createApiHandler } from "./api-server.js";
import { claimControlSocket, type ControlSocket } from "./control-socket.js";
import { describeEvent } from "./event-log.js";
import { packageVersion } from "./version.js";
import { loadOrCreateToken, PortInUseError, startWebHost, UI_ADDRESS, UiListenError, type WebHost } from "./web-host.js";
import { checkRendererBuilt, defaultRendererRoot, RendererMissingError } from "./web-static.js";

export interface DaemonOptions {
  home: string;
  /** Where readable log lines go (default: stderr with a local timestamp). */
  log?: (line: string) => void;
  /** Test hook: resolves the returned promise's stop without a signal. */
  signal?: AbortSignal;
  /** Also serve the web UI on 127.0.0.1 (`--ui`); port 0 picks a free one. */
  ui?: { port: number; staticRoot?: string };
  /** Where the web UI's link goes, one line (default: stdout, apart from the log). */
  announce?: (line: string) => void;
}

/** Exit codes, so scripts can tell "already running" from "store unusable" from "port taken". */
export const DAEMON_EXIT = { ok: 0, failed: 1, locked: 3, storeCorrupt: 4, uiUnavailable: 5 } as const;

/** Runs until SIGTERM / SIGINT (or `options.signal`); resolves with the process exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const log = options.log ?? logToStderr;
  const home = options.home;
  // Private by default: the socket, the store and every log file (DESIGN.md, "Where the data lives").
  process.umask(0o077);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });

  // A missing build is found before anything is claimed or opened.
  let staticRoot: string | null = null;
  if (options.ui) {
    try {
      staticRoot = checkRendererBuilt(options.ui.staticRoot ?? defaultRendererRoot());
    } catch (error) {
      if (!(error instanceof RendererMissingError)) throw error;
      log(error.message);
      return DAEMON_EXIT.uiUnavailable;
    }
  }

  let engine: Engine | null = null;
  let stopping = false;
  const handler = createApiHandler({
    // While stopping, new calls get a 503 (the CLI retries, then finds the engine gone);
    // open event streams keep receiving the runs' last events.
    backend: () => (stopping ? null : engine),
    host: { pid: process.pid, home, version: packageVersion() },
    log,
  });

  // The socket is claimed before the stores are opened: it is the single-instance guard,
  // so two daemons can never both load (and write) the same jobs.json.
  let socket: ControlSocket;
  try {
    socket = await claimControlSocket({ home, handler: handler.handle, beforeClose: handler.closeStreams, log });
  } catch (error) {
    if (error instanceof EngineLockedError) {
      log(`${error.message}; not starting a second engine on the same home.`);
      return DAEMON_EXIT.locked;
    }
    throw error;
  }

  // The port is bound before the engine opens: a port in use costs nothing but a moment
  // of holding the socket, never a half-started engine.
  let webHost: WebHost | null = null;
  if (options.ui && staticRoot) {
    try {
      const token = loadOrCreateToken(homePaths(home).token, log);
      webHost = await startWebHost({ port: options.ui.port, token, api: handler, staticRoot, log });
    } catch (error) {
      await socket.close();
      if (error instanceof PortInUseError || error instanceof UiListenError) {
        log(error.message);
        return DAEMON_EXIT.uiUnavailable;
      }
      throw error;
    }
  }
  const closeHosts = () => Promise.all([socket.close(), webHost?.close()]);

  // Signals that arrive while the stores are opening are honoured once they are open.
  const stopRequested = waitForStop(log, options.signal);

  try {
    engine = await openEngine({ home, log, onEvent: logEvent });
  } catch (error) {
    await closeHosts();
    if (error instanceof StoreCorruptError) {
      log(error.message);
      return DAEMON_EXIT.storeCorrupt;
    }
    log(`Could not start: ${(error as Error).message}`);
    return DAEMON_EXIT.failed;
  }

  function logEvent(event: SchedulerEvent): void {
    const line = describeEvent(event);
    if (line) log(line);
  }
  const status = await engine.service.status();
  log(`Sundial ${status.version} running on ${home} (pid ${process.pid}), ${status.jobs} job${status.jobs === 1 ? "" : "s"}; control socket ${homePaths(home).socket}`);
  if (webHost) {
    log(`web UI on http://${UI_ADDRESS}:${webHost.port}/ (the link with its access token is printed on stdout)`);
    (options.announce ?? ((line) => process.stdout.write(`${line}\n`)))(`Open Sundial: ${webHost.url}`);
  }

  const reason = await stopRequested;
  log(`${reason}: stopping (running runs are ended and recorded)`);
  stopping = true;
  // The socket stays claimed until the stores are flushed: a new engine must not open them sooner.
  try {
    await engine.stop();
  } finally {
    await closeHosts();
  }
  log("stopped");
  return DAEMON_EXIT.ok;
}

/**
 * Resolves on the first SIGTERM / SIGINT; a second one while stopping means "now". The
 * listeners stay installed until the process exits: libraries such as signal-exit (used by
 * execa) re-raise a signal when they see no other listener, which would kill the daemon
 * halfway through its clean stop.
 */
function waitForStop(log: (line: string) => void, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (name: NodeJS.Signals) => {
      if (stopping) {
        log(`${name} again: exiting without waiting for running runs`);
        process.exit(DAEMON_EXIT.failed);
      }
      stopping = true;
      resolve(name);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    signal?.addEventListener("abort", () => onSignal("SIGTERM"), { once: true });
  });
}

function logToStderr(line: string): void {
  process.stderr.write(`${timestamp(new Date())} ${line}\n`);
}

/** `2026-11-25 12:00:01`, local time: what a person reading a terminal expects. */
export function timestamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
