import { describe, expect, it } from "vitest";
import { PRELOAD_KEYS, createBridge, type BridgeTransport } from "../../electron/preload/bridge.js";
import { SCHEDULER_METHODS, type SchedulerEvent } from "../../electron/shared/contract.js";
import { EVENTS_CHANNEL, METHOD_CHANNELS, channelFor, isSerializedError, type IpcResult } from "../../electron/shared/ipc.js";
import { deserializeError } from "../../electron/shared/wire.js";
import { ValidationError } from "../../electron/shared/errors.js";

function fakeTransport(answer: (channel: string, args: unknown[]) => IpcResult = () => ({ ok: true, value: "ok" })) {
  const listeners = new Set<(event: SchedulerEvent) => void>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const transport: BridgeTransport = {
    invoke: async (channel, args) => {
      invoked.push({ channel, args });
      return answer(channel, args);
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { transport, invoked, emit: (event: SchedulerEvent) => listeners.forEach((listener) => listener(event)) };
}

describe("the preload's window.sundial and the contract", () => {
  it("expose exactly the contract's methods plus subscribe", () => {
    expect(PRELOAD_KEYS).toEqual([...SCHEDULER_METHODS, "subscribe"]);
    const bridge = createBridge(fakeTransport().transport);
    expect(Object.keys(bridge).sort()).toEqual([...SCHEDULER_METHODS, "subscribe"].sort());
    expect(Object.values(bridge).every((value) => typeof value === "function")).toBe(true);
  });

  it("has no generic door: no invoke, send or on", () => {
    const bridge = createBridge(fakeTransport().transport) as unknown as Record<string, unknown>;
    for (const key of ["invoke", "send", "on", "ipcRenderer", "removeListener"]) expect(bridge[key]).toBeUndefined();
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it("uses one channel per method, the same list main registers", () => {
    expect(METHOD_CHANNELS).toEqual(SCHEDULER_METHODS.map((method) => `sundial:${method}`));
    expect(new Set(METHOD_CHANNELS).size).toBe(SCHEDULER_METHODS.length);
    expect(METHOD_CHANNELS).not.toContain(EVENTS_CHANNEL);
  });

  it("sends each call on its method's channel with its arguments", async () => {
    const { transport, invoked } = fakeTransport((_channel, args) => ({ ok: true, value: args }));
    const bridge = createBridge(transport);
    expect(await bridge.history({ job: "backup", limit: 5 })).toEqual([{ job: "backup", limit: 5 }]);
    await bridge.listJobs();
    expect(invoked).toEqual([
      { channel: channelFor("history"), args: [{ job: "backup", limit: 5 }] },
      { channel: channelFor("listJobs"), args: [] },
    ]);
  });

  it("rejects with the error as data, which the renderer rebuilds into the class", async () => {
    const issues = [{ field: "name", message: "must not be empty" }];
    const { transport } = fakeTransport(() => ({ ok: false, error: { name: "ValidationError", message: "name: must not be empty", issues } }));
    const rejection = await createBridge(transport).addJob({} as never).catch((error: unknown) => error);
    // A plain object survives contextBridge's copy; an Error would arrive as a bare message.
    expect(rejection).not.toBeInstanceOf(Error);
    expect(isSerializedError(rejection)).toBe(true);
    const rebuilt = deserializeError(rejection as never);
    expect(rebuilt).toBeInstanceOf(ValidationError);
    expect((rebuilt as ValidationError).issues).toEqual(issues);
  });

  it("delivers events to subscribers until they unsubscribe", () => {
    const { transport, emit } = fakeTransport();
    const bridge = createBridge(transport);
    const seen: string[] = [];
    const stop = bridge.subscribe((event) => seen.push(event.type));
    emit({ type: "engine.resumed" });
    stop();
    emit({ type: "engine.resumed" });
    expect(seen).toEqual(["engine.resumed"]);
    expect(() => bridge.subscribe("not a function" as never)).toThrow(TypeError);
  });
});
