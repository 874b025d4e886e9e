/**
 * `node --import ./register.mjs dist/electron/main/index.js …`: installs the resolve hook
 * that answers `electron` with the double (Node's module customisation hooks), so the built
 * main process runs unmodified. Test-only; never shipped.
 */
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
