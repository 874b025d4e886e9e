import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonJobStore } from "../../../electron/core/store/json-job-store.js";
import { StoreCorruptError, StoreWriteError } from "../../../electron/shared/errors.js";
import { SettingsSchema } from "../../../electron/shared/schemas.js";
import { makeJob, makeTempFolder, modeOf, runningAsRoot, tempFilesOf } from "./store-fixtures.js";

let dir: string;
let home: string;
let file: string;
let cleanup: () => Promise<void>;
let logged: string[];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempFolder());
  home = path.join(dir, "Sundial");
  file = path.join(home, "jobs.json");
  logged = [];
});
afterEach(() => cleanup());

function newStore(): JsonJobStore {
  return new JsonJobStore(file, (line) => logged.push(line));
}

function validFileText(jobCount = 2): string {
  return JSON.stringify({ version: 2, settings: SettingsSchema.parse({}), jobs: Array.from({ length: jobCount }, (_, index) => makeJob(index)) }, null, 2);
}

/** A job as schema version 1 stored it: one `trigger` where version 2 holds `triggers`. */
function v1Job(index: number): Record<string, unknown> {
  const { triggers, ...rest } = makeJob(index);
  return { ...rest, trigger: triggers[0] };
}

describe("JsonJobStore migrating a version 1 jobs.json (issue 15)", () => {
  it("turns each job's trigger into a list of one, keeps the original as jobs.json.v1.bak, and loses nothing", async () => {
    await fs.mkdir(home, { recursive: true, mode: 0o700 });
    const original = JSON.stringify({ version: 1, settings: { notifications: false }, jobs: [v1Job(1), v1Job(2)] });
    await fs.writeFile(file, original, { mode: 0o600 });

    const data = await newStore().load();

    expect(data.version).toBe(2);
    expect(data.settings.notifications).toBe(false);
    expect(data.jobs).toEqual([makeJob(1), makeJob(2)]);
    expect(await fs.readFile(`${file}.v1.bak`, "utf8")).toBe(original);
    expect(await modeOf(`${file}.v1.bak`)).toBe(0o600);
    // Written back as version 2: the next start reads it as it is, and keeps the backup.
    const onDisk = JSON.parse(await fs.readFile(file, "utf8")) as { version: number; jobs: unknown[] };
    expect(onDisk.version).toBe(2);
    expect(onDisk.jobs).toEqual(data.jobs);
    expect(await newStore().load()).toEqual(data);
    expect(await fs.readFile(`${file}.v1.bak`, "utf8")).toBe(original);
    expect(logged.join("\n")).toMatch(/migrated from schema version 1 to 2; the original is kept as .*jobs\.json\.v1\.bak/);
  });
});

describe("JsonJobStore creating and loading jobs.json", () => {
  it("creates jobs.json with the defaults (0600) and its home folder (0700) when they are missing", async () => {
    const store = newStore();
    const data = await store.load();
    expect(data).toEqual({ version: 2, settings: SettingsSchema.parse({}), jobs: [] });
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toEqual(data);
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(home)).toBe(0o700);
  });

  it("loads back exactly what it saved", async () => {
    const store = newStore();
    await store.load();
    await store.update((data) => {
      data.jobs.push(makeJob(1), makeJob(2, { triggers: [{ type: "interval", version: 1, everySeconds: 90, anchor: "2025-03-01T09:00:00.000Z" }] }));
      data.settings.notifications = false;
    });
    const reloaded = await newStore().load();
    expect(reloaded).toEqual(store.data);
    expect(reloaded.jobs.map((job) => job.id)).toEqual(["j_00000001", "j_00000002"]);
  });

  it("fills schema defaults for fields an older or hand-written file leaves out", async () => {
    await fs.mkdir(home, { recursive: true });
    const { retries: _retries, notify: _notify, ...sparse } = makeJob(7);
    await fs.writeFile(file, JSON.stringify({ version: 2, settings: {}, jobs: [sparse] }), { mode: 0o600 });
    const data = await newStore().load();
    expect(data.jobs[0]).toMatchObject({ retries: { count: 0, delaySeconds: 60, backoff: 1 } });
    // A job without notify follows the default-notify setting: left out, never pinned to today's default.
    expect(data.jobs[0]).not.toHaveProperty("notify");
    expect(data.settings).toMatchObject({ logMaxBytes: 1024 * 1024, defaultNotify: "failure", timeFormat: "system", theme: "system" });
  });

  it("tightens a jobs.json that others can read to 0600 and warns, without rewriting it", async () => {
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(file, validFileText());
    await fs.chmod(file, 0o644);
    const before = await fs.stat(file);
    await newStore().load();
    const after = await fs.stat(file);
    expect(after.mode & 0o777).toBe(0o600);
    expect(after.ino).toBe(before.ino);
    expect(await fs.readFile(file, "utf8")).toBe(validFileText());
    expect(logged.join("\n")).toMatch(/readable by other users \(mode 644\); changed it to 600/);
  });

  it("keeps the files it writes at 0600 even under a permissive umask", async () => {
    const previous = process.umask(0);
    try {
      const store = newStore();
      await store.load();
      await store.update((data) => void data.jobs.push(makeJob(1)));
      expect(await modeOf(file)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it("removes temp files left by a process killed mid-write", async () => {
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(file, validFileText());
    await fs.writeFile(`${file}.tmp-999999-1`, '{"version":2,"sett');
    await fs.writeFile(`${file}.tmp-999999-2`, "");
    await newStore().load();
    expect(await tempFilesOf(home, "jobs.json")).toEqual([]);
    expect(logged.join("\n")).toMatch(/removed 2 temp file\(s\)/);
  });
});

describe("JsonJobStore refusing an unusable jobs.json", () => {
  const validText = validFileText(5);
  const cases: { title: string; contents: string | Buffer; problem: RegExp }[] = [
    { title: "a truncated file", contents: validText.slice(0, 1203), problem: /^not valid JSON \(.+ at position 1203, line \d+ column \d+\)$/ },
    {
      title: "a file with a syntax error",
      contents: '{"version":2,\n "settings":{},\n "jobs":[x]}',
      problem: /^not valid JSON \(Unexpected token 'x' at position 39, line 3 column 10\)$/,
    },
    { title: "an empty (0-byte) file", contents: "", problem: /^the file is empty$/ },
    { title: "a file of blank lines", contents: "\n\n  \n", problem: /^the file is empty \(only white space\)$/ },
    { title: "a file with bytes that are not UTF-8", contents: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), problem: /^not valid UTF-8 text$/ },
    { title: "a top-level array", contents: "[1, 2, 3]", problem: /^the top level is an array, not an object/ },
    { title: "a top-level string", contents: '"jobs"', problem: /^the top level is a string, not an object/ },
    { title: "a top-level null", contents: "null", problem: /^the top level is null, not an object/ },
    {
      title: "a job that breaks the schema",
      contents: JSON.stringify({
        version: 2,
        settings: {},
        jobs: [makeJob(0), makeJob(1), makeJob(2), makeJob(3, { triggers: [{ type: "cron", version: 1, expression: "  " }] })],
      }),
      problem: /^it does not match the expected format: jobs\[3\]\.triggers\[0\]\.expression: must not be empty$/,
    },
    {
      title: "many schema problems (the first few are listed)",
      contents: JSON.stringify({ version: 2, settings: { logMaxBytes: -1 }, jobs: [{ id: "" }, { id: "x" }] }),
      problem: /^it does not match the expected format: settings\.logMaxBytes: .+; jobs\[0\]\.name: is required; .+ \(and \d+ more\)$/,
    },
    { title: "a missing jobs list", contents: '{"version":2,"settings":{}}', problem: /jobs: is required/ },
    {
      title: "a value of the wrong type",
      contents: JSON.stringify({ version: 2, settings: {}, jobs: [{ ...makeJob(0), name: 5 }] }),
      problem: /^it does not match the expected format: jobs\[0\]\.name: must be a string$/,
    },
    {
      title: "two jobs with the same id",
      contents: JSON.stringify({ version: 2, settings: {}, jobs: [makeJob(1), makeJob(2), makeJob(1)] }),
      problem: /^it does not match the expected format: jobs\[2\]\.id: "j_00000001" is also the id of jobs\[0\]$/,
    },
    {
      title: "a file written by a newer Sundial",
      contents: JSON.stringify({ version: 3, settings: {}, jobs: [], newThing: true }),
      problem: /^it was written by a newer Sundial \(file version 3; this Sundial reads version 2\)$/,
    },
  ];

  for (const { title, contents, problem } of cases) {
    it(`throws StoreCorruptError naming the file and the problem for ${title}, and leaves the file as it was`, async () => {
      await fs.mkdir(home, { recursive: true });
      await fs.writeFile(file, contents, { mode: 0o600 });
      const before = await fs.readFile(file);
      const statBefore = await fs.stat(file);
      const store = newStore();

      const error = await store.load().then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(StoreCorruptError);
      const corrupt = error as StoreCorruptError;
      expect(corrupt.name).toBe("StoreCorruptError");
      expect(corrupt.file).toBe(file);
      expect(corrupt.problem).toMatch(problem);
      expect(corrupt.message).toContain(file);

      expect(await fs.readFile(file)).toEqual(before);
      expect((await fs.stat(file)).ino).toBe(statBefore.ino);
      expect(await fs.readdir(home)).toEqual(["jobs.json"]);
      expect(() => store.data).toThrow(/load\(\)/);
    });
  }

  it("throws StoreCorruptError when jobs.json is a folder, and leaves it alone", async () => {
    await fs.mkdir(file, { recursive: true });
    await fs.writeFile(path.join(file, "inside"), "x");
    await expect(newStore().load()).rejects.toMatchObject({ name: "StoreCorruptError", file, problem: "it is a folder, not a file" });
    expect(await fs.readdir(file)).toEqual(["inside"]);
  });

  it.skipIf(runningAsRoot)("throws StoreCorruptError when jobs.json cannot be read (permission denied)", async () => {
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(file, validFileText(), { mode: 0o000 });
    await expect(newStore().load()).rejects.toMatchObject({ name: "StoreCorruptError", problem: "it cannot be read: permission denied (EACCES)" });
  });
});

describe("JsonJobStore writing", () => {
  it("coalesces 100 concurrent updates into a few writes and resolves each only once it is on disk", async () => {
    const store = newStore();
    await store.load();
    const writesBefore = store.writeCount;
    const seenOnDiskAtResolve: boolean[] = [];
    const updates = Array.from({ length: 100 }, (_, index) =>
      store
        .update((data) => void data.jobs.push(makeJob(index)))
        .then(() => {
          const onDisk = JSON.parse(readFileSync(file, "utf8")) as { jobs: { id: string }[] };
          seenOnDiskAtResolve.push(onDisk.jobs.some((job) => job.id === makeJob(index).id));
        }),
    );
    expect(store.data.jobs).toHaveLength(100); // applied in memory at once
    await Promise.all(updates);
    expect(seenOnDiskAtResolve).toEqual(Array.from({ length: 100 }, () => true));
    expect(store.writeCount - writesBefore).toBeLessThanOrEqual(2);
    expect((await newStore().load()).jobs).toHaveLength(100);
  });

  it("puts changes made while a write is in flight into the next write", async () => {
    const store = newStore();
    await store.load();
    const writesBefore = store.writeCount;
    const first = store.update((data) => void data.jobs.push(makeJob(1)));
    await Promise.resolve(); // the first write has started
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 20 }, (_, index) => store.update((data) => void data.jobs.push(makeJob(100 + index))));
    await Promise.all([first, ...later]);
    expect(store.writeCount - writesBefore).toBeLessThanOrEqual(3);
    expect((await newStore().load()).jobs).toHaveLength(21);
  });

  it("flush waits for every pending write", async () => {
    const store = newStore();
    await store.load();
    void store.update((data) => void data.jobs.push(makeJob(1)));
    void store.update((data) => void data.jobs.push(makeJob(2)));
    await store.flush();
    expect((JSON.parse(await fs.readFile(file, "utf8")) as { jobs: unknown[] }).jobs).toHaveLength(2);
  });

  it("rejects a change that throws and leaves no trace of it, while other queued changes still land", async () => {
    const store = newStore();
    await store.load();
    const kept = store.update((data) => void data.jobs.push(makeJob(1)));
    const failing = store.update((data) => {
      data.jobs.push(makeJob(2));
      data.settings.notifications = false;
      throw new Error("job not found");
    });
    await expect(failing).rejects.toThrow("job not found");
    await kept;
    expect(store.data.jobs.map((job) => job.id)).toEqual(["j_00000001"]);
    expect(store.data.settings.notifications).toBe(true);
    expect((await newStore().load()).jobs.map((job) => job.id)).toEqual(["j_00000001"]);
  });

  it("rejects with StoreWriteError when the folder is gone, keeps the previous file, rolls memory back and recovers", async () => {
    const store = newStore();
    await store.load();
    await store.update((data) => void data.jobs.push(makeJob(1)));
    const durable = await fs.readFile(file);

    // Works as root too: the home folder is swapped for a plain file, so the temp file cannot be created.
    const moved = path.join(dir, "moved-home");
    await fs.rename(home, moved);
    await fs.writeFile(home, "not a folder any more");

    const inBatch = store.update((data) => void data.jobs.push(makeJob(2)));
    const alsoInBatch = store.update((data) => {
      data.settings.allPaused = true;
    });
    for (const update of [inBatch, alsoInBatch]) {
      await expect(update).rejects.toSatisfy((error: unknown) => {
        expect(error).toBeInstanceOf(StoreWriteError);
        expect(error).toMatchObject({ name: "StoreWriteError", file, problem: "a part of the path is not a folder (ENOTDIR)" });
        return true;
      });
    }
    expect(store.data.jobs.map((job) => job.id)).toEqual(["j_00000001"]);
    expect(store.data.settings.allPaused).toBe(false);
    expect(await fs.readFile(path.join(moved, "jobs.json"))).toEqual(durable);
    expect(logged.join("\n")).toMatch(/Could not save .*jobs\.json: a part of the path is not a folder/);

    await fs.rm(home);
    await fs.rename(moved, home);
    await store.update((data) => void data.jobs.push(makeJob(3)));
    expect((await newStore().load()).jobs.map((job) => job.id)).toEqual(["j_00000001", "j_00000003"]);
    expect(await tempFilesOf(home, "jobs.json")).toEqual([]);
  });

  it("rejects updates queued behind a failed write too, and writes later updates normally", async () => {
    const store = newStore();
    await store.load();
    const moved = path.join(dir, "moved-home");
    await fs.rename(home, moved);
    await fs.writeFile(home, "not a folder");

    const inFlight = store.update((data) => void data.jobs.push(makeJob(1)));
    await new Promise((resolve) => setImmediate(resolve));
    const queued = store.update((data) => void data.jobs.push(makeJob(2)));
    await expect(inFlight).rejects.toBeInstanceOf(StoreWriteError);
    await expect(queued).rejects.toBeInstanceOf(StoreWriteError);
    expect(store.data.jobs).toEqual([]);

    await fs.rm(home);
    await fs.rename(moved, home);
    await store.update((data) => void data.jobs.push(makeJob(3)));
    expect((await newStore().load()).jobs.map((job) => job.id)).toEqual(["j_00000003"]);
  });
});
