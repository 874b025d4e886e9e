import { defineConfig } from "vitest/config";

// Two projects: everything in plain Node (engine, daemon, shell, e2e, faults), and the
// renderer's tests, which need the Svelte compiler and jsdom (test/renderer/vitest.config.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/renderer/**", "**/node_modules/**"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          pool: "forks",
        },
      },
      "test/renderer/vitest.config.ts",
    ],
  },
});
