/**
 * What each tray menu action does. The collaborators are passed in, so the tests drive it
 * with a fake service and no Electron.
 */
import type { SchedulerApi } from "../shared/contract.js";
import { TRAY_PAUSE_MS, type TrayAction } from "./tray-menu.js";

export interface TrayActionDeps {
  service: Pick<SchedulerApi, "runNow" | "pauseJob" | "resumeJob" | "pauseAll" | "resumeAll">;
  now: () => number;
  openWindow: (hash?: string) => void;
  isOpenAtLogin: () => boolean;
  setOpenAtLogin: (enabled: boolean) => void | Promise<void>;
  quit: () => void;
  /** Shown to the user when an action fails (e.g. JobBusyError on Run now). */
  reportError: (message: string) => void;
}

/** Carries out one action; never throws (a failure is reported instead). */
export async function performTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  try {
    switch (action.type) {
      case "runNow":
        await deps.service.runNow(action.jobId);
        return;
      case "pauseJob":
        await deps.service.pauseJob(action.jobId);
        return;
      case "resumeJob":
        await deps.service.resumeJob(action.jobId);
        return;
      case "pauseAllForAnHour":
        await deps.service.pauseAll(new Date(deps.now() + TRAY_PAUSE_MS).toISOString());
        return;
      case "resumeAll":
        await deps.service.resumeAll();
        return;
      case "openWindow":
        deps.openWindow(action.hash);
        return;
      case "toggleOpenAtLogin":
        await deps.setOpenAtLogin(!deps.isOpenAtLogin());
        return;
      case "quit":
        deps.quit();
        return;
      default: {
        // A new tray action must be handled here: adding one fails to compile until it is.
        const unhandled: never = action;
        throw new Error(`unknown tray action ${JSON.stringify(unhandled)}`);
      }
    }
  } catch (error) {
    deps.reportError(error instanceof Error ? error.message : String(error));
  }
}
