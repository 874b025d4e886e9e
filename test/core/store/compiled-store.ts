/**
 * Child-process tests run the store as compiled JavaScript (plain `node`, no TypeScript
 * loader). This builds dist/ when it is missing or older than the store's sources.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

/** Absolute path of a compiled module of electron/core/store. */
export function compiledStoreModule(name: string): string {
  return path.join(repo, "dist/electron/core/store", name);
}

export function fixturePath(name: string): string {
  return path.join(repo, "test/fixtures", name);
}

function newestSourceTime(): number {
  let newest = 0;
  for (const folder of ["electron/core/store", "electron/shared"]) {
    for (const name of readdirSync(path.join(repo, folder))) {
      if (name.endsWith(".ts")) newest = Math.max(newest, statSync(path.join(repo, folder, name)).mtimeMs);
    }
  }
  return newest;
}

export async function ensureCompiledStore(): Promise<void> {
  const probes = ["json-job-store.js", "jsonl-run-history.js"].map(compiledStoreModule);
  const fresh = probes.every((file) => existsSync(file) && statSync(file).mtimeMs >= newestSourceTime());
  if (fresh) return;
  // tsc still emits when unrelated files of the tree have type errors; only our output matters.
  await promisify(execFile)("npx", ["tsc", "-p", "tsconfig.json"], { cwd: repo }).catch(() => undefined);
  for (const file of probes) if (!existsSync(file)) throw new Error(`could not build ${file}`);
}
