#!/usr/bin/env node
// Bundles electron/preload/index.ts into dist/electron/preload/index.cjs. A preload in a
// sandboxed renderer runs as one CommonJS script that can `require("electron")` and nothing
// else (no relative imports, no ESM), so the contract's method list must be inlined: tsc's
// per-file ESM output cannot be used there. Vite (already the renderer's bundler) does it.
// Usage: node scripts/build-preload.mjs [OUT_DIR]   (default dist/electron/preload; tests pass a temp folder)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.resolve(process.argv[2] ?? path.join(root, "dist", "electron", "preload"));

await build({
  root,
  configFile: false,
  logLevel: "warn",
  build: {
    outDir,
    // tsc writes the rest of dist/electron/preload; keep it.
    emptyOutDir: false,
    // Chromium of Electron 42; the output is read by a trusted engine, not a browser zoo.
    target: "chrome140",
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: path.join(root, "electron", "preload", "index.ts"),
      formats: ["cjs"],
      fileName: () => "index.cjs",
    },
    rollupOptions: { external: ["electron"] },
  },
});
