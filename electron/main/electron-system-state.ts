/**
 * The desktop app's SystemState (issue 15; core/system-state/system-state.ts): power from
 * Electron's `powerMonitor` (`isOnBatteryPower()`, the `on-ac` / `on-battery` events), the
 * network from `net.isOnline()`. Electron has no event for the network coming back in the main
 * process, so it is compared every POLL_MS while the engine listens (only while a run waits
 * on it). Takes the two modules' slices, so it is tested without Electron.
 */
import type { SystemState } from "../core/system-state/system-state.js";

/** The slice of Electron's `powerMonitor` read here. */
export interface PowerState {
  isOnBatteryPower(): boolean;
  on(event: "on-ac" | "on-battery", listener: () => void): unknown;
  removeListener(event: "on-ac" | "on-battery", listener: () => void): unknown;
}

/** The slice of Electron's `net` read here. */
export interface NetworkState {
  isOnline(): boolean;
}

/** How often the network is compared while a run waits on it. */
export const POLL_MS = 5_000;

export class ElectronSystemState implements SystemState {
  readonly #listeners = new Set<() => void>();
  #stopWatching: (() => void) | null = null;

  constructor(
    private readonly power: PowerState,
    private readonly network: NetworkState,
    private readonly pollMs = POLL_MS,
  ) {}

  /** A machine without a battery is never on battery power, so it reads as on AC. */
  onAcPower(): boolean | null {
    return !this.power.isOnBatteryPower();
  }

  isOnline(): boolean | null {
    return this.network.isOnline();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#stopWatching ??= this.#watch();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#stopWatching?.();
        this.#stopWatching = null;
      }
    };
  }

  #watch(): () => void {
    const tell = () => {
      for (const listener of [...this.#listeners]) listener();
    };
    let online = this.network.isOnline();
    const poll = setInterval(() => {
      const now = this.network.isOnline();
      if (now !== online) {
        online = now;
        tell();
      }
    }, this.pollMs);
    poll.unref?.();
    this.power.on("on-ac", tell);
    this.power.on("on-battery", tell);
    return () => {
      clearInterval(poll);
      this.power.removeListener("on-ac", tell);
      this.power.removeListener("on-battery", tell);
    };
  }
}
