#!/usr/bin/env node
// `npm start`: build, then launch the desktop app with Electron. Where Electron's binary is
// not available (it is fetched on first use, and some machines have no internet), say so in
// one line and point at the headless daemon, which runs the same engine and UI.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const folder = path.dirname(require.resolve("electron/package.json"));
    const pathFile = path.join(folder, "path.txt");
    if (!fs.existsSync(pathFile)) return null;
    const binary = path.join(folder, "dist", fs.readFileSync(pathFile, "utf8").trim());
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.error("Electron's binary is not installed here (it is downloaded on first use); run the headless engine and web UI instead: npm run daemon");
  process.exit(1);
}
if (!fs.existsSync(path.join(root, "electron", "main", "index.ts"))) {
  console.error("The desktop shell is not built yet in this version; run the headless engine instead: npm run daemon");
  process.exit(1);
}
const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawn(binary, [root], { stdio: "inherit" });
child.on("exit", (code) => process.exit(code ?? 0));
