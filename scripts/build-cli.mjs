#!/usr/bin/env node
// Bundles the `sundial` command (dist/electron/daemon/cli.js, from tsc) into dist/cli/: one
// file for the start-up path and one chunk per lazily loaded command, as CommonJS (a
// package.json there says so; bin/ has one too). Loading ~40 small ES modules one by one cost
// a CLI call about 2.5× a bare `node -e 0`; the ES module bundle 2.0×; CommonJS skips Node's
// ES module loader and the eager `fs.promises` of its `node:fs` facade (`npm run bench`
// measures it; docs/PERFORMANCE.md §8). `sundial daemon` runs from it too (its engine is one
// chunk): about 0.45 s of CPU to a ready engine instead of 0.8 s loading ~116 modules. The
// Electron app keeps running the engine from dist/electron/.
// Doc comments are left out of the bundle (licence and pure annotations stay): V8 keeps a
// script's whole source in memory for as long as it runs (functions are compiled lazily from
// it): the chunks a daemon loads were 1.30 MB, a quarter of it comments (0.98 MB without);
// a daemon starts ~2 MB smaller (docs/PERFORMANCE.md §9.2). The sources and dist/electron/
// keep them.
// Usage: node scripts/build-cli.mjs   (after tsc; `npm run build` runs both)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, "dist", "cli");

// cronstrue (~55 KB, ~25 M instructions to load) is required when a schedule first needs it:
// the common shapes have their words without it (shared/wording.ts commonCronWords), so a
// `sundial list` of daily and weekday jobs never loads it (docs/PERFORMANCE.md §8.2). It stays
// in node_modules (a production dependency), like node-notifier.
const LAZY_CRONSTRUE = "\0lazy-cronstrue";
const cronstrueOnFirstUse = {
  name: "cronstrue-on-first-use",
  resolveId(source, importer) {
    if (source !== "cronstrue") return null;
    return importer === LAZY_CRONSTRUE ? { id: "cronstrue", external: true } : LAZY_CRONSTRUE;
  },
  load(id) {
    if (id !== LAZY_CRONSTRUE) return null;
    return `let library;\nexport default { toString: (expression, options) => (library ??= require("cronstrue")).toString(expression, options) };\n`;
  },
};

/** Builds dist/cli/sundial.js; `root` is the checkout holding dist/electron (tests pass their own). */
export async function buildCli() {
  fs.rmSync(outDir, { recursive: true, force: true });
  await build({
    input: path.join(root, "dist", "electron", "daemon", "cli.js"),
    platform: "node",
    // Node's built-ins, and the packages with files of their own at run time (node-notifier
    // ships helper binaries), stay in node_modules.
    external: [/^node:/, "node-notifier", "shell-env", "electron"],
    plugins: [cronstrueOnFirstUse],
    logLevel: "warn",
    output: { dir: outDir, format: "cjs", entryFileNames: "sundial.js", chunkFileNames: "[name]-[hash].js", sourcemap: false, comments: { legal: true, annotation: true, jsdoc: false } },
  });
  fs.writeFileSync(path.join(outDir, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildCli();
