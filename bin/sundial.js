#!/usr/bin/env node
// The `sundial` command. The CLI is TypeScript compiled to dist/ (`npm run build`) and
// bundled into dist/cli/ as CommonJS (bin/package.json and dist/cli/package.json say so),
// so a command starts about as fast as Node itself: no ES module loader, no module-by-module
// resolution. `sundial daemon` runs from the same bundle (its engine is a lazily loaded
// chunk). The Electron app runs the engine from dist/electron/ as tsc wrote it.
"use strict";
const entry = "../dist/cli/sundial.js";
let cli;
try {
  cli = require(entry);
} catch (error) {
  if (error?.code !== "MODULE_NOT_FOUND" || !String(error.message).includes(entry.slice(3))) throw error;
  process.stderr.write("sundial is not built yet: run `npm run build` in the Sundial folder first.\n");
  process.exit(1);
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
