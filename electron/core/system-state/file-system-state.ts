/**
 * SystemState read from a JSON file, `{ "onAcPower": false, "online": true }` (a missing key
 * or an unreadable file: unknown). For tests of the real daemon: `SUNDIAL_SYSTEM_STATE_FILE`
 * names the file and `openEngine` uses this instead of the machine's state, so a test can
 * unplug the charger by rewriting a file. Not a user feature.
 */
import fs from "node:fs";
import type { SystemState } from "./system-state.js";

/** The variable a test sets; read by openEngine only. */
export const SYSTEM_STATE_FILE_VARIABLE = "SUNDIAL_SYSTEM_STATE_FILE";

/** How often the file is looked at while someone listens. */
const WATCH_MS = 100;

export class FileSystemState implements SystemState {
  readonly #listeners = new Set<() => void>();
  #poll: NodeJS.Timeout | null = null;
  /** The file's text when last looked at, taken when the first listener came (not later: a
   * change written right after `onChange` must still be told). */
  #lastText = "";

  constructor(readonly file: string) {}

  onAcPower(): boolean | null {
    const value = this.#read().onAcPower;
    return typeof value === "boolean" ? value : null;
  }

  isOnline(): boolean | null {
    const value = this.#read().online;
    return typeof value === "boolean" ? value : null;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (this.#poll === null) {
      this.#lastText = this.#text();
      this.#poll = setInterval(this.#look, WATCH_MS);
      this.#poll.unref();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#poll !== null) {
        clearInterval(this.#poll);
        this.#poll = null;
      }
    };
  }

  #look = (): void => {
    const text = this.#text();
    if (text === this.#lastText) return;
    this.#lastText = text;
    for (const listener of [...this.#listeners]) listener();
  };

  #text(): string {
    try {
      return fs.readFileSync(this.file, "utf8");
    } catch {
      return "";
    }
  }

  #read(): { onAcPower?: unknown; online?: unknown } {
    try {
      const parsed: unknown = JSON.parse(this.#text());
      return typeof parsed === "object" && parsed !== null ? parsed : {};
    } catch {
      return {};
    }
  }
}
