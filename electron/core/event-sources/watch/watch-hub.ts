/**
 * One watcher per watched path, shared by every job that watches it (two jobs on one folder
 * cost one set of OS watches). A path watched both recursively and not is two watchers: what
 * each sees differs, and chokidar's depth is fixed per watcher.
 */
import { PathWatch, type PathWatchListener, type PathWatchStatus } from "./path-watch.js";

export interface WatchSubscription {
  readonly status: PathWatchStatus;
  /** Resolves once the watcher is ready (or the path is known to be missing). */
  readonly ready: Promise<void>;
  /** Stops listening; the last one out closes the watcher. */
  close(): Promise<void>;
}

interface SharedWatch {
  watch: PathWatch;
  ready: Promise<void>;
}

export class WatchHub {
  readonly #watches = new Map<string, SharedWatch>();

  /** Listens to `path` (absolute), starting its watcher if nobody watches it yet. */
  subscribe(path: string, recursive: boolean, listener: PathWatchListener): WatchSubscription {
    const key = `${recursive ? "recursive" : "flat"}:${path}`;
    let shared = this.#watches.get(key);
    if (!shared) {
      const watch = new PathWatch(path, recursive);
      shared = { watch, ready: watch.start() };
      this.#watches.set(key, shared);
    }
    const { watch, ready } = shared;
    const unsubscribe = watch.subscribe(listener);
    return {
      get status() {
        return watch.status;
      },
      ready,
      close: async () => {
        unsubscribe();
        if (watch.subscribers > 0 || this.#watches.get(key)?.watch !== watch) return;
        this.#watches.delete(key);
        await watch.close();
      },
    };
  }

  /** How many watchers are open (one per distinct path and depth). */
  get size(): number {
    return this.#watches.size;
  }

  async close(): Promise<void> {
    const watches = [...this.#watches.values()];
    this.#watches.clear();
    await Promise.all(watches.map(({ watch }) => watch.close()));
  }
}
