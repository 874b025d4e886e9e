/**
 * `sundial daemon`: the headless host. Composition root for the engine, the control
 * socket and (with `--ui`) the loopback web UI; runs in the foreground, logs readable lines
 * to stderr, stops cleanly on SIGTERM / SIGINT.
 */
import type { Engine } from "../core/engine.js";
import { hostEngine, type EngineDoors, type HostedEngine } from "../core/engine-host.js";
import { homePaths } from "../core/home.js";
import { HomeUnusableError } from "../core/store/durable-file.js";
import type { SchedulerEvent } from "../shared/contract.js";
import { EngineLockedError, FileWriteError, HomeNotPrivateError, StoreCorruptError } from "../shared/errors.js";
import { EXIT } from "../shared/exit-codes.js";
import { claimApiSocket, type ApiSocket } from "./api-socket.js";
import { SocketPathTakenError } from "./control-socket.js";
import { describeEvent } from "./event-log.js";
import { loadOrCreateToken, PortInUseError, startWebHost, UiListenError, type WebHost } from "./web-host.js";
import { UI_ADDRESS } from "./ui-address.js";
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

/** Runs until SIGTERM / SIGINT (or `options.signal`); resolves with the process exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const log = options.log ?? stderrLog();
  const home = options.home;
  let stopRequested: Promise<string> | null = null;
  let doorsOpen = false;
  let host: HostedEngine<DaemonDoors>;
  try {
    host = await hostEngine({
      home,
      log,
      onEvent: logEvent,
      openDoors: async (backend) => {
        const doors = await openDaemonDoors(home, backend, log, options.ui);
        // Signals that arrive while the stores are opening are honoured once they are open.
        stopRequested = waitForStop(log, options.signal);
        doorsOpen = true;
        return doors;
      },
    });
  } catch (error) {
    if (error instanceof DaemonStartRefused) {
      log(error.message);
      return error.exitCode;
    }
    if (error instanceof HomeNotPrivateError) {
      log(error.message);
      return EXIT.homeNotPrivate;
    }
    if (!doorsOpen) {
      if (!(error instanceof HomeUnusableError)) throw error;
      log(error.message);
      return EXIT.failed;
    }
    if (error instanceof StoreCorruptError) {
      log(error.message);
      return EXIT.storeCorrupt;
    }
    log(`Could not start: ${(error as Error).message}`);
    return EXIT.failed;
  }

  function logEvent(event: SchedulerEvent): void {
    const line = describeEvent(event);
    if (line) log(line);
  }
  const status = await host.engine.service.status();
  log(`Sundial ${status.version} running on ${home} (pid ${process.pid}), ${status.jobs} job${status.jobs === 1 ? "" : "s"}; control socket ${homePaths(home).socket}`);
  const { webHost } = host.doors;
  if (webHost) {
    log(`web UI on http://${UI_ADDRESS}:${webHost.port}/ (the link with its access token is printed on stdout)`);
    (options.announce ?? bestEffortLines(process.stdout))(`Open Sundial: ${webHost.url}`);
  }

  const reason = await stopRequested!;
  log(`${reason}: stopping (running runs are ended and recorded)`);
  await host.stop();
  log("stopped");
  return EXIT.ok;
}

/** A start refused with a known exit code; its message is the one line logged. */
class DaemonStartRefused extends Error {
  override name = "DaemonStartRefused";
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the daemon serves the engine through. */
interface DaemonDoors extends EngineDoors {
  readonly webHost: WebHost | null;
}

/**
 * The control socket and (with `--ui`) the web UI, in that order; throws DaemonStartRefused
 * for the failures the exit codes tell apart, having closed whatever it had opened.
 */
async function openDaemonDoors(
  home: string,
  backend: () => Engine | null,
  log: (line: string) => void,
  ui: DaemonOptions["ui"],
): Promise<DaemonDoors> {
  // A missing build is found before anything is claimed or opened.
  let staticRoot: string | null = null;
  if (ui) {
    try {
      staticRoot = checkRendererBuilt(ui.staticRoot ?? defaultRendererRoot());
    } catch (error) {
      if (!(error instanceof RendererMissingError)) throw error;
      throw new DaemonStartRefused(EXIT.uiUnavailable, error.message);
    }
  }

  let claimed: ApiSocket;
  try {
    claimed = await claimApiSocket(home, backend, log);
  } catch (error) {
    if (error instanceof EngineLockedError) {
      throw new DaemonStartRefused(EXIT.locked, `${error.message}; not starting a second engine on the same home.`);
    }
    if (error instanceof SocketPathTakenError || error instanceof FileWriteError) throw new DaemonStartRefused(EXIT.failed, error.message);
    throw error;
  }
  const { api, socket } = claimed;

  // The port is bound before the engine opens: a port in use costs nothing but a moment
  // of holding the socket, never a half-started engine.
  let webHost: WebHost | null = null;
  if (ui && staticRoot) {
    try {
      const token = loadOrCreateToken(homePaths(home).token, log);
      webHost = await startWebHost({ port: ui.port, token, api, staticRoot, log });
    } catch (error) {
      await socket.close();
      if (error instanceof PortInUseError || error instanceof UiListenError || error instanceof FileWriteError) {
        throw new DaemonStartRefused(EXIT.uiUnavailable, error.message);
      }
      throw error;
    }
  }
  return {
    webHost,
    close: async () => {
      await Promise.all([socket.close(), webHost?.close()]);
    },
  };
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
        process.exit(EXIT.failed);
      }
      stopping = true;
      resolve(name);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    signal?.addEventListener("abort", () => onSignal("SIGTERM"), { once: true });
  });
}

/** Timestamped lines on stderr, best-effort (see bestEffortLines). */
function stderrLog(): (line: string) => void {
  const write = bestEffortLines(process.stderr);
  return (line) => write(`${timestamp(new Date())} ${line}`);
}

/**
 * Writes lines to one of the process's own streams without ever letting it stop the engine
 * (issue 10, item 7): stderr on a full disk (ENOSPC) or a pipe whose reader left (EPIPE)
 * raises an 'error' event that, unheard, would crash the daemon. Logging is best-effort:
 * once the stream has failed, lines are dropped and scheduling goes on. The listener also
 * covers anything else writing there (console.warn from the executor or the notifier).
 */
export function bestEffortLines(stream: NodeJS.WritableStream): (line: string) => void {
  let broken = false;
  stream.on("error", () => {
    broken = true;
  });
  return (line) => {
    if (broken) return;
    try {
      stream.write(`${line}\n`);
    } catch {
      broken = true;
    }
  };
}

/** `2026-11-25 12:00:01`, local time: what a person reading a terminal expects. */
export function timestamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
