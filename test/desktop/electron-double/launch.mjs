/**
 * `node --import register.mjs launch.mjs APP_DIR [ARGS…]` does what `electron APP_DIR
 * [ARGS…]` does: reads APP_DIR/package.json and runs its `main`. process.argv is Electron's:
 * `[exe, APP_DIR, …ARGS]` for an app folder, `[exe, …ARGS]` for a packaged app (APP_DIR is
 * then `…/resources/app.asar`).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [appDir, ...args] = process.argv.slice(2);
if (!appDir) {
  process.stderr.write("usage: node --import register.mjs launch.mjs APP_DIR [ARGS…]\n");
  process.exit(2);
}
const root = path.resolve(appDir);
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
process.env.ELECTRON_DOUBLE_APP_PATH = root;
process.argv = path.basename(root) === "app.asar" ? [process.execPath, ...args] : [process.execPath, root, ...args];
await import(pathToFileURL(path.join(root, manifest.main ?? "index.js")).href);
