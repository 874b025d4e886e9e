import { promises as fs } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  describeFsError,
  ensureHomeFolder,
  removeStaleTempFiles,
  writeFileDurably,
} from "../../../electron/core/store/durable-file.js";
import { makeTempFolder, modeOf, tempFilesOf } from "./store-fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempFolder()));
afterEach(() => cleanup());

describe("writeFileDurably", () => {
  it("creates the file with mode 0600 and leaves no temp file behind", async () => {
    const target = path.join(dir, "jobs.json");
    await writeFileDurably(target, '{"a":1}');
    expect(await fs.readFile(target, "utf8")).toBe('{"a":1}');
    expect(await modeOf(target)).toBe(0o600);
    expect(await tempFilesOf(dir, "jobs.json")).toEqual([]);
  });

  it("replaces a file that had a looser mode with a 0600 one", async () => {
    const target = path.join(dir, "jobs.json");
    await fs.writeFile(target, "old", { mode: 0o644 });
    await fs.chmod(target, 0o644);
    await writeFileDurably(target, "new");
    expect(await fs.readFile(target, "utf8")).toBe("new");
    expect(await modeOf(target)).toBe(0o600);
  });

  it("throws the original error and keeps the old file when the rename cannot happen", async () => {
    // The target is a non-empty folder: open/write/fsync succeed, the rename fails (as root too).
    const target = path.join(dir, "jobs.json");
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, "keep"), "x");
    await expect(writeFileDurably(target, "new")).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(await fs.readFile(path.join(target, "keep"), "utf8")).toBe("x");
    expect(await tempFilesOf(dir, "jobs.json")).toEqual([]);
  });

  it("writes through a symbolic link to its target: the link stays a link, no temp file is left on either side", async () => {
    const synced = path.join(dir, "sync");
    const home = path.join(dir, "home");
    await fs.mkdir(synced);
    await fs.mkdir(home);
    await fs.writeFile(path.join(synced, "jobs.json"), "old");
    const link = path.join(home, "jobs.json");
    await fs.symlink(path.join("..", "sync", "jobs.json"), link);
    await writeFileDurably(link, "new");
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(synced, "jobs.json"), "utf8")).toBe("new");
    expect(await tempFilesOf(home, "jobs.json")).toEqual([]);
    expect(await tempFilesOf(synced, "jobs.json")).toEqual([]);
  });

  it("follows a chain of links, and creates the target of a link that points to nothing yet", async () => {
    const final = path.join(dir, "final.json");
    await fs.symlink(final, path.join(dir, "middle.json"));
    await fs.symlink(path.join(dir, "middle.json"), path.join(dir, "jobs.json"));
    await writeFileDurably(path.join(dir, "jobs.json"), "first");
    expect(await fs.readFile(final, "utf8")).toBe("first");
    expect((await fs.lstat(path.join(dir, "middle.json"))).isSymbolicLink()).toBe(true);
    expect((await fs.lstat(path.join(dir, "jobs.json"))).isSymbolicLink()).toBe(true);
  });

  it("throws ENOTDIR when the folder has been replaced by a file", async () => {
    const folder = path.join(dir, "home");
    await fs.writeFile(folder, "not a folder");
    await expect(writeFileDurably(path.join(folder, "jobs.json"), "x")).rejects.toMatchObject({ code: "ENOTDIR" });
  });
});

describe("removeStaleTempFiles", () => {
  it("removes the temp files beside a link's target too", async () => {
    const target = path.join(dir, "elsewhere", "store.json");
    await fs.mkdir(path.dirname(target));
    await fs.writeFile(target, "x");
    await fs.symlink(target, path.join(dir, "jobs.json"));
    await fs.writeFile(`${target}.tmp-999999-1`, "left by a crash");
    expect(await removeStaleTempFiles(path.join(dir, "jobs.json"))).toEqual(["store.json.tmp-999999-1"]);
    expect(await tempFilesOf(path.dirname(target), "store.json")).toEqual([]);
  });

  it("removes only the temp files of the given name", async () => {
    const target = path.join(dir, "jobs.json");
    await fs.writeFile(target, "{}");
    await fs.writeFile(path.join(dir, "jobs.json.tmp-123-1"), "partial");
    await fs.writeFile(path.join(dir, "jobs.json.tmp-456-9"), "");
    await fs.writeFile(path.join(dir, "history.jsonl.tmp-1-1"), "other store");
    await fs.writeFile(path.join(dir, "jobs.json.bak"), "user's backup");

    expect((await removeStaleTempFiles(target)).sort()).toEqual(["jobs.json.tmp-123-1", "jobs.json.tmp-456-9"]);
    expect((await fs.readdir(dir)).sort()).toEqual(["history.jsonl.tmp-1-1", "jobs.json", "jobs.json.bak"]);
  });

  it("returns nothing when the folder does not exist yet", async () => {
    expect(await removeStaleTempFiles(path.join(dir, "missing", "jobs.json"))).toEqual([]);
  });
});

describe("ensureHomeFolder", () => {
  it("creates a missing folder (and parents) with mode 0700", async () => {
    const home = path.join(dir, "config", "Sundial");
    await ensureHomeFolder(home);
    expect(await modeOf(home)).toBe(0o700);
  });

  it("refuses an existing folder that group or others can write, naming it and its mode, and leaves the mode alone", async () => {
    const home = path.join(dir, "Sundial");
    await fs.mkdir(home);
    await fs.chmod(home, 0o757);
    await expect(ensureHomeFolder(home)).rejects.toThrow(`${home} is writable by others (mode 0757); run chmod 700 ${home}`);
    expect(await modeOf(home)).toBe(0o757);
  });

  it("refuses a jobs.json that group can write, or a linked one whose folder others can write", async () => {
    const home = path.join(dir, "Sundial");
    await ensureHomeFolder(home);
    const jobs = path.join(home, "jobs.json");
    await fs.writeFile(jobs, "{}");
    await fs.chmod(jobs, 0o620);
    await expect(ensureHomeFolder(home, [jobs])).rejects.toThrow(`${jobs} is writable by group (mode 0620); run chmod 600 ${jobs}`);
    await fs.rm(jobs);
    const shared = path.join(dir, "shared");
    await fs.mkdir(shared);
    await fs.chmod(shared, 0o777);
    await fs.writeFile(path.join(shared, "jobs.json"), "{}", { mode: 0o600 });
    await fs.symlink(path.join(shared, "jobs.json"), jobs);
    await expect(ensureHomeFolder(home, [jobs])).rejects.toThrow(`${shared} is writable by group and others (mode 0777)`);
  });

  it("leaves an existing folder's mode alone", async () => {
    const home = path.join(dir, "Sundial");
    await fs.mkdir(home);
    await fs.chmod(home, 0o750);
    await ensureHomeFolder(home);
    expect(await modeOf(home)).toBe(0o750);
  });
});

describe("describeFsError", () => {
  it("puts common errors in words and keeps the code", () => {
    expect(describeFsError(Object.assign(new Error("ENOSPC: …"), { code: "ENOSPC" }))).toBe("no space left on device (ENOSPC)");
    expect(describeFsError(new Error("something else"))).toBe("something else");
  });
});
