/** The few native dialogs the shell shows. */
import { dialog } from "electron";
import { QUIT_BUTTONS, QUIT_CANCEL_BUTTON, choiceForButton, quitDialogText, type QuitChoice } from "./quit-flow.js";
import type { Run } from "../shared/schemas.js";

/** A fatal start-up problem (another instance owns the home, an unusable jobs.json). */
export function showStartupError(title: string, message: string): void {
  dialog.showErrorBox(title, message);
}

/** Something the user asked for from the tray failed (e.g. Run now on a busy job). */
export function showActionError(message: string): void {
  void dialog.showMessageBox({ type: "warning", title: "Sundial", message, buttons: ["OK"] });
}

export async function askHowToQuit(running: readonly Run[]): Promise<QuitChoice> {
  const { message, detail } = quitDialogText(running);
  const { response } = await dialog.showMessageBox({
    type: "question",
    title: "Quit Sundial",
    message,
    detail,
    buttons: [...QUIT_BUTTONS],
    defaultId: 0,
    cancelId: QUIT_CANCEL_BUTTON,
    noLink: true,
  });
  return choiceForButton(response);
}
