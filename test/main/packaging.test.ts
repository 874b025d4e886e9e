import fs from "node:fs";
import path from "node:path";
import asar from "@electron/asar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allTrayIconFiles } from "../../electron/main/tray-icons.js";
import { FUSE_NAMES, FUSE_SENTINEL, buildLinuxDir } from "./packaged-app.js";
import { tempFolder } from "../support/temp-folders.mjs";

function readFuses(executable: string): Record<string, boolean> {
  const bytes = fs.readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  const length = bytes[at + 1]!;
  return Object.fromEntries(FUSE_NAMES.slice(0, length).map((name, index) => [name, bytes[at + 2 + index] === "1".charCodeAt(0)]));
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
    work = tempFolder("pack");
    const built = await buildLinuxDir(work);
    appOut = built.appOut;
    const archive = path.join(appOut, "resources", "app.asar");
    files = asar.listPackage(archive, { isPack: false }).map((file) => file.split(path.sep).join("/"));
    unpacked = path.join(appOut, "resources", "app.asar.unpacked");
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `packaging figures: built in ${built.seconds.toFixed(1)} s; app.asar ${mb(fs.statSync(archive).size)} with ${files.length} entries; app.asar.unpacked ${mb(sizeOf(unpacked))}`,
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
