/** Sundial's version, from the package.json above this file (sources, dist/ or app.asar alike). */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | null = null;

export function packageVersion(): string {
  if (cached) return cached;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "sundial" && manifest.version) return (cached = manifest.version);
    } catch {
      // Not here: keep walking up.
    }
    folder = path.dirname(folder);
  }
  return (cached = "0.0.0");
}
