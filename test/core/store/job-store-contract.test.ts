/**
 * One contract, every JobStore: the scheduler tests run on MemoryJobStore, so it must
 * behave like the real one.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { JobStore } from "../../../electron/core/store/job-store.js";
import { JsonJobStore, MemoryJobStore } from "../../../electron/core/store/json-job-store.js";
import { StoreWriteError } from "../../../electron/shared/errors.js";
import { makeJob, makeTempFolder } from "./store-fixtures.js";

interface Subject {
  store: JobStore;
  /** A second store over the same backing data, as after a restart. */
  reopen(): JobStore;
  breakWrites(): Promise<void>;
  healWrites(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const implementations: { name: string; create(): Promise<Subject> }[] = [
  {
    name: "JsonJobStore",
    async create() {
      const { dir, cleanup } = await makeTempFolder();
      cleanups.push(cleanup);
      const home = path.join(dir, "home");
      const file = path.join(home, "jobs.json");
      return {
        store: new JsonJobStore(file),
        reopen: () => new JsonJobStore(file),
        async breakWrites() {
          await fs.rename(home, `${home}.away`);
          await fs.writeFile(home, "");
        },
        async healWrites() {
          await fs.rm(home);
          await fs.rename(`${home}.away`, home);
        },
      };
    },
  },
  {
    name: "MemoryJobStore",
    async create() {
      const store = new MemoryJobStore();
      return {
        store,
        reopen: () => store,
        breakWrites: async () => store.failWritesWith("no space left on device"),
        healWrites: async () => store.failWritesWith(null),
      };
    },
  },
];

describe.each(implementations)("$name (JobStore contract)", ({ create }) => {
  it("starts with default settings and no jobs", async () => {
    const { store } = await create();
    const data = await store.load();
    expect(data.version).toBe(2);
    expect(data.jobs).toEqual([]);
    expect(data.settings).toMatchObject({ notifications: true, allPaused: false, pausedUntil: null, history: { maxRunsPerJob: 200, maxAgeDays: 90 } });
  });

  it("refuses to hand out data before load", async () => {
    const { store } = await create();
    expect(() => store.data).toThrow(/load\(\)/);
  });

  it("applies an update in memory at once and keeps it after a restart", async () => {
    const subject = await create();
    await subject.store.load();
    const saved = subject.store.update((data) => void data.jobs.push(makeJob(1)));
    expect(subject.store.data.jobs).toHaveLength(1);
    await saved;
    const reloaded = await subject.reopen().load();
    expect(reloaded.jobs).toEqual([makeJob(1)]);
  });

  it("rejects a throwing change with its own error and keeps none of it", async () => {
    const { store } = await create();
    await store.load();
    await store.update((data) => void data.jobs.push(makeJob(1)));
    await expect(
      store.update((data) => {
        data.jobs.length = 0;
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(store.data.jobs).toEqual([makeJob(1)]);
  });

  it("rolls back and rejects with StoreWriteError when the write fails, then works again", async () => {
    const subject = await create();
    const { store } = subject;
    await store.load();
    await store.update((data) => void data.jobs.push(makeJob(1)));
    await subject.breakWrites();
    await expect(store.update((data) => void data.jobs.push(makeJob(2)))).rejects.toBeInstanceOf(StoreWriteError);
    expect(store.data.jobs.map((job) => job.id)).toEqual(["j_00000001"]);
    await subject.healWrites();
    await store.update((data) => void data.jobs.push(makeJob(3)));
    await store.flush();
    expect((await subject.reopen().load()).jobs.map((job) => job.id)).toEqual(["j_00000001", "j_00000003"]);
  });
});
