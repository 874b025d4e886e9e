/**
 * One app per user data folder (= per home, see index.ts): a second launch hands over to
 * the first, which opens its window, and exits. The control socket still guards the home
 * against a `sundial daemon` (engine-host.ts).
 */
import { app } from "electron";

/** False when another instance already runs: the caller quits at once. */
export function claimSingleInstance(onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on("second-instance", () => {
    void app.whenReady().then(onSecondLaunch);
  });
  return true;
}
