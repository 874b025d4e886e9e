/**
 * The Electron IPC contract, derived from the one API contract (GitHub Desktop's
 * `ipc-shared.ts` pattern): one channel per `SchedulerApi` method, one channel for events,
 * and the shape of what the preload exposes as `window.sundial`. Main (`main/ipc-main.ts`)
 * and preload (`preload/index.ts`) both import this file, so they cannot drift apart.
 */
import { SCHEDULER_METHODS, type SchedulerApi, type SchedulerEvent, type SchedulerMethod, type SerializedError } from "./contract.js";

/** Prefix of every Sundial channel; nothing else is ever handled or sent. */
const CHANNEL_PREFIX = "sundial:";

/** `listJobs` → `sundial:listJobs`. */
export type MethodChannel<M extends SchedulerMethod = SchedulerMethod> = `sundial:${M}`;

export function channelFor<M extends SchedulerMethod>(method: M): MethodChannel<M> {
  return `${CHANNEL_PREFIX}${method}` as MethodChannel<M>;
}

/** Every invoke channel, in contract order (routes and the parity test use it). */
export const METHOD_CHANNELS: readonly MethodChannel[] = SCHEDULER_METHODS.map(channelFor);

/** Main → renderer: every `SchedulerEvent` while the window is open. */
export const EVENTS_CHANNEL = "sundial:event";

/** What `window.sundial` is: exactly the contract's methods, plus `subscribe`. */
export type SundialBridge = SchedulerApi & { subscribe(listener: (event: SchedulerEvent) => void): () => void };

/** The bridge's own keys: the contract's methods, then `subscribe`. */
export const BRIDGE_KEYS = [...SCHEDULER_METHODS, "subscribe"] as const satisfies readonly (keyof SundialBridge)[];

/**
 * What an invoke handler resolves with. Errors travel as data, not as a rejection:
 * `ipcMain.handle` rejections reach the renderer as a bare `Error` whose message is
 * prefixed with "Error invoking remote method", and the error's `name` and `issues` are lost.
 */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/**
 * True for an error that crossed a transport as data. The bridge rejects with such plain
 * objects: the context bridge copies an `Error` as a bare message, so a class or a
 * ValidationError's `issues` could not survive it; the renderer rebuilds them with
 * `deserializeError` (shared/wire.ts).
 */
export function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== "object" || value === null || value instanceof Error) return false;
  const candidate = value as Partial<SerializedError>;
  return typeof candidate.name === "string" && typeof candidate.message === "string";
}
