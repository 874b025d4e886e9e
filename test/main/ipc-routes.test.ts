import { describe, expect, it, vi } from "vitest";
import { createIpcRoutes, UntrustedSenderError } from "../../electron/main/ipc-routes.js";
import { createSenderCheck, type IpcSenderLike } from "../../electron/main/sender-check.js";
import { SCHEDULER_METHODS, type SchedulerApi } from "../../electron/shared/contract.js";
import { JobNotFoundError, ValidationError } from "../../electron/shared/errors.js";
import { METHOD_CHANNELS, channelFor, type IpcResult } from "../../electron/shared/ipc.js";

let nextId = 1;

/** A fake window: a WebContents-like object whose main frame shows our page. */
function fakeWindow(url = "sundial://app/index.html#/") {
  const mainFrame = { url, parent: null, frameTreeNodeId: nextId++ };
  const contents = { id: nextId++, mainFrame };
  return { contents, mainFrame };
}

function fakeService() {
  const calls: { method: string; args: unknown[] }[] = [];
  const service = Object.fromEntries(
    SCHEDULER_METHODS.map((method) => [
      method,
      vi.fn(async (...args: unknown[]) => {
        calls.push({ method, args });
        return { method, args };
      }),
    ]),
  ) as unknown as SchedulerApi;
  return { service, calls };
}

function setUp() {
  const window = fakeWindow();
  const { service, calls } = fakeService();
  const log = vi.fn();
  const routes = createIpcRoutes(service, createSenderCheck(() => window.contents), log);
  const trusted: IpcSenderLike = { sender: window.contents, senderFrame: window.mainFrame };
  const call = (method: (typeof SCHEDULER_METHODS)[number], event: IpcSenderLike, ...args: unknown[]) => routes.get(channelFor(method))!(event, ...args);
  return { window, service, calls, routes, trusted, call, log };
}

describe("IPC routes", () => {
  it("exist for every contract method and nothing else", () => {
    const { routes } = setUp();
    expect([...routes.keys()]).toEqual(METHOD_CHANNELS);
    expect([...routes.keys()]).toEqual(SCHEDULER_METHODS.map((method) => `sundial:${method}`));
    expect(routes.has("sundial:invoke" as never)).toBe(false);
  });

  it("bring a call from our window's main frame to the service with its arguments", async () => {
    const { call, trusted, calls } = setUp();
    const result = await call("updateJob", trusted, "backup", { paused: true });
    expect(result).toEqual({ ok: true, value: { method: "updateJob", args: ["backup", { paused: true }] } });
    expect(calls).toEqual([{ method: "updateJob", args: ["backup", { paused: true }] }]);
  });

  it("recognise our window and frame by id when Electron hands out another wrapper object", async () => {
    const { window, call } = setUp();
    const event = { sender: { id: window.contents.id }, senderFrame: { ...window.mainFrame } };
    expect(await call("status", event)).toMatchObject({ ok: true });
  });

  it("answer a method with no result with null (structured clone has no undefined)", async () => {
    const { service, call, trusted } = setUp();
    vi.mocked(service.removeJob).mockResolvedValueOnce(undefined);
    expect(await call("removeJob", trusted, "backup")).toEqual({ ok: true, value: null });
  });

  it("send the engine's errors back as data, with the class name, the ids as details and field issues", async () => {
    const { service, call, trusted } = setUp();
    vi.mocked(service.getJob).mockRejectedValueOnce(new JobNotFoundError("nope"));
    expect(await call("getJob", trusted, "nope")).toEqual({ ok: false, error: { name: "JobNotFoundError", message: 'No job with id or name "nope"', details: { ref: "nope" } } });
    vi.mocked(service.addJob).mockRejectedValueOnce(new ValidationError([{ field: "trigger.expression", message: "bad" }]));
    expect(await call("addJob", trusted, {})).toEqual({
      ok: false,
      error: { name: "ValidationError", message: "trigger.expression: bad", issues: [{ field: "trigger.expression", message: "bad" }] },
    });
  });

  it("hide unexpected errors' stacks and names", async () => {
    const { service, call, trusted } = setUp();
    vi.mocked(service.status).mockRejectedValueOnce(Object.assign(new Error("EACCES: permission denied"), { name: "SystemError" }));
    expect(await call("status", trusted)).toEqual({ ok: false, error: { name: "InternalError", message: "EACCES: permission denied" } });
  });

  it("refuse wrong argument shapes before the service sees them", async () => {
    const { call, trusted, calls } = setUp();
    const wrongType = (await call("getJob", trusted, 42)) as Extract<IpcResult, { ok: false }>;
    expect(wrongType.error).toEqual({ name: "ApiRequestError", message: "getJob: argument 1 must be a string, got number", details: { status: 400 } });
    const tooMany = (await call("listJobs", trusted, "extra")) as Extract<IpcResult, { ok: false }>;
    expect(tooMany.error.message).toBe("listJobs takes at most 0 argument(s), got 1");
    const missing = (await call("runNow", trusted)) as Extract<IpcResult, { ok: false }>;
    expect(missing.error.message).toBe("runNow: argument 1 is required");
    expect(await call("history", trusted, undefined)).toMatchObject({ ok: true });
    expect(calls.map((entry) => entry.method)).toEqual(["history"]);
  });
});

describe("IPC routes refuse foreign senders", () => {
  it("a page from another origin in our window", async () => {
    const { window, call, calls, log } = setUp();
    // Our window's own main frame, navigated away (it cannot, but the check must not rely on that).
    window.mainFrame.url = "https://evil.example/";
    const event = { sender: window.contents, senderFrame: window.mainFrame };
    await expect(call("listJobs", event)).rejects.toBeInstanceOf(UntrustedSenderError);
    expect(calls).toEqual([]);
    expect(log).toHaveBeenCalledWith("Refused sundial:listJobs from https://evil.example/: only Sundial's own window may call the engine");
  });

  it("a subframe of our page, even one on our own origin", async () => {
    const { window, call, calls } = setUp();
    const subframe = { url: "sundial://app/index.html", parent: window.mainFrame, frameTreeNodeId: 999 };
    await expect(call("runNow", { sender: window.contents, senderFrame: subframe }, "backup")).rejects.toThrow(/only Sundial's own window/);
    expect(calls).toEqual([]);
  });

  it("DevTools or any other WebContents", async () => {
    const { call, calls } = setUp();
    const devtools = fakeWindow("devtools://devtools/bundled/devtools_app.html");
    await expect(call("status", { sender: devtools.contents, senderFrame: devtools.mainFrame })).rejects.toBeInstanceOf(UntrustedSenderError);
    const lookalike = fakeWindow();
    await expect(call("status", { sender: lookalike.contents, senderFrame: lookalike.mainFrame })).rejects.toBeInstanceOf(UntrustedSenderError);
    expect(calls).toEqual([]);
  });

  it("a top-level frame inside our page that is not its main frame (e.g. a fenced frame)", async () => {
    const { window, call } = setUp();
    const inner = { url: "sundial://app/index.html", parent: null, frameTreeNodeId: 998 };
    await expect(call("status", { sender: window.contents, senderFrame: inner })).rejects.toBeInstanceOf(UntrustedSenderError);
  });

  it("a frame that is gone, or any message while no window is open", async () => {
    const { window, call } = setUp();
    await expect(call("status", { sender: window.contents, senderFrame: null })).rejects.toBeInstanceOf(UntrustedSenderError);
    const noWindow = createIpcRoutes(fakeService().service, createSenderCheck(() => null));
    await expect(noWindow.get(channelFor("status"))!({ sender: window.contents, senderFrame: window.mainFrame })).rejects.toBeInstanceOf(UntrustedSenderError);
  });

  it("our origin with a different host, credentials or port", async () => {
    for (const url of ["sundial://other/index.html", "sundial://user@app/index.html", "sundial://app:8080/index.html", "file:///index.html"]) {
      const window = fakeWindow(url);
      const routes = createIpcRoutes(fakeService().service, createSenderCheck(() => window.contents));
      await expect(routes.get(channelFor("status"))!({ sender: window.contents, senderFrame: window.mainFrame }), url).rejects.toBeInstanceOf(UntrustedSenderError);
    }
  });
});
