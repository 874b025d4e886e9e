/**
 * Vitest global setup: compiles dist/ (tsc and the CLI bundle) once, before any test file
 * starts. Building from inside a test file while other files already run daemons from
 * dist/ rewrote modules under a starting daemon ("does not provide an export named
 * EventBus") and emptied dist/cli/ under a running CLI; nothing rebuilds once files run.
 */
import { ensureBuilt } from "./cli.js";

export default async function buildBeforeTests(): Promise<void> {
  await ensureBuilt();
  // The test processes are forked after this and inherit it: they use this build even if a
  // source is edited while they run, instead of rebuilding under the others' feet.
  process.env.BUILT_FOR_SUNDIAL_TESTS = "1";
}
