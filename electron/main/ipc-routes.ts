/**
 * The IPC routing table: one handler per contract method, onto `SchedulerService`. Pure
 * (no Electron import): `ipc-main.ts` registers exactly these handlers with `ipcMain`, and
 * the tests call them with fake events.
 */
import { SCHEDULER_METHODS, type SchedulerApi, type SchedulerMethod } from "../shared/contract.js";
import { channelFor, type IpcResult, type MethodChannel } from "../shared/ipc.js";
import { ApiRequestError, serializeError } from "../daemon/wire.js";
import type { IpcSenderLike, SenderCheck } from "./sender-check.js";

/** A message from a frame that is not our window's page. It is refused, not answered. */
export class UntrustedSenderError extends Error {
  override name = "UntrustedSenderError";
  constructor(readonly channel: string, readonly url: string) {
    super(`Refused ${channel} from ${url || "an unknown frame"}: only Sundial's own window may call the engine`);
  }
}

export type IpcRouteHandler = (event: IpcSenderLike, ...args: unknown[]) => Promise<IpcResult>;

type ArgumentKind = "string" | "string?" | "object" | "object?";

/**
 * The arguments each method takes, checked before the call (the same table as the HTTP
 * API's, daemon/api-server.ts): the service validates values, this catches a wrong shape.
 */
const METHOD_ARGUMENTS: { readonly [M in SchedulerMethod]: readonly ArgumentKind[] } = {
  listJobs: [],
  getJob: ["string"],
  addJob: ["object"],
  updateJob: ["string", "object"],
  removeJob: ["string"],
  pauseJob: ["string"],
  resumeJob: ["string"],
  pauseAll: ["string?"],
  resumeAll: [],
  runNow: ["string"],
  cancelRun: ["string"],
  history: ["object?"],
  getRun: ["string"],
  runLog: ["string"],
  previewTrigger: ["object"],
  status: [],
};

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

function checkArguments(method: SchedulerMethod, args: unknown[]): void {
  // Trailing undefined arguments are absent ones (`history()` vs `history(undefined)`).
  while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1);
  const kinds = METHOD_ARGUMENTS[method];
  if (args.length > kinds.length) throw new ApiRequestError(`${method} takes at most ${kinds.length} argument(s), got ${args.length}`);
  kinds.forEach((kind, index) => {
    const value = args[index];
    if (value === undefined || value === null) {
      if (!kind.endsWith("?")) throw new ApiRequestError(`${method}: argument ${index + 1} is required`);
      return;
    }
    const wanted = kind.replace("?", "");
    const actual = Array.isArray(value) ? "array" : typeof value;
    if (actual !== wanted) throw new ApiRequestError(`${method}: argument ${index + 1} must be a ${wanted}, got ${actual}`);
  });
}
