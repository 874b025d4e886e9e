import { describe, expect, it } from "vitest";
import { newJobId, newRunId } from "../../electron/core/ids.js";

const NOW = Date.parse("2026-03-02T10:00:00.000Z");

describe("run ids", () => {
  it("never repeat within one millisecond, however many are made", () => {
    const ids = Array.from({ length: 20_000 }, () => newRunId(NOW));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("sort by creation: by time first, then in the order they were made", () => {
    const made = [newRunId(NOW - 1), newRunId(NOW), newRunId(NOW), newRunId(NOW), newRunId(NOW + 1), newRunId(NOW + 36_000)];
    expect([...made].sort()).toEqual(made);
  });

  it("stay short and safe as file names", () => {
    const id = newRunId(NOW);
    expect(id).toMatch(/^r_[0-9a-z]+_[0-9a-z]+$/);
    expect(id.length).toBeLessThanOrEqual(32);
  });

  it("are checked against ids already taken (the history index) before use", () => {
    const taken = new Set<string>();
    const first = newRunId(NOW, (id) => taken.has(id));
    taken.add(first);
    // Whatever is taken is never handed out again.
    for (let index = 0; index < 1_000; index++) {
      const id = newRunId(NOW, (candidate) => taken.has(candidate));
      expect(taken.has(id)).toBe(false);
      taken.add(id);
    }
  });
});

describe("job ids", () => {
  it("carry 64 random bits", () => {
    expect(newJobId()).toMatch(/^j_[0-9a-f]{16}$/);
  });

  it("never repeat in a large batch", () => {
    const ids = Array.from({ length: 20_000 }, () => newJobId());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
