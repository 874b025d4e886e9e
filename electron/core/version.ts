/**
 * Sundial's version and install folder, from the package.json above this file (sources,
 * dist/ or app.asar alike). The one reader of it: the engine's `status`, the hosts' ping and
 * `sundial --version` all say the same version.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: { root: string | null; version: string } | null = null;

function findPackage(): { root: string | null; version: string } {
  if (cached) return cached;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "sundial" && manifest.version) return (cached = { root: folder, version: manifest.version });
    } catch {
      // Not here: keep walking up.
    }
    folder = path.dirname(folder);
  }
  return (cached = { root: null, version: "0.0.0" });
}

export function packageVersion(): string {
  return findPackage().version;
}

/**
 * The folder holding Sundial's package.json (the repository, or the installed app), or null
 * if it cannot be found. Files shipped beside the code (the built renderer) live under it.
 */
export function packageRoot(): string | null {
  return findPackage().root;
}
