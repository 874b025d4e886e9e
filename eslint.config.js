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
    // CommonJS helpers loaded with `node -r` (e.g. the security scanner's require hook).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The engine runs in plain Node (daemon, CLI, tests): it must never load Electron.
    files: ["electron/core/**", "electron/shared/**", "electron/daemon/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "electron", message: "electron/core, shared and daemon run in plain Node: never import electron here." }],
          patterns: [{ group: ["electron/*"], message: "electron/core must not import Electron." }],
        },
      ],
    },
  },
);
