/**
 * The engine inside the desktop app, hosted exactly as `sundial daemon` hosts it
 * (core/engine-host.ts): the control socket is claimed first (it is the single-instance guard
 * per home, and it is what `sundial` CLI commands talk to while the app runs), then the
 * stores are opened. Plain Node: tested on a temp home without Electron.
 */
import type { Engine, EngineOptions } from "../core/engine.js";
import { hostEngine } from "../core/engine-host.js";
import { claimApiSocket } from "../daemon/api-socket.js";
import type { EngineLockedError, HomeNotPrivateError } from "../shared/errors.js";

export interface EngineHost {
  readonly engine: Engine;
  readonly socketPath: string;
  /** Ends running runs (recorded as interrupted), flushes the stores, then frees the socket. */
  stop(): Promise<void>;
}

export type EngineHostOptions = EngineOptions & { log: (line: string) => void };

/**
 * Throws EngineLockedError when another instance (a daemon, or the app started with another
 * user data folder) owns the home, HomeNotPrivateError when another user could change the
 * home or its jobs.json, and StoreCorruptError for an unusable jobs.json; the socket is
 * released again in every case.
 */
export async function startEngineHost(options: EngineHostOptions): Promise<EngineHost> {
  const host = await hostEngine({
    ...options,
    openDoors: async (backend) => (await claimApiSocket(options.home, backend, options.log)).socket,
  });
  return { engine: host.engine, socketPath: host.doors.path, stop: host.stop };
}

/** The dialog text when another instance owns the home. */
export function engineLockedMessage(error: EngineLockedError): string {
  return `${error.message} — quit the daemon first (or start Sundial with --home on another folder).`;
}

/** The dialog text when another user could change the home or its jobs.json. */
export function homeNotPrivateMessage(error: HomeNotPrivateError): string {
  return `${error.message}.\n\nAnother user on this computer could change your jobs or listen in on Sundial, so Sundial does not start until this is fixed.`;
}
