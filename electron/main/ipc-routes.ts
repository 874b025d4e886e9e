/**
 * The IPC routing table: one handler per contract method, onto `SchedulerService`. Pure
 * (no Electron import): `ipc-main.ts` registers exactly these handlers with `ipcMain`, and
 * the tests call them with fake events.
 */
import { SCHEDULER_METHODS, type SchedulerApi } from "../shared/contract.js";
import { channelFor, type IpcResult, type MethodChannel } from "../shared/ipc.js";
import { checkArguments, serializeError } from "../shared/wire.js";
import type { IpcSenderLike, SenderCheck } from "./sender-check.js";

/** A message from a frame that is not our window's page. It is refused, not answered. */
export class UntrustedSenderError extends Error {
  override name = "UntrustedSenderError";
  constructor(readonly channel: string, readonly url: string) {
    super(`Refused ${channel} from ${url || "an unknown frame"}: only Sundial's own window may call the engine`);
  }
}

export type IpcRouteHandler = (event: IpcSenderLike, ...args: unknown[]) => Promise<IpcResult>;


/**
 * Routes for every contract method and nothing else. An untrusted sender gets a rejection;
 * a trusted one always gets an `IpcResult` (errors as data, see shared/ipc.ts).
 */
export function createIpcRoutes(service: SchedulerApi, isTrustedSender: SenderCheck, log?: (line: string) => void): ReadonlyMap<MethodChannel, IpcRouteHandler> {
  const routes = new Map<MethodChannel, IpcRouteHandler>();
  for (const method of SCHEDULER_METHODS) {
    const channel = channelFor(method);
    routes.set(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) {
        const error = new UntrustedSenderError(channel, event.senderFrame?.url ?? "");
        log?.(error.message);
        throw error;
      }
      try {
        checkArguments(method, args);
        const call = service[method] as (...callArgs: unknown[]) => Promise<unknown>;
        const value = await call.apply(service, args);
        return { ok: true, value: value ?? null };
      } catch (error) {
        return { ok: false, error: serializeError(error) };
      }
    });
  }
  return routes;
}
