/**
 * OS notifications through node-notifier: notify-send on Linux/BSD, terminal-notifier on
 * macOS, SnoreToast on Windows. Whatever the backend does, a run never waits more than
 * `timeoutMs` for it and never sees it throw.
 */
import type { Notifier, RunNotification } from "./notifier.js";

/** The slice of node-notifier this adapter uses (tests pass a fake). */
export interface NotificationBackend {
  notify(options: Record<string, unknown>, callback: (error: Error | string | null, response?: string) => void): unknown;
}

export interface NodeNotifierOptions {
  /** Where failures go (no server, notify-send missing); default console.warn. */
  log?: (line: string) => void;
  /** `notify()` resolves after this long even if the backend never calls back. */
  timeoutMs?: number;
  /** Default `process.platform`; decides whether clicks can be reported. */
  platform?: NodeJS.Platform;
  /** Default: node-notifier's instance for this OS. */
  backend?: NotificationBackend;
  /** Absolute path of the icon shown with each notification. */
  icon?: string;
  /** Shown as the sender where the OS has a place for it. */
  appName?: string;
}

/**
 * Only terminal-notifier (macOS) and SnoreToast (Windows) report a click back. notify-send
 * (Linux) exits as soon as the server accepted the notification and cannot say later that it
 * was clicked, so on Linux `onClick` listeners are never called; `wait` would only stretch
 * the notification's display time there.
 */
const PLATFORMS_REPORTING_CLICKS: ReadonlySet<NodeJS.Platform> = new Set(["darwin", "win32"]);

/** Control characters (NUL would even make child_process throw) have no place in a bubble. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f]/g;

export class NodeNotifier implements Notifier {
  readonly #log: (line: string) => void;
  readonly #timeoutMs: number;
  #backend: NotificationBackend | null;
  readonly #reportsClicks: boolean;
  readonly #icon: string | undefined;
  readonly #appName: string;
  readonly #clickListeners = new Set<(notification: RunNotification) => void>();

  constructor(options: NodeNotifierOptions = {}) {
    this.#log = options.log ?? ((line) => console.warn(`[notifier] ${line}`));
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#backend = options.backend ?? null;
    this.#reportsClicks = PLATFORMS_REPORTING_CLICKS.has(options.platform ?? process.platform);
    this.#icon = options.icon;
    this.#appName = options.appName ?? "Sundial";
  }

  /** Resolves once the backend answered or `timeoutMs` passed; never rejects. */
  async notify(notification: RunNotification): Promise<void> {
    let backend: NotificationBackend;
    try {
      backend = await this.#loadBackend();
    } catch (error) {
      this.#log(`notifications are unavailable: ${describe(error)}`);
      return;
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        // With `wait` the backend answers only after the user acts; that is expected, not a failure.
        if (!this.#reportsClicks) this.#log(`notification "${notification.title}" got no answer within ${this.#timeoutMs} ms`);
        settle();
      }, this.#timeoutMs);
      timer.unref();

      const options: Record<string, unknown> = {
        title: clean(notification.title),
        message: clean(notification.message) || " ",
        wait: this.#reportsClicks,
        // notify-send: names the sender (dunst/GNOME group by it).
        "app-name": this.#appName,
        ...(this.#icon ? { icon: this.#icon } : {}),
      };
      try {
        backend.notify(options, (error, response) => {
          // node-notifier passes notify-send's stderr as the error, so success is `''`, not null.
          if (error) this.#log(`notification "${notification.title}" failed: ${describe(error)}`);
          else if (response === "activate") this.#clicked(notification);
          settle();
        });
      } catch (error) {
        this.#log(`notification "${notification.title}" failed: ${describe(error)}`);
        settle();
      }
    });
  }

  /** node-notifier is loaded on first use: it costs ~80 ms at start-up, and most runs notify nothing. */
  async #loadBackend(): Promise<NotificationBackend> {
    this.#backend ??= (await import("node-notifier")).default as unknown as NotificationBackend;
    return this.#backend;
  }

  /** Called when the user clicks a notification; only on macOS and Windows (see above). */
  onClick(listener: (notification: RunNotification) => void): void {
    this.#clickListeners.add(listener);
  }

  #clicked(notification: RunNotification): void {
    for (const listener of this.#clickListeners) {
      try {
        listener(notification);
      } catch (error) {
        this.#log(`click listener failed: ${describe(error)}`);
      }
    }
  }
}

function clean(text: string): string {
  return text.replace(UNPRINTABLE, "").trim();
}

/** One line: notify-send's stderr arrives inside the error and would break line-based logs. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/\s*\n\s*/g, " | ");
}
