/**
 * What the preload exposes as `window.sundial`, built from the IPC contract with no Electron
 * import, so the method list is testable in plain Node. `index.ts` supplies the transport
 * (the raw `ipcRenderer`) and hands the result to `contextBridge`.
 */
import { SCHEDULER_METHODS, type SchedulerEvent } from "../shared/contract.js";
import { BRIDGE_KEYS, channelFor, isSerializedError, type IpcResult, type SundialBridge } from "../shared/ipc.js";

/** The two things the bridge needs from IPC; `index.ts` implements them over `ipcRenderer`. */
export interface BridgeTransport {
  /** Sends one contract call and resolves with the main process's envelope. */
  invoke(channel: string, args: unknown[]): Promise<IpcResult>;
  /** Calls `listener` for every engine event; returns the function that stops it. */
  onEvent(listener: (event: SchedulerEvent) => void): () => void;
}

/** Every key `window.sundial` has, in order: the parity test compares it with the contract. */
export const PRELOAD_KEYS: readonly string[] = BRIDGE_KEYS;

/**
 * One function per contract method (nothing generic: no `invoke(channel)` passthrough, so a
 * compromised page can reach exactly the contract and nothing else), plus `subscribe`.
 *
 * A failed call rejects with a plain `SerializedError` object, not an `Error`: the context
 * bridge copies an `Error` as a bare message, losing `name` and a ValidationError's `issues`.
 * The renderer turns it back into the class with `deserializeError`.
 */
export function createBridge(transport: BridgeTransport): SundialBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of SCHEDULER_METHODS) {
    const channel = channelFor(method);
    bridge[method] = async (...args: unknown[]): Promise<unknown> => {
      const result = await transport.invoke(channel, args);
      if (result.ok) return result.value;
      throw isSerializedError(result.error) ? { ...result.error } : { name: "InternalError", message: "Sundial's main process sent an unreadable error" };
    };
  }
  bridge.subscribe = (listener: (event: SchedulerEvent) => void): (() => void) => {
    if (typeof listener !== "function") throw new TypeError("subscribe(listener): listener must be a function");
    return transport.onEvent(listener);
  };
  return Object.freeze(bridge) as unknown as SundialBridge;
}
