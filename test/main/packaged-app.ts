/**
 * The offline Linux `dir` build of the desktop app: electron-builder against a stub Electron
 * (no binary, no download). Shared by the packaging checks (packaging.test.ts) and the
 * desktop journey that runs the packaged main (test/desktop/journeys.test.ts).
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureBuilt } from "../support/cli.js";
import { buildPreloadIntoDist } from "./preload-build.js";

const root = path.resolve(import.meta.dirname, "..", "..");
export const electronVersion = (JSON.parse(fs.readFileSync(path.join(root, "node_modules", "electron", "package.json"), "utf8")) as { version: string }).version;

/** @electron/fuses' marker; the wire after it is: version, length, then one byte per fuse. */
export const FUSE_SENTINEL = "dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX";
export const FUSE_NAMES = [
  "runAsNode",
  "enableCookieEncryption",
  "enableNodeOptionsEnvironmentVariable",
  "enableNodeCliInspectArguments",
  "enableEmbeddedAsarIntegrityValidation",
  "onlyLoadAppFromAsar",
  "loadBrowserProcessSpecificV8Snapshot",
  "grantFileProtocolExtraPrivileges",
] as const;

/**
 * A stand-in for Electron's distribution: a shell script named `electron` (electron-builder
 * renames it to the app's executable), the licence files it moves, and a fuse wire with every
 * fuse on, so the test sees which ones the config flips. No binary, no download.
 */
function makeStubElectron(folder: string): void {
  fs.mkdirSync(path.join(folder, "resources"), { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL, "ascii"), Buffer.from([1, FUSE_NAMES.length]), Buffer.from("1".repeat(FUSE_NAMES.length), "ascii")]);
  const script = Buffer.concat([
    Buffer.from("#!/bin/sh\n# Stand-in for Electron's binary in packaging tests. Fuse wire: ", "utf8"),
    wire,
    Buffer.from('\necho "not a real Electron" >&2\nexit 1\n', "utf8"),
  ]);
  fs.writeFileSync(path.join(folder, "electron"), script, { mode: 0o755 });
  fs.writeFileSync(path.join(folder, "LICENSE"), "stub\n");
  fs.writeFileSync(path.join(folder, "LICENSES.chromium.html"), "<html></html>\n");
  fs.writeFileSync(path.join(folder, "version"), `${electronVersion}\n`);
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * Builds dist/, the preload bundle and the renderer if needed, then `electron-builder --linux
 * dir` into `work/out` offline: the proxy variables point at a closed port, so any download
 * attempt fails the build. Returns the unpacked app folder and the build time.
 */
export async function buildLinuxDir(work: string): Promise<{ appOut: string; seconds: number }> {
  await ensureBuilt();
  buildPreloadIntoDist();
  if (!fs.existsSync(path.join(root, "renderer", "dist", "index.html"))) {
    execFileSync(path.join(root, "node_modules", ".bin", "vite"), ["build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "pipe" });
  }
  const stub = path.join(work, "electron-dist");
  makeStubElectron(stub);
  const offline = { ...process.env, HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", https_proxy: "http://127.0.0.1:9", http_proxy: "http://127.0.0.1:9", NO_PROXY: "", no_proxy: "", ELECTRON_BUILDER_CACHE: path.join(work, "cache"), CSC_IDENTITY_AUTO_DISCOVERY: "false" };
  const started = Date.now();
  const result = await run(
    path.join(root, "node_modules", ".bin", "electron-builder"),
    ["--linux", "dir", `-c.electronDist=${stub}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${path.join(work, "out")}`, "--publish", "never"],
    offline,
  );
  if (result.code !== 0) throw new Error(`electron-builder failed (${result.code}):\n${result.output}`);
  return { appOut: path.join(work, "out", "linux-unpacked"), seconds: (Date.now() - started) / 1000 };
}
