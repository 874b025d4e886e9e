/**
 * Builds the preload bundle for tests that read dist/ (packaging, security scan). Built in a
 * temp folder and renamed into place, so test files running side by side never see a
 * half-written dist/electron/preload/index.cjs.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { tempFolder } from "../support/temp-folders.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");

export function buildPreloadIntoDist(): void {
  const folder = tempFolder("preload-build");
  try {
    execFileSync(process.execPath, [path.join(root, "scripts", "build-preload.mjs"), folder], { cwd: root, stdio: "pipe" });
    const target = path.join(root, "dist", "electron", "preload", "index.cjs");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const staged = `${target}.${process.pid}.tmp`;
    fs.copyFileSync(path.join(folder, "index.cjs"), staged);
    fs.renameSync(staged, target);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
