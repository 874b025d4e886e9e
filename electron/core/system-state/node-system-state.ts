/**
 * SystemState in plain Node, for the daemon. Power: Linux `/sys/class/power_supply/<name>/`
 * (a `Mains` supply's `online`; a machine with no `Battery` supply is on AC), macOS `pmset -g
 * batt` ("AC Power" / "Battery Power"), elsewhere unknown. Network: any interface that is not
 * the loopback with an address that is not link-local (`os.networkInterfaces()`).
 *
 * Readings are cheap (sysfs files, an in-memory table) and taken when asked, except pmset,
 * which is a process: its answer is cached and refreshed in the background. Nothing watches
 * while nobody listens; while someone does, the readings are compared every POLL_MS.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SystemState } from "./system-state.js";

/** How often readings are compared while a run waits on them. */
export const POLL_MS = 5_000;
/** How old macOS's pmset answer may be before it is asked again. */
const PMSET_MAX_AGE_MS = 30_000;

export interface NodeSystemStateOptions {
  platform?: NodeJS.Platform;
  /** Linux's power supply folder (a test may point it at a copy). */
  powerSupplyRoot?: string;
  pollMs?: number;
}

export class NodeSystemState implements SystemState {
  readonly #platform: NodeJS.Platform;
  readonly #powerSupplyRoot: string;
  readonly #pollMs: number;
  readonly #listeners = new Set<() => void>();
  #poll: NodeJS.Timeout | null = null;
  #last = "";
  #pmset: { onAc: boolean | null; at: number } | null = null;
  #pmsetPending = false;

  constructor(options: NodeSystemStateOptions = {}) {
    this.#platform = options.platform ?? process.platform;
    this.#powerSupplyRoot = options.powerSupplyRoot ?? "/sys/class/power_supply";
    this.#pollMs = options.pollMs ?? POLL_MS;
    if (this.#platform === "darwin") this.#refreshPmset();
  }

  onAcPower(): boolean | null {
    if (this.#platform === "linux") return linuxOnAcPower(this.#powerSupplyRoot);
    if (this.#platform === "darwin") {
      if (!this.#pmset || performance.now() - this.#pmset.at > PMSET_MAX_AGE_MS) this.#refreshPmset();
      return this.#pmset?.onAc ?? null;
    }
    return null;
  }

  isOnline(): boolean | null {
    return hasNetwork(os.networkInterfaces());
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#poll) {
      this.#last = this.#reading();
      this.#poll = setInterval(() => this.#compare(), this.#pollMs);
      this.#poll.unref();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#poll) {
        clearInterval(this.#poll);
        this.#poll = null;
      }
    };
  }

  #reading(): string {
    return `${this.onAcPower()}/${this.isOnline()}`;
  }

  #compare(): void {
    const reading = this.#reading();
    if (reading === this.#last) return;
    this.#last = reading;
    for (const listener of [...this.#listeners]) listener();
  }

  #refreshPmset(): void {
    if (this.#pmsetPending) return;
    this.#pmsetPending = true;
    execFile("pmset", ["-g", "batt"], { timeout: 5_000 }, (error, stdout) => {
      this.#pmsetPending = false;
      this.#pmset = { onAc: error ? null : pmsetOnAc(stdout), at: performance.now() };
    });
  }
}

/**
 * Linux: on AC when a `Mains` (or USB-C `USB`) supply reports online=1, on battery when a
 * supply of that kind reports 0 and a `Battery` exists; a machine without a battery is on AC.
 * Null when the folder cannot be read at all.
 */
export function linuxOnAcPower(root: string): boolean | null {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return null;
  }
  let battery = false;
  let mains: boolean | null = null;
  for (const name of names) {
    const type = readText(path.join(root, name, "type"));
    if (type === "Battery") battery = true;
    if (type === "Mains" || type === "USB" || type === "USB_C") {
      const online = readText(path.join(root, name, "online"));
      if (online === "1") mains = true;
      else if (online === "0" && mains === null) mains = false;
    }
  }
  if (!battery) return true;
  return mains;
}

/** macOS `pmset -g batt`: "Now drawing from 'AC Power'" or "'Battery Power'". */
export function pmsetOnAc(output: string): boolean | null {
  if (output.includes("'AC Power'")) return true;
  if (output.includes("'Battery Power'")) return false;
  return null;
}

/** True when an interface other than the loopback has an address that is not link-local. */
export function hasNetwork(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): boolean {
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.internal) continue;
      if (address.family === "IPv4" && !address.address.startsWith("169.254.")) return true;
      if (address.family === "IPv6" && !/^fe[89ab]/i.test(address.address)) return true;
    }
  }
  return false;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}
