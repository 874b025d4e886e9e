#!/usr/bin/env node
// `npm run screenshots`: refreshes docs/screenshots/*.png, the README's pictures of the web UI.
// It runs the browser journeys of test/e2e/create-and-run.test.ts and
// test/e2e/triggers-and-conditions.test.ts (the editor with several triggers) and
// test/e2e/insight.test.ts (the agenda) — a real `sundial daemon --ui`
// on a temp home with sample jobs, Chromium (/usr/bin/chromium) driven by playwright-core —
// with SUNDIAL_SCREENSHOTS_DIR pointing at docs/screenshots. `npm test` runs the same journey
// but keeps its screenshots in a temp folder, so tests never rewrite tracked files.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const folder = path.join(root, "docs", "screenshots");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");

const result = spawnSync(process.execPath, [vitest, "run", "test/e2e/create-and-run.test.ts", "test/e2e/triggers-and-conditions.test.ts", "test/e2e/insight.test.ts"], {
  cwd: root,
  env: { ...process.env, SUNDIAL_SCREENSHOTS_DIR: folder },
  stdio: "inherit",
});
if (result.status === 0) console.log(`Screenshots written to ${path.relative(root, folder)}/ (review them with git diff before committing).`);
process.exit(result.status ?? 1);
