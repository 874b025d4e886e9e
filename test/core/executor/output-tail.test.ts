import { describe, expect, it } from "vitest";
import { OutputTail } from "../../../electron/core/executor/output-tail.js";

describe("OutputTail", () => {
  it("returns the last lines without the trailing newline", () => {
    const tail = new OutputTail(4096, 3);
    tail.append("one\ntwo\nthr");
    tail.append("ee\nfour\n\n");
    expect(tail.lines()).toBe("two\nthree\nfour");
  });

  it("keeps a bounded window however much is appended", () => {
    const tail = new OutputTail(100, 10);
    for (let i = 0; i < 10_000; i++) tail.append(`line ${i}\n`);
    expect(tail.lines()).toBe(Array.from({ length: 10 }, (_, i) => `line ${9_990 + i}`).join("\n"));
  });

  it("drops the partial first line once the window has been cut", () => {
    const tail = new OutputTail(10, 10);
    tail.append("abcdefghij\nxyz\n");
    expect(tail.lines()).toBe("xyz");
  });

  it("shows what a terminal would after carriage-return progress redraws, and handles CRLF", () => {
    const tail = new OutputTail();
    tail.append("progress 10%\rprogress 50%\rprogress 100%\r\ndone\r\n");
    expect(tail.lines()).toBe("progress 100%\ndone");
  });

  it("is empty for no output", () => {
    expect(new OutputTail().lines()).toBe("");
  });
});

describe("OutputTail with one line longer than its window", () => {
  it("keeps the end of the line and never starts on half of a surrogate pair", () => {
    const tail = new OutputTail(5, 10);
    tail.append("x".repeat(6) + "😀😀😀😀😀");
    const kept = tail.lines();
    expect(kept.length).toBeLessThanOrEqual(5);
    expect(kept).toMatch(/^(?:😀)+$/u);
  });
});
