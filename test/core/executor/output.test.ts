import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { ChildProcessExecutor } from "../../../electron/core/executor/child-process-executor.js";
import { definedEnv, fixtureCommand, startCollecting } from "../../support/executor-harness.js";

const executor = new ChildProcessExecutor({ log: () => {} });
const MiB = 1024 * 1024;
/** The line exec-flood.sh repeats. */
const FLOOD_LINE = "Sundial flood line 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n";

describe("command output", () => {
  it("streams 100 MiB of stdout to onOutputBytes byte for byte while memory stays bounded", async () => {
    const size = 100 * MiB;
    globalThis.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    let bytes = 0;
    let chunks = 0;
    let lastByte = -1;
    let textChars = 0;
    const started = performance.now();
    const result = await executor.start({
      runId: "run-flood",
      command: fixtureCommand("exec-flood.sh", String(size)),
      cwd: process.cwd(),
      env: definedEnv(),
      timeoutMs: 60_000,
      killGraceMs: 1_000,
      onOutputBytes: (_stream, chunk) => {
        bytes += chunk.length;
        lastByte = chunk[chunk.length - 1] ?? lastByte;
        // Sampling memory on every chunk would dominate the run; every 64th is plenty.
        if (++chunks % 64 === 0) {
          const usage = process.memoryUsage();
          peakRss = Math.max(peakRss, usage.rss);
          peakHeap = Math.max(peakHeap, usage.heapUsed);
        }
      },
      onOutputText: (_stream, text) => {
        textChars += text.length;
      },
    }).done;
    const seconds = (performance.now() - started) / 1000;
    const rssGrowth = (peakRss - before.rss) / MiB;
    const heapGrowth = (peakHeap - before.heapUsed) / MiB;
    console.info(
      `flood: ${size / MiB} MiB in ${seconds.toFixed(2)} s (${(size / MiB / seconds).toFixed(0)} MiB/s, ${chunks} chunks); ` +
        `peak RSS +${rssGrowth.toFixed(1)} MiB, peak heap +${heapGrowth.toFixed(1)} MiB`,
    );
    expect(result).toMatchObject({ outcome: "exited", exitCode: 0 });
    expect(bytes).toBe(size);
    expect(textChars).toBe(size); // ASCII: one character per byte
    // The stream is `yes LINE | head -c size`: the last byte is known, so the order survived too.
    expect(lastByte).toBe(FLOOD_LINE.charCodeAt((size - 1) % FLOOD_LINE.length));
    expect(rssGrowth).toBeLessThan(60);
    expect(heapGrowth).toBeLessThan(60);
    expect(result.tail.split("\n").length).toBeLessThanOrEqual(10);
    expect(result.tail).toContain("Sundial flood line");
  });

  it("keeps a multi-byte character that is split across two writes intact", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-split-utf8.sh") });
    const result = await run.done;
    // The fixture sleeps between writes, so the bytes arrive in three chunks, each ending mid-character.
    expect(run.chunks.length).toBeGreaterThanOrEqual(3);
    expect(run.chunks[0]?.bytes).toEqual(Buffer.from([0xe2, 0x82]));
    expect(run.text.stdout).toBe("€ and 😀 done\n");
    expect(result.tail).toBe("€ and 😀 done");
    expect(run.text.stdout).not.toContain("\uFFFD");
  });

  it("decodes bytes that are not UTF-8 to U+FFFD and passes the raw bytes through untouched", async () => {
    const run = startCollecting(executor, { command: fixtureCommand("exec-invalid-utf8.sh") });
    const result = await run.done;
    expect(result).toMatchObject({ outcome: "exited", exitCode: 0 });
    expect(Buffer.concat(run.chunks.map((chunk) => chunk.bytes))).toEqual(
      Buffer.concat([Buffer.from("bad "), Buffer.from([0xff, 0xfe]), Buffer.from(" bytes "), Buffer.from([0xc0]), Buffer.from(" here\ncut "), Buffer.from([0xe2, 0x82])]),
    );
    expect(run.text.stdout).toBe("bad \uFFFD\uFFFD bytes \uFFFD here\ncut \uFFFD");
    expect(result.tail).toBe("bad \uFFFD\uFFFD bytes \uFFFD here\ncut \uFFFD");
  });

  it("keeps only the last ten lines as the tail", async () => {
    const result = await startCollecting(executor, { command: "i=1; while [ $i -le 30 ]; do echo line $i; i=$((i+1)); done" }).done;
    expect(result.tail.split("\n")).toEqual(Array.from({ length: 10 }, (_, i) => `line ${21 + i}`));
  });
});
