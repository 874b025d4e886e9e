/**
 * Quitting while runs are in progress: ask "Wait for runs / Stop runs / Cancel". Either way
 * the runs are recorded: waited-for runs finish normally; stopped ones are ended by
 * `engine.stop()` and recorded as interrupted. Pure: the dialog and the engine are passed in.
 */
import type { Run } from "../shared/schemas.js";

export type QuitChoice = "wait" | "stop" | "cancel";

/** Button order of the dialog; `choiceForButton` maps the clicked index back. */
export const QUIT_BUTTONS = ["Wait for runs", "Stop runs", "Cancel"] as const;
export const QUIT_CANCEL_BUTTON = 2;

export function choiceForButton(index: number): QuitChoice {
  return index === 0 ? "wait" : index === 1 ? "stop" : "cancel";
}

/** The dialog's text for the runs in progress. */
export function quitDialogText(running: readonly Pick<Run, "jobName">[]): { message: string; detail: string } {
  const count = running.length;
  const names = [...new Set(running.map((run) => run.jobName))];
  const listed = names.slice(0, 5).join(", ") + (names.length > 5 ? ` and ${names.length - 5} more` : "");
  return {
    message: `${count} run${count === 1 ? " is" : "s are"} in progress: ${listed}`,
    detail: "Wait lets them finish, then quits. Stop ends them now; they are recorded as interrupted.",
  };
}

export interface QuitFlowDeps {
  /** Runs in progress right now. */
  runningRuns: () => Promise<readonly Run[]>;
  ask: (running: readonly Run[]) => Promise<QuitChoice>;
  /** Resolves once every run in `runIds` has finished, or when `signal` aborts. */
  waitForRuns: (runIds: readonly string[], signal: AbortSignal) => Promise<void>;
  /** Called while waiting, so the tray can say so. */
  onWaiting?: (runIds: readonly string[]) => void;
}

/**
 * One quit at a time. A quit requested while already waiting for runs means "stop now":
 * the wait ends and the caller stops the engine.
 */
export class QuitFlow {
  #waiting: AbortController | null = null;
  #asking = false;

  constructor(private readonly deps: QuitFlowDeps) {}

  /** True while a "Wait for runs" is in progress. */
  get waiting(): boolean {
    return this.#waiting !== null;
  }

  /**
   * Resolves "quit" when the app may now stop the engine and exit, "cancel" when the user
   * changed their mind, "busy" when an earlier request is still in progress: its dialog is
   * open (this one is ignored) or it is waiting for runs (this one ends the wait, so the
   * earlier request resolves "quit" and the engine stops the runs).
   */
  async request(): Promise<"quit" | "cancel" | "busy"> {
    if (this.#waiting) {
      this.#waiting.abort();
      return "busy";
    }
    if (this.#asking) return "busy";
    this.#asking = true;
    let running: readonly Run[];
    let choice: QuitChoice;
    try {
      running = await this.deps.runningRuns();
      if (running.length === 0) return "quit";
      choice = await this.deps.ask(running);
    } finally {
      this.#asking = false;
    }
    if (choice === "cancel") return "cancel";
    if (choice === "stop") return "quit";
    // Only the runs in progress now are waited for: a run that starts meanwhile is stopped
    // (and recorded) with the engine, or "Wait" could last forever with a busy schedule.
    const ids = running.map((run) => run.id);
    const controller = new AbortController();
    this.#waiting = controller;
    this.deps.onWaiting?.(ids);
    try {
      await this.deps.waitForRuns(ids, controller.signal);
    } finally {
      this.#waiting = null;
    }
    return "quit";
  }
}

/**
 * Resolves when every run in `runIds` has finished: checks `isRunning` now and after every
 * `run.finished` event (an event source the caller subscribes for us).
 */
export function waitForRunsToFinish(
  runIds: readonly string[],
  signal: AbortSignal,
  subscribe: (listener: (event: { type: string }) => void) => () => void,
  isRunning: (runId: string) => Promise<boolean>,
): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    let checking = false;
    let again = false;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      signal.removeEventListener("abort", finish);
      resolve();
    };
    const check = async () => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          const states = await Promise.all(runIds.map((id) => isRunning(id).catch(() => false)));
          if (!states.some(Boolean)) finish();
        } while (again && !done);
      } finally {
        checking = false;
      }
    };
    const unsubscribe = subscribe((event) => {
      if (event.type === "run.finished") void check();
    });
    signal.addEventListener("abort", finish);
    if (signal.aborted) finish();
    else void check();
  });
}
