import os from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Two projects: everything in plain Node (engine, daemon, shell, e2e, faults), and the
// renderer's tests, which need the Svelte compiler and jsdom (test/renderer/vitest.config.ts).
/**
 * The journal's file-size-limit test on a real daemon: its oversized add timed out with no
 * answer in two of three runs beside other files on a loaded 2-core machine, and passes alone.
 */
const RUN_ALONE = ["test/faults/jobs-journal.test.ts"];

/**
 * The files that take longest (25–80 s each on the 2-core machine, most of it waiting on
 * real clocks and processes). They start first, so that none of them is what the run waits
 * for at its end: on a fresh clone vitest has no timings cached and orders files by size,
 * which once started the longest file 195 s into a 280 s run.
 */
const LONGEST_FIRST = [
  "test/faults/start-on-the-second.test.ts",
  "test/faults/clock-jumps.test.ts",
  "test/desktop/journeys.test.ts",
  "test/daemon/alerts.test.ts",
  "test/daemon/web-host-flood.test.ts",
  "test/daemon/conditions.test.ts",
  "test/faults/kill-during-writes.test.ts",
  "test/daemon/channels.test.ts",
  "test/daemon/run-control.test.ts",
  "test/daemon/job-fields.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((known) => file.moduleId.endsWith(known));
      return index < 0 ? LONGEST_FIRST.length : index;
    };
    // Array#sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    // Vitest's default is one worker fewer than the cores: on a 2-core machine a single
    // worker, so the whole run went one file at a time (7–11 min). Most files wait on real
    // daemons, child processes and the clock far more than they compute, so more files than
    // cores run side by side (every file has its own temp homes, ports and run ids). With 182
    // files, cores + 1 kept the CPU at ~155 % of 200 % (npm test 5:04–5:25 on the 2-core
    // machine); cores + 2 filled it (4:51). Twice the cores on a machine already busy with
    // other work made daemons miss their start-up time.
    maxWorkers: os.availableParallelism() + 2,
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
