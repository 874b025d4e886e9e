import { promises as fs } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileRunLogs, omittedMarker } from "../../../electron/core/store/file-run-logs.js";
import { StoreWriteError } from "../../../electron/shared/errors.js";
import { makeTempFolder, modeOf } from "./store-fixtures.js";

let dir: string;
let logsFolder: string;
let logs: FileRunLogs;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempFolder());
  logsFolder = path.join(dir, "Sundial", "logs");
  logs = new FileRunLogs(logsFolder);
});
afterEach(() => cleanup());

/** Bytes 0..n-1 of a recognisable text ("0000 0001 0002 …"). */
function sampleOutput(length: number): Buffer {
  let text = "";
  for (let index = 0; text.length < length; index += 1) text += `${String(index).padStart(4, "0")} `;
  return Buffer.from(text.slice(0, length));
}

/** Feeds `bytes` in uneven chunks, as a pipe would. */
function feed(writer: { write(chunk: Buffer): void }, bytes: Buffer): void {
  const sizes = [1, 7, 64, 3, 500, 13];
  for (let offset = 0, step = 0; offset < bytes.length; step += 1) {
    const size = sizes[step % sizes.length] as number;
    writer.write(bytes.subarray(offset, offset + size));
    offset += size;
  }
}

describe("FileRunLogs", () => {
  it("writes a log under the cap completely, 0600 in a 0700 logs folder", async () => {
    const writer = logs.open("r_1", 1024);
    feed(writer, Buffer.from("backing up\nall good\n"));
    expect(await writer.close()).toEqual({ totalBytes: 20, truncated: false });
    expect(await logs.read("r_1")).toEqual({ text: "backing up\nall good\n", truncated: false });
    expect(logs.pathOf("r_1")).toBe(path.join(logsFolder, "r_1.log"));
    expect(await modeOf(logs.pathOf("r_1"))).toBe(0o600);
    expect(await modeOf(logsFolder)).toBe(0o700);
  });

  it("keeps exactly maxBytes of output without a marker", async () => {
    const output = sampleOutput(100);
    const writer = logs.open("r_1", 100);
    feed(writer, output);
    expect(await writer.close()).toEqual({ totalBytes: 100, truncated: false });
    expect(await fs.readFile(logs.pathOf("r_1"))).toEqual(output);
  });

  it("keeps the head and the tail with a marker saying how much was left out", async () => {
    const output = sampleOutput(10_000);
    const writer = logs.open("r_1", 100);
    feed(writer, output);
    expect(await writer.close()).toEqual({ totalBytes: 10_000, truncated: true });
    const expected = `${output.subarray(0, 50).toString()}\n[… 9900 bytes omitted …]\n${output.subarray(9_950).toString()}`;
    expect(await logs.read("r_1")).toEqual({ text: expected, truncated: true });
    expect(omittedMarker(9900)).toBe("\n[… 9900 bytes omitted …]\n");
  });

  it("keeps the tail right when one chunk is larger than the whole cap", async () => {
    const output = sampleOutput(5_000);
    const writer = logs.open("r_1", 100);
    writer.write(output);
    await writer.close();
    const text = (await logs.read("r_1"))?.text ?? "";
    expect(text.startsWith(output.subarray(0, 50).toString())).toBe(true);
    expect(text.endsWith(output.subarray(4_950).toString())).toBe(true);
  });

  it("lets a running run's log be read while it is written", async () => {
    const writer = logs.open("r_live", 1024);
    writer.write(Buffer.from("step 1 of 3\n"));
    expect(await logs.read("r_live")).toEqual({ text: "step 1 of 3\n", truncated: false });
    writer.write(Buffer.from("step 2 of 3\n"));
    expect((await logs.read("r_live"))?.text).toBe("step 1 of 3\nstep 2 of 3\n");
    await writer.close();
  });

  it("reads invalid UTF-8 with replacement characters instead of failing", async () => {
    const writer = logs.open("r_bytes", 1024);
    writer.write(Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe, 0x41, 0xe2, 0x82]));
    await writer.close();
    expect(await logs.read("r_bytes")).toEqual({ text: "ok \ufffd\ufffdA\ufffd", truncated: false });
  });

  it("keeps memory flat while 50 MB of output pours through a 1 MB cap", async () => {
    const writer = logs.open("r_flood", 1024 * 1024);
    const chunk = Buffer.alloc(64 * 1024);
    const before = process.memoryUsage();
    for (let index = 0; index < 800; index += 1) {
      chunk.fill(48 + (index % 10));
      writer.write(chunk);
    }
    const after = process.memoryUsage();
    expect(await writer.close()).toEqual({ totalBytes: 800 * 64 * 1024, truncated: true });
    const grownMb = (after.rss - before.rss) / 1024 / 1024;
    const buffersMb = (after.arrayBuffers - before.arrayBuffers) / 1024 / 1024;
    expect(grownMb).toBeLessThan(40);
    expect(buffersMb).toBeLessThan(4); // the 512 KB ring, not the 50 MB
    const stat = await fs.stat(logs.pathOf("r_flood"));
    expect(stat.size).toBeLessThan(1024 * 1024 + 100);
  });

  it("returns null for a run without a log and for anything that is not a run id", async () => {
    await fs.mkdir(logsFolder, { recursive: true });
    await fs.writeFile(path.join(dir, "Sundial", "secret.log"), "not yours");
    expect(await logs.read("r_none")).toBeNull();
    expect(await logs.read("../secret")).toBeNull();
    expect(() => logs.pathOf("../secret")).toThrow('Not a run id: "../secret"');
    expect(() => logs.open("a/b", 100)).toThrow(/Not a run id/);
  });

  it("removes logs, ignoring ones that do not exist", async () => {
    for (const id of ["r_1", "r_2"]) await logs.open(id, 100).close();
    await logs.remove(["r_1", "r_missing", "../escape"]);
    expect(await fs.readdir(logsFolder)).toEqual(["r_2.log"]);
  });

  it("lets the run go on when the log cannot be created, and reports it at close", async () => {
    await fs.mkdir(path.dirname(logsFolder), { recursive: true });
    await fs.writeFile(logsFolder, "a file where the folder should be");
    const writer = logs.open("r_1", 100);
    expect(() => writer.write(Buffer.from("output"))).not.toThrow();
    await expect(writer.close()).rejects.toSatisfy((error: unknown) => {
      expect(error).toBeInstanceOf(StoreWriteError);
      expect((error as StoreWriteError).problem).toBe("a part of the path is not a folder (ENOTDIR)");
      return true;
    });
  });
});
