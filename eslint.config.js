// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "release/", "node_modules/", "renderer/dist/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", Buffer: "readonly", URL: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Raw IPC lives in exactly one file per side (GitHub Desktop's rule): everything else goes
    // through their typed wrappers, so every handler stays sender-checked and contract-shaped.
    files: ["electron/**/*.ts", "renderer/**/*.ts", "test/**/*.ts"],
    ignores: ["electron/main/ipc-main.ts", "electron/preload/index.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "electron",
              importNames: ["ipcMain", "ipcRenderer"],
              message: "Only electron/main/ipc-main.ts may use ipcMain and only electron/preload/index.ts ipcRenderer.",
            },
          ],
        },
      ],
    },
  },
  {
    // CommonJS helpers loaded with `node -r` (e.g. the security scanner's require hook), and
    // the `sundial` command (bin/package.json makes bin/ CommonJS: it loads the CJS bundle).
    files: ["**/*.cjs", "bin/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  // Layers (docs/ARCHITECTURE.md): arrows point down only, type imports included.
  //   main → daemon → core → shared;   renderer → shared;   preload → shared
  // The engine runs in plain Node (daemon, CLI, tests): it never loads Electron.
  layer("electron/shared/**", ["core", "daemon", "main", "preload", "renderer"], "electron/shared is the contract every side bundles: it imports nothing of the other layers", {
    node: true,
  }),
  layer("electron/core/**", ["daemon", "main", "preload", "renderer"], "electron/core (the engine) imports only electron/shared"),
  layer("electron/daemon/**", ["main", "preload", "renderer"], "electron/daemon imports electron/core and electron/shared only"),
  // The preload runs in the page's isolated world: Electron's renderer-side modules and the
  // contract, nothing of the engine or the main process.
  layer("electron/preload/**", ["core", "daemon", "main", "renderer"], "electron/preload imports only electron/shared and Electron's renderer-side modules", {
    electronNames: ["ipcMain", "ipcRenderer"],
  }),
  layer("electron/preload/index.ts", ["core", "daemon", "main", "renderer"], "electron/preload imports only electron/shared and Electron's renderer-side modules", {
    electronNames: ["ipcMain"],
  }),
  layer("renderer/src/**", ["core", "daemon", "main", "preload"], "the renderer imports only electron/shared (it runs in a browser page)", { node: true }),
);

/**
 * Forbids a layer's files to import the named sibling layers of electron/ (and Electron
 * itself, or with `electronNames` only those of its exports; with `node`, Node's built-ins
 * too). no-restricted-imports also covers `import type`.
 */
function layer(files, forbidden, message, { node = false, electronNames = undefined } = {}) {
  const electron = electronNames
    ? { name: "electron", importNames: electronNames, message: "Only electron/main/ipc-main.ts may use ipcMain and only electron/preload/index.ts ipcRenderer." }
    : { name: "electron", message: `${message}: never import electron here.` };
  return {
    files: [files],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [electron],
          patterns: [
            { group: ["electron/*"], message: `${message}: never import electron here.` },
            { group: forbidden.flatMap((name) => [`**/${name}/*`, `**/electron/${name}/*`]), message },
            ...(node ? [{ group: ["node:*"], message: `${message}: no Node built-ins.` }] : []),
          ],
        },
      ],
    },
  };
}
