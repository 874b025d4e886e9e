/**
 * The engine's API on the control socket: what `sundial` CLI commands talk to, in the daemon
 * and in the desktop app alike. Claiming the socket takes the home lock (control-socket.ts).
 */
import { createApiHandler, type ApiBackend, type ApiHandler } from "./api-server.js";
import { claimControlSocket, type ControlSocket } from "./control-socket.js";
import { packageVersion } from "../core/version.js";

export interface ApiSocket {
  /** The handler, for other transports to serve too (the web UI). */
  readonly api: ApiHandler;
  readonly socket: ControlSocket;
}

/** Throws EngineLockedError when another instance owns the home (control-socket.ts). */
export async function claimApiSocket(home: string, backend: () => ApiBackend | null, log: (line: string) => void): Promise<ApiSocket> {
  const api = createApiHandler({ backend, host: { pid: process.pid, home, version: packageVersion() }, log });
  const socket = await claimControlSocket({ home, handler: api.handle, beforeClose: api.closeStreams, log });
  return { api, socket };
}
