#!/usr/bin/env node
// The `sundial` command. The CLI is TypeScript compiled to dist/ (`npm run build`).
let cli;
try {
  cli = await import("../dist/electron/daemon/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/electron/daemon/cli.js")) throw error;
  process.stderr.write("sundial is not built yet: run `npm run build` in the Sundial folder first.\n");
  process.exit(1);
}
process.exitCode = await cli.main(process.argv);
