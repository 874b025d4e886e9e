/**
 * A fresh private (0700) folder `sundial-<label>-XXXXXX` under the system temp folder.
 * `removeTempFolders()` deletes every one made so far in this process.
 */
export function tempFolder(label?: string): string;

/** Deletes every folder `tempFolder` made in this process (what a test left inside too). */
export function removeTempFolders(): void;
