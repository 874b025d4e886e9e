import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { connectionCap, openFileLimit } from "../../electron/daemon/web-host.js";
import { tempFolder } from "../support/temp-folders.mjs";

describe("the web UI's connection cap", () => {
  test("reads the soft descriptor limit from a /proc limits file", () => {
    const file = path.join(tempFolder("limits"), "limits");
    fs.writeFileSync(file, "Limit                     Soft Limit           Hard Limit           Units\nMax open files            256                  4096                 files\n");
    expect(openFileLimit(file)).toBe(256);
    fs.writeFileSync(file, "Max open files            unlimited            unlimited            files\n");
    expect(openFileLimit(file)).toBe(Number.MAX_SAFE_INTEGER);
    expect(openFileLimit(path.join(path.dirname(file), "missing"))).toBeNull();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  test("is 64 at most and an eighth of the limit below that, leaving the rest to runs", () => {
    expect(connectionCap(1024)).toBe(64);
    expect(connectionCap(256)).toBe(32);
    expect(connectionCap(20)).toBe(8);
    expect(connectionCap(null)).toBe(32);
  });
});
