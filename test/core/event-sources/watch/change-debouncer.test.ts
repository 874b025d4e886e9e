import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../../electron/core/clock.js";
import { ChangeDebouncer, type ChangeBurst } from "../../../../electron/core/event-sources/watch/change-debouncer.js";
import { waitFor } from "../../../support/waiting.mjs";

// Real time, kept short: the debouncer's timers are the engine's real timers.
const debouncers: ChangeDebouncer[] = [];
const streams: NodeJS.Timeout[] = [];

function debouncer(options: { quietMs: number; maxWaitMs: number; maxPaths?: number }): { debouncer: ChangeDebouncer; bursts: ChangeBurst[] } {
  const bursts: ChangeBurst[] = [];
  const made = new ChangeDebouncer({ clock: systemClock, maxPaths: 1_000, ...options, onBurst: (burst) => bursts.push(burst) });
  debouncers.push(made);
  return { debouncer: made, bursts };
}

afterEach(() => {
  for (const stream of streams.splice(0)) clearInterval(stream);
  for (const made of debouncers.splice(0)) made.cancel();
});

describe("ChangeDebouncer", () => {
  it("ends a burst of changes as one burst that names each changed path once", async () => {
    const { debouncer: changes, bursts } = debouncer({ quietMs: 80, maxWaitMs: 400 });
    for (let index = 0; index < 20; index++) changes.add(`/watched/file-${index}`);
    changes.add("/watched/file-3");
    await waitFor(() => bursts.length > 0, 5_000, "the burst");
    expect(bursts).toHaveLength(1);
    expect(bursts[0]!.paths).toHaveLength(20);
    expect(new Set(bursts[0]!.paths)).toEqual(new Set(Array.from({ length: 20 }, (_, index) => `/watched/file-${index}`)));
    expect(bursts[0]!.truncated).toBe(false);
    // Nothing is armed any more: no second burst can follow.
    expect(changes.pending).toBe(false);
  });

  it("waits for the changes to stop: a change within the quiet period extends the burst", async () => {
    const { debouncer: changes, bursts } = debouncer({ quietMs: 1_000, maxWaitMs: 20_000 });
    changes.add("/watched/a");
    let sent = 1;
    // A change every 20 ms for 0.3 s: well inside the quiet period, so still one burst.
    const stream = setInterval(() => {
      if (sent < 15) changes.add(`/watched/${sent++}`);
    }, 20);
    streams.push(stream);
    await waitFor(() => bursts.length > 0, 10_000, "the burst");
    clearInterval(stream);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]!.paths).toHaveLength(sent);
  });

  it("ends a burst that never goes quiet at its cap, and starts the next one", async () => {
    const { debouncer: changes, bursts } = debouncer({ quietMs: 300, maxWaitMs: 600 });
    let sent = 0;
    streams.push(setInterval(() => changes.add(`/watched/log-${sent++ % 3}`), 10));
    // Without the cap the stream's changes, 10 ms apart, would keep one burst open for ever.
    await waitFor(() => bursts.length >= 2, 10_000, "two bursts while the stream goes on");
    expect(bursts[0]!.paths.sort()).toEqual(["/watched/log-0", "/watched/log-1", "/watched/log-2"]);
  });

  it("keeps at most maxPaths paths of a flood and says that some were left out", async () => {
    const { debouncer: changes, bursts } = debouncer({ quietMs: 50, maxWaitMs: 500, maxPaths: 5 });
    for (let index = 0; index < 50; index++) changes.add(`/watched/${index}`);
    await waitFor(() => bursts.length > 0, 5_000, "the burst");
    expect(bursts[0]).toEqual({ paths: ["/watched/0", "/watched/1", "/watched/2", "/watched/3", "/watched/4"], truncated: true });
  });

  it("forgets the burst under way when cancelled, and starts afresh on the next change", async () => {
    const { debouncer: changes, bursts } = debouncer({ quietMs: 50, maxWaitMs: 500 });
    changes.add("/watched/before");
    changes.cancel();
    expect(changes.pending).toBe(false);
    changes.add("/watched/after");
    await waitFor(() => bursts.length > 0, 5_000, "the burst");
    expect(bursts).toEqual([{ paths: ["/watched/after"], truncated: false }]);
  });
});
