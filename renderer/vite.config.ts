/**
 * Builds the renderer into renderer/dist for the Electron window and `sundial daemon --ui`.
 * Both serve it under a strict CSP (`default-src 'self'`), so the output must contain no
 * inline script, no inline style attribute and no data: URL.
 */
import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

const rendererRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: rendererRoot,
  // Relative asset URLs: Electron loads the page from file://, the daemon from http://.
  base: "./",
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Both would otherwise add code the CSP forbids: an inline polyfill, data: URLs.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    host: "127.0.0.1",
    // The renderer imports the shared contract from ../electron/shared.
    fs: { allow: [repoRoot] },
    // Dev only: `SUNDIAL_UI=http://127.0.0.1:PORT npx vite --config renderer/vite.config.ts`
    // forwards the API to a running `sundial daemon --ui`; open the dev page with its #token=….
    proxy: process.env.SUNDIAL_UI
      ? {
          "/api": {
            target: process.env.SUNDIAL_UI,
            changeOrigin: true,
            configure(proxy) {
              // The daemon refuses foreign Origins (403); the dev page's origin is Vite's own.
              proxy.on("proxyReq", (request) => request.removeHeader("origin"));
            },
          },
        }
      : undefined,
  },
});
