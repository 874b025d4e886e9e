import os from "node:os";
import { defineConfig } from "vitest/config";

// Two projects: everything in plain Node (engine, daemon, shell, e2e, faults), and the
// renderer's tests, which need the Svelte compiler and jsdom (test/renderer/vitest.config.ts).
/**
 * The journal's file-size-limit test on a real daemon: its oversized add timed out with no
 * answer in two of three runs beside other files on a loaded 2-core machine, and passes alone.
 */
const RUN_ALONE = ["test/faults/jobs-journal.test.ts"];

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: on a 2-core machine a single
    // worker, so the whole run went one file at a time (7–11 min). Most files wait on real
    // daemons, child processes and the clock far more than they compute, so one more file
    // than the cores runs side by side (every file has its own temp homes, ports and run
    // ids). Twice the cores overloaded a busy 2-core machine: daemons missed their start-up time.
    maxWorkers: os.availableParallelism() + 1,
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/renderer/**", "**/node_modules/**", ...RUN_ALONE],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          pool: "forks",
          globalSetup: ["test/support/build-before-tests.ts"],
        },
      },
      {
        // After the rest, one file at a time: files that fail when the machine is busy.
        test: {
          name: "alone",
          include: RUN_ALONE,
          testTimeout: 30_000,
          hookTimeout: 30_000,
          pool: "forks",
          maxWorkers: 1,
          globalSetup: ["test/support/build-before-tests.ts"],
          sequence: { groupOrder: 1 },
        },
      },
      "test/renderer/vitest.config.ts",
    ],
  },
});
