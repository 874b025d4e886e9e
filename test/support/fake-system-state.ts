import type { SystemState } from "../../electron/core/system-state/system-state.js";

/**
 * A SystemState the test sets by hand (issue 15): `set({ onAcPower: false })` unplugs the
 * charger and tells the listeners, as a real power event would.
 */
export class FakeSystemState implements SystemState {
  #readings: { onAcPower: boolean | null; online: boolean | null };
  readonly #listeners = new Set<() => void>();

  constructor(readings: Partial<{ onAcPower: boolean | null; online: boolean | null }> = {}) {
    this.#readings = { onAcPower: true, online: true, ...readings };
  }

  onAcPower(): boolean | null {
    return this.#readings.onAcPower;
  }

  isOnline(): boolean | null {
    return this.#readings.online;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** How many listen now (the engine listens only while a run waits on power or network). */
  get listeners(): number {
    return this.#listeners.size;
  }

  set(readings: Partial<{ onAcPower: boolean | null; online: boolean | null }>): void {
    this.#readings = { ...this.#readings, ...readings };
    for (const listener of [...this.#listeners]) listener();
  }
}
