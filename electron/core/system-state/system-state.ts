/**
 * The `SystemState` role (issue 15): what the machine says about its power and network, for
 * the `acPower` and `online` run conditions. Hosts give the engine one: the daemon the plain
 * Node one (node-system-state.ts), the desktop app one over Electron's `powerMonitor` and `net`
 * (electron/main/electron-system-state.ts).
 */
export interface SystemState {
  /** True on mains power (a machine without a battery is on AC), false on battery, null when it cannot tell. */
  onAcPower(): boolean | null;
  /** True when a network is up, false when none is, null when it cannot tell. */
  isOnline(): boolean | null;
  /**
   * Calls `listener` when either reading may have changed; returns the unsubscribe. The
   * engine listens only while a run waits on them, so an implementation may watch only then.
   */
  onChange(listener: () => void): () => void;
}

/** A state that never blocks a run: for hosts and tests that do not care. */
export const ALWAYS_READY: SystemState = {
  onAcPower: () => null,
  isOnline: () => null,
  onChange: () => () => {},
};
