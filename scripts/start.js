#!/usr/bin/env node
// `npm start`: build, then launch the desktop app with Electron. Where Electron's binary is
// not available (it is fetched on first use, and some machines have no internet), say so in
// one line and point at the headless daemon, which runs the same engine and UI.
// Arguments after `--` reach the app: `npm start -- --home /tmp/try-sundial`.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const mainScript = path.join(root, "dist", "electron", "main", "index.js");
const preloadBundle = path.join(root, "dist", "electron", "preload", "index.cjs");
const rendererPage = path.join(root, "renderer", "dist", "index.html");

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

/** Runs a build step in the foreground; stops `npm start` if it fails. */
function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const binary = electronBinary();
if (!binary) {
  console.error("Electron's binary is not installed here (it is downloaded on first use); run the headless engine and web UI instead: npm run daemon");
  process.exit(1);
}

// The main process and the engine (tsc), the sandboxed preload (one CommonJS bundle), and the
// renderer when it has not been built yet.
step("npm", ["run", "build"]);
if (!fs.existsSync(preloadBundle) || fs.statSync(preloadBundle).mtimeMs < fs.statSync(mainScript).mtimeMs) {
  step(process.execPath, [path.join(root, "scripts", "build-preload.mjs")]);
}
if (!fs.existsSync(rendererPage)) {
  step(process.execPath, [path.join(root, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"]);
}
if (!fs.existsSync(mainScript)) {
  console.error(`The build did not produce ${path.relative(root, mainScript)}; run the headless engine instead: npm run daemon`);
  process.exit(1);
}

// Electron is given the project folder, so package.json's `main` (dist/electron/main/index.js)
// runs and app.getAppPath() is the root the shell finds renderer/dist and build/tray under.
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
