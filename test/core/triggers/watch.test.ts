import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { validateWatchSpec, watchablePathProblem } from "../../../electron/core/triggers/watch.js";
import { removeTempFolders, tempFolder } from "../../support/temp-folders.mjs";

afterEach(() => removeTempFolders());

describe("watch trigger validation", () => {
  it("accepts a readable folder or file", () => {
    const folder = tempFolder("watchable");
    fs.writeFileSync(path.join(folder, "file.txt"), "x");
    expect(watchablePathProblem(folder)).toBeNull();
    expect(watchablePathProblem(path.join(folder, "file.txt"))).toBeNull();
  });

  it("accepts a path that does not exist yet under a readable folder", () => {
    expect(watchablePathProblem(path.join(tempFolder("watchable"), "later", "inbox"))).toBeNull();
  });

  it("refuses an empty or relative path, naming what it got", () => {
    expect(watchablePathProblem("")).toBe("must not be empty");
    expect(watchablePathProblem("inbox/new")).toBe('must be an absolute path (got "inbox/new")');
  });

  it("refuses a path below a file, which can never exist", () => {
    const folder = tempFolder("watchable");
    fs.writeFileSync(path.join(folder, "file.txt"), "x");
    expect(watchablePathProblem(path.join(folder, "file.txt", "inside"))).toMatch(/^cannot exist: /);
  });

  it.skipIf(process.getuid?.() === 0)("refuses a folder it may not read", () => {
    const folder = path.join(tempFolder("watchable"), "closed");
    fs.mkdirSync(folder, { mode: 0o000 });
    expect(watchablePathProblem(folder)).toBe(`cannot be watched: ${folder} is not readable`);
  });

  it("names the trigger's path field", () => {
    expect(validateWatchSpec({ type: "watch", version: 1, path: "relative", debounceSeconds: 2 })).toEqual([{ field: "trigger.path", message: 'must be an absolute path (got "relative")' }]);
  });
});
