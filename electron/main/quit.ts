/**
 * Quitting: every way out (tray Quit, Cmd+Q, the OS asking) goes through `before-quit`,
 * where QuitFlow asks about runs in progress; the engine is stopped (runs recorded) before
 * the process exits. SIGTERM / SIGINT (logout on Linux, Ctrl-C under `npm start`) stop
 * without asking: there is nobody to answer.
 */
import { app } from "electron";
import type { Log } from "./log.js";
import type { QuitFlow } from "./quit-flow.js";

export interface QuitOptions {
  flow: QuitFlow;
  /** Stops the engine and frees the control socket. */
  stop: () => Promise<void>;
  log: Log;
}

export function handleQuit({ flow, stop, log }: QuitOptions): void {
  let exiting = false;

  async function stopAndExit(reason: string): Promise<void> {
    if (exiting) return;
    exiting = true;
    log(`${reason}: stopping (running runs are ended and recorded)`);
    try {
      await stop();
    } catch (error) {
      log(`clean stop failed: ${(error as Error).message}`);
    }
    app.quit();
  }

  app.on("before-quit", (event) => {
    if (exiting) return;
    event.preventDefault();
    flow.request().then(
      (decision) => {
        if (decision === "quit") void stopAndExit("quit");
      },
      (error: unknown) => log(`quit failed: ${(error as Error).message}`),
    );
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (exiting) {
        log(`${signal} again: exiting without waiting for running runs`);
        app.exit(1);
        return;
      }
      void stopAndExit(signal);
    });
  }
}
