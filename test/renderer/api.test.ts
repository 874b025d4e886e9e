// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient, readLines, UnauthorizedError, type BrowserEnvironment, type SundialBridge } from "../../renderer/src/lib/api.js";
import type { SchedulerEvent } from "../../electron/shared/contract.js";
import { JobNotFoundError, ValidationError } from "../../electron/shared/errors.js";
import { waitFor } from "../support/waiting.mjs";

interface Recorded {
  url: string;
  init: RequestInit;
}

/** A fetch that records requests and answers from a queue of responders. */
function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const requests: Recorded[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    requests.push({ url, init });
    return respond(url, init);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A response body fed chunk by chunk by the test. */
function controlledStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
  });
  const encoder = new TextEncoder();
  return {
    body,
    push: (chunk: string | Uint8Array) => controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk),
    end: () => controller.close(),
  };
}

function environment(fetch: typeof globalThis.fetch, overrides: Partial<BrowserEnvironment> = {}): BrowserEnvironment {
  return {
    fetch,
    location: window.location,
    history: window.history,
    storage: window.sessionStorage,
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle),
    ...overrides,
  };
}

/** Until `check` holds (the shared waitFor, with a short limit: everything here is in memory). */
const until = (check: () => boolean): Promise<true> => waitFor(() => check() || null, 1_000, "the client to catch up").then(() => true);

beforeEach(() => {
  window.sessionStorage.clear();
  window.history.replaceState(null, "", "/");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the HTTP transport", () => {
  it("takes the token from #token=, keeps it in sessionStorage, clears the address bar and sends it as a bearer header", async () => {
    window.history.replaceState(null, "", "/?x=1#token=s3cr%2Bt");
    const { fetch, requests } = fakeFetch(() => json({ result: [] }));

    const client = createClient(environment(fetch));
    await client.listJobs();

    expect(window.sessionStorage.getItem("sundial.token")).toBe("s3cr+t");
    expect(window.location.hash).toBe("");
    expect(window.location.search).toBe("?x=1");
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe("/api/listJobs");
    expect(requests[0]!.init.method).toBe("POST");
    expect(requests[0]!.init.headers).toEqual({ Authorization: "Bearer s3cr+t", "Content-Type": "application/json" });
    expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ args: [] });
  });

  it("finds the token in sessionStorage after a reload and sends each argument in args", async () => {
    window.sessionStorage.setItem("sundial.token", "kept");
    const { fetch, requests } = fakeFetch(() => json({ result: { runId: "r1", text: "hi", truncated: false, running: false } }));

    const client = createClient(environment(fetch));
    const log = await client.runLog("r1");
    await client.history(undefined);

    expect(log.text).toBe("hi");
    expect((requests[0]!.init.headers as Record<string, string>).Authorization).toBe("Bearer kept");
    expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ args: ["r1"] });
    // An absent optional argument stays absent instead of becoming null.
    expect(JSON.parse(String(requests[1]!.init.body))).toEqual({ args: [] });
  });

  it("rebuilds a ValidationError with its issues and other errors with their name and message", async () => {
    window.sessionStorage.setItem("sundial.token", "t");
    const { fetch } = fakeFetch((url) =>
      url.endsWith("/addJob")
        ? json({ error: { name: "ValidationError", message: "trigger.expression: bad", issues: [{ field: "trigger.expression", message: "bad" }] } }, 400)
        : json({ error: { name: "JobNotFoundError", message: 'No job with id or name "nope"' } }, 404),
    );
    const client = createClient(environment(fetch));

    const invalid = await client.addJob({ name: "x", command: "true", trigger: { type: "cron", expression: "nope" } }).catch((error: unknown) => error);
    const missing = await client.getJob("nope").catch((error: unknown) => error);

    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ name: "ValidationError", issues: [{ field: "trigger.expression", message: "bad" }] });
    expect(missing).toBeInstanceOf(JobNotFoundError);
    expect(missing).toMatchObject({ name: "JobNotFoundError", message: 'No job with id or name "nope"' });
  });

  it("turns a 401 into UnauthorizedError and an unauthorized connection", async () => {
    window.sessionStorage.setItem("sundial.token", "stale");
    const { fetch } = fakeFetch(() => new Response("no", { status: 401 }));
    const client = createClient(environment(fetch));
    const seen: string[] = [];
    client.onConnectionChange((status) => seen.push(status));

    await expect(client.listJobs()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(client.connection).toBe("unauthorized");
    expect(seen).toEqual(["unauthorized"]);
  });

  it("without any token is unauthorized at once and sends nothing", async () => {
    const { fetch, requests } = fakeFetch(() => json({ result: [] }));
    const client = createClient(environment(fetch));

    expect(client.connection).toBe("unauthorized");
    await expect(client.listJobs()).rejects.toThrow(/sundial daemon --ui/);
    expect(requests).toHaveLength(0);
  });

  it("reads events from a fetch stream with the bearer header, splitting lines across chunks", async () => {
    window.sessionStorage.setItem("sundial.token", "t");
    const stream = controlledStream();
    const { fetch, requests } = fakeFetch(() => new Response(stream.body, { status: 200 }));
    const client = createClient(environment(fetch));
    const events: SchedulerEvent[] = [];

    client.subscribe((event) => events.push(event));
    await until(() => client.connection === "open");
    stream.push('{"type":"job.removed","jo');
    stream.push('bId":"a"}\n\n{"type":"engine.warning","message":"caf');
    // "é" split between two chunks must survive decoding.
    const bytes = new TextEncoder().encode('é"}\n{"type":"engine.resumed"}\n');
    stream.push(bytes.slice(0, 1));
    stream.push(bytes.slice(1));
    await until(() => events.length === 3);

    expect(requests[0]!.url).toBe("/api/events");
    expect((requests[0]!.init.headers as Record<string, string>).Authorization).toBe("Bearer t");
    expect(events).toEqual([
      { type: "job.removed", jobId: "a" },
      { type: "engine.warning", message: "café" },
      { type: "engine.resumed" },
    ]);
  });

  it("takes the stream's stream.dropped note in its stride: listeners see the events around it, the stream stays open", async () => {
    window.sessionStorage.setItem("sundial.token", "t");
    const stream = controlledStream();
    const { fetch } = fakeFetch(() => new Response(stream.body, { status: 200 }));
    const client = createClient(environment(fetch));
    const events: SchedulerEvent[] = [];

    client.subscribe((event) => events.push(event));
    await until(() => client.connection === "open");
    stream.push('{"type":"engine.resumed"}\n{"type":"stream.dropped","count":12,"runIds":["r_1"]}\n{"type":"job.removed","jobId":"a"}\n');
    await until(() => events.length === 2);

    expect(events).toEqual([{ type: "engine.resumed" }, { type: "job.removed", jobId: "a" }]);
    expect(client.connection).toBe("open");
  });

  it("reconnects with a growing delay when the event stream ends, and stops when the last listener leaves", async () => {
    window.sessionStorage.setItem("sundial.token", "t");
    const scheduled: number[] = [];
    const streams: ReturnType<typeof controlledStream>[] = [];
    const { fetch, requests } = fakeFetch(() => {
      const stream = controlledStream();
      streams.push(stream);
      return new Response(stream.body, { status: 200 });
    });
    const client = createClient(
      environment(fetch, {
        setTimeout: (callback, ms) => {
          scheduled.push(ms);
          return setTimeout(callback, 0);
        },
      }),
    );
    const statuses: string[] = [];
    client.onConnectionChange((status) => statuses.push(status));

    const unsubscribe = client.subscribe(() => undefined);
    await until(() => streams.length === 1 && client.connection === "open");
    streams[0]!.end();
    await until(() => streams.length === 2 && client.connection === "open");
    unsubscribe();

    expect(statuses).toEqual(["open", "reconnecting", "open"]);
    expect(scheduled).toEqual([500]);
    expect(requests.every((request) => request.url === "/api/events")).toBe(true);
    expect((requests[1]!.init.signal as AbortSignal).aborted).toBe(true);
  });

  it("uses the Electron bridge when the preload exposes one", async () => {
    const bridge = {
      listJobs: vi.fn(async () => []),
      subscribe: vi.fn(() => () => undefined),
    } as unknown as SundialBridge;
    const { fetch, requests } = fakeFetch(() => json({ result: [] }));

    const client = createClient(environment(fetch, { bridge }));
    await client.listJobs();
    client.subscribe(() => undefined);

    expect(bridge.listJobs).toHaveBeenCalledOnce();
    expect(bridge.subscribe).toHaveBeenCalledOnce();
    expect(client.connection).toBe("open");
    expect(requests).toHaveLength(0);
  });

  it("rebuilds the plain error objects the Electron bridge rejects with", async () => {
    const bridge = {
      addJob: vi.fn(async () => {
        throw { name: "ValidationError", message: "name: must not be empty", issues: [{ field: "name", message: "must not be empty" }] };
      }),
      subscribe: vi.fn(() => () => undefined),
    } as unknown as SundialBridge;
    const client = createClient(environment(fakeFetch(() => json({})).fetch, { bridge }));

    const error = await client.addJob({ name: "", command: "x", trigger: { type: "cron", expression: "@daily" } }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ issues: [{ field: "name", message: "must not be empty" }] });
  });
});

describe("readLines", () => {
  it("yields a last line without a newline and strips \\r", async () => {
    const stream = controlledStream();
    stream.push("one\r\ntw");
    stream.push("o\nthree");
    stream.end();
    const lines: string[] = [];
    for await (const line of readLines(stream.body)) lines.push(line);
    expect(lines).toEqual(["one", "two", "three"]);
  });
});
