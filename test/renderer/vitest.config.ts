/**
 * Vitest project for the renderer: compiles .svelte components and .svelte.ts runes modules
 * and resolves Svelte's browser build (jsdom). Runs alone
 * (`npx vitest run --config test/renderer/vitest.config.ts`) or as a project of the root config.
 */
import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Its own folder: a project listed in the root config is rooted where its file lives.
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), svelteTesting()],
  test: {
    name: "renderer",
    include: ["**/*.test.ts"],
    environment: "jsdom",
    testTimeout: 30_000,
  },
});
