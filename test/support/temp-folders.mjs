// The one way tests and benchmarks make temp folders (homes, scratch folders). Plain
// JavaScript (types in temp-folders.d.mts) so that bench/ can import it under plain node.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const made = [];

/**
 * A fresh private (0700) folder `sundial-<label>-XXXXXX` under the system temp folder.
 * `removeTempFolders()` deletes every one made so far in this process.
 */
export function tempFolder(label = "test") {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `sundial-${label}-`));
  fs.chmodSync(folder, 0o700);
  made.push(folder);
  return folder;
}

/** Deletes every folder `tempFolder` made in this process (what a test left inside too). */
export function removeTempFolders() {
  for (const folder of made.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
}
