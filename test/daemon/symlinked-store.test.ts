/**
 * jobs.json may be a symbolic link (into a sync folder, a dotfiles repository): writes go
 * through to the target, and the link is never replaced by a regular file (issue 10, item 12).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

test.runIf(process.platform !== "win32")("a symlinked jobs.json stays a link after sundial add, and its target holds the new job", async () => {
  const home = tempHome("linked");
  const synced = tempHome("sync-folder");
  const target = path.join(synced, "sundial-jobs.json");
  fs.writeFileSync(target, JSON.stringify({ version: 2, settings: {}, jobs: [] }), { mode: 0o600 });
  const link = homePaths(home).jobs;
  fs.symlinkSync(target, link);

  const daemon = await startDaemon(home);
  const added = await sundial(["add", "synced-job", "--every", "1h", "--", "true"], { home });
  expect(added.code, added.stderr).toBe(0);
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(fs.readlinkSync(link)).toBe(target);
  const stored = JSON.parse(fs.readFileSync(target, "utf8")) as { jobs: { name: string }[] };
  expect(stored.jobs.map((job) => job.name)).toEqual(["synced-job"]);
  // No temp file is left in either folder.
  expect(fs.readdirSync(synced).filter((name) => name.includes(".tmp-"))).toEqual([]);
  expect(await daemon.stop()).toBe(0);

  // Still a link after a clean stop, and a restart reads the job through it.
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  const again = await startDaemon(home);
  expect((await sundialJson<{ name: string }[]>(["list"], { home })).map((job) => job.name)).toEqual(["synced-job"]);
  expect(await again.stop()).toBe(0);
}, 90_000);
