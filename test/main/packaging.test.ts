import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import asar from "@electron/asar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allTrayIconFiles } from "../../electron/main/tray-icons.js";
import { ensureBuilt } from "../support/cli.js";
import { buildPreloadIntoDist } from "./preload-build.js";
import { tempFolder } from "../support/temp-folders.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const electronVersion = (JSON.parse(fs.readFileSync(path.join(root, "node_modules", "electron", "package.json"), "utf8")) as { version: string }).version;

/** @electron/fuses' marker; the wire after it is: version, length, then one byte per fuse. */
const FUSE_SENTINEL = "dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX";
const FUSE_NAMES = [
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

function readFuses(executable: string): Record<string, boolean> {
  const bytes = fs.readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  const length = bytes[at + 1]!;
  return Object.fromEntries(FUSE_NAMES.slice(0, length).map((name, index) => [name, bytes[at + 2 + index] === "1".charCodeAt(0)]));
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

function sizeOf(folder: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    total += entry.isDirectory() ? sizeOf(full) : fs.statSync(full).size;
  }
  return total;
}

/**
 * `electron-builder --linux dir` against the stub, offline: the proxy variables point at a
 * closed port, so any download attempt would fail the build. Then the produced app.asar is
 * opened and checked.
 */
describe.runIf(process.platform === "linux")("the packaged app (electron-builder --linux dir, offline, stub Electron)", () => {
  let work: string;
  let appOut: string;
  let files: string[];
  let unpacked: string;

  beforeAll(async () => {
    await ensureBuilt();
    buildPreloadIntoDist();
    if (!fs.existsSync(path.join(root, "renderer", "dist", "index.html"))) {
      execFileSync(path.join(root, "node_modules", ".bin", "vite"), ["build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "pipe" });
    }

    work = tempFolder("pack");
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
    appOut = path.join(work, "out", "linux-unpacked");
    const archive = path.join(appOut, "resources", "app.asar");
    files = asar.listPackage(archive, { isPack: false }).map((file) => file.split(path.sep).join("/"));
    unpacked = path.join(appOut, "resources", "app.asar.unpacked");
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `packaging figures: built in ${((Date.now() - started) / 1000).toFixed(1)} s; app.asar ${mb(fs.statSync(archive).size)} with ${files.length} entries; app.asar.unpacked ${mb(sizeOf(unpacked))}`,
    );
  }, 300_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("contains the main process, the bundled preload, the renderer and package.json", () => {
    for (const file of ["/package.json", "/dist/electron/main/index.js", "/dist/electron/main/ipc-main.js", "/dist/electron/preload/index.cjs", "/renderer/dist/index.html"]) {
      expect(files, file).toContain(file);
    }
    for (const folder of ["core", "shared", "daemon"]) expect(files.some((file) => file.startsWith(`/dist/electron/${folder}/`) && file.endsWith(".js")), folder).toBe(true);
    expect(files.some((file) => /^\/renderer\/dist\/assets\/.+\.js$/.test(file))).toBe(true);
    const manifest = JSON.parse(asar.extractFile(path.join(appOut, "resources", "app.asar"), "package.json").toString("utf8")) as { main: string; productName: string };
    expect(manifest.main).toBe("dist/electron/main/index.js");
    expect(manifest.productName).toBe("Sundial");
  });

  it("contains the tray icons the shell loads at run time", () => {
    for (const file of allTrayIconFiles()) expect(files, file).toContain(`/build/tray/${file}`);
  });

  it("contains no sources, tests, source maps or type declarations", () => {
    const offending = files.filter(
      (file) =>
        /\.(ts|mts|cts|map|svelte)$/.test(file) ||
        /^\/(electron|test|scripts|bench|docs|renderer\/src|release)\//.test(file) ||
        /^\/(tsconfig|vitest|eslint)/.test(file),
    );
    expect(offending).toEqual([]);
    // tsc's per-file ESM preload cannot run in a sandboxed renderer: only the bundle ships.
    expect(files.filter((file) => file.startsWith("/dist/electron/preload/"))).toEqual(["/dist/electron/preload/index.cjs"]);
  });

  it("ships production dependencies only", () => {
    const modules = new Set(files.filter((file) => file.startsWith("/node_modules/")).map((file) => file.split("/")[2]));
    for (const dependency of ["lowdb", "cron-parser", "zod", "node-notifier"]) expect(modules, dependency).toContain(dependency);
    for (const devDependency of ["electron", "electron-builder", "vitest", "vite", "svelte", "typescript", "eslint", "playwright-core"]) expect(modules, devDependency).not.toContain(devDependency);
  });

  it("unpacks node-notifier's helper programs and the notification icon next to the asar", () => {
    // Helpers run as processes, so each must be a real file. electron-builder leaves the
    // Windows .exe helpers (SnoreToast, notifu) out of a Linux build; a Windows build has them.
    for (const file of ["node_modules/node-notifier/vendor/mac.noindex/terminal-notifier.app/Contents/MacOS/terminal-notifier", "build/icons/256x256.png"]) {
      expect(fs.existsSync(path.join(unpacked, file)), file).toBe(true);
    }
    const { header } = asar.getRawHeader(path.join(appOut, "resources", "app.asar"));
    const packedVendorFiles: string[] = [];
    const walk = (node: { files?: Record<string, unknown>; unpacked?: boolean }, at: string) => {
      if (node.files) for (const [name, child] of Object.entries(node.files)) walk(child as typeof node, `${at}/${name}`);
      else if (at.startsWith("/node_modules/node-notifier/vendor/") && !node.unpacked) packedVendorFiles.push(at);
    };
    walk(header as never, "");
    expect(packedVendorFiles).toEqual([]);
  });

  it("flips Electron's fuses as electron-builder.yml says", () => {
    expect(readFuses(path.join(appOut, "sundial"))).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // Not configured: the stub's initial value stays.
      loadBrowserProcessSpecificV8Snapshot: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
