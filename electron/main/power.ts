/**
 * After sleep or a locked screen, timers may have slept too: the engine re-checks the wall
 * clock, runs what is due and applies each job's catch-up policy (DESIGN.md, "Timers").
 */

/** The slice of Electron's `powerMonitor` used here. */
export interface PowerEvents {
  on(event: "resume" | "unlock-screen", listener: () => void): unknown;
  removeListener(event: "resume" | "unlock-screen", listener: () => void): unknown;
}

/** Calls `wake` on resume and unlock; returns the function that stops listening. */
export function wakeOnResume(power: PowerEvents, wake: () => void, log?: (line: string) => void): () => void {
  const onResume = () => {
    log?.("resumed from sleep: re-checking due runs");
    wake();
  };
  const onUnlock = () => wake();
  power.on("resume", onResume);
  power.on("unlock-screen", onUnlock);
  return () => {
    power.removeListener("resume", onResume);
    power.removeListener("unlock-screen", onUnlock);
  };
}
