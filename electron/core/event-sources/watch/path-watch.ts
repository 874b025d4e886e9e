/**
 * One watched path, over chokidar (a well-kept watcher: inotify, FSEvents, ReadDirectoryChangesW;
 * no polling). A path that is missing, at the start or later, is not an error: the nearest
 * existing folder above it is watched for the next name on the way down, and the path is
 * watched again as soon as it is back (DESIGN.md "Beyond the clock", `watch`).
 *
 * - `recursive: false` sees the path itself and, for a folder, its direct entries; `true`
 *   sees every level below it.
 * - The removal of the path and its return count as changes of the path itself (the burst
 *   names the path), as launchd's WatchPaths and systemd's PathChanged= do.
 * - No `awaitWriteFinish`: it polls every changed file's size, and the debounce's quiet
 *   period already waits for writes to stop.
 */
import fs from "node:fs";
import nodePath from "node:path";
import { watch, type FSWatcher } from "chokidar";

/** How the watch stands: `missing` while the path is not there (it is waited for); `failed` on an OS error. */
export type PathWatchStatus = { state: "starting" } | { state: "watching" } | { state: "missing" } | { state: "failed"; message: string };

export interface PathWatchListener {
  /** Something at `path` (absolute) was added, changed or removed. */
  change(path: string): void;
  /** The watch's status changed (e.g. the path went missing, or came back). */
  status(status: PathWatchStatus): void;
}

export class PathWatch {
  readonly #listeners = new Set<PathWatchListener>();
  #status: PathWatchStatus = { state: "starting" };
  #watcher: FSWatcher | null = null;
  /** Bumped whenever the watcher is replaced: events of an older one are dropped. */
  #generation = 0;
  #queue: Promise<void> = Promise.resolve();
  #queued = false;
  #closed = false;

  constructor(
    /** Absolute. */
    readonly path: string,
    readonly recursive: boolean,
  ) {}

  get status(): PathWatchStatus {
    return this.#status;
  }

  subscribe(listener: PathWatchListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  /** Starts watching; resolves once the watcher is ready (or the path is known to be missing). */
  start(): Promise<void> {
    return this.#reevaluate();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#generation++;
    await this.#queue;
    await this.#closeWatcher();
  }

  /** Looks again at what exists and watches the path or its nearest existing parent; one look queued at a time. */
  #reevaluate(): Promise<void> {
    this.#generation++;
    if (this.#queued) return this.#queue;
    this.#queued = true;
    this.#queue = this.#queue.then(async () => {
      this.#queued = false;
      try {
        await this.#evaluate();
      } catch (error) {
        this.#setStatus({ state: "failed", message: (error as Error).message });
      }
    });
    return this.#queue;
  }

  async #evaluate(): Promise<void> {
    await this.#closeWatcher();
    if (this.#closed) return;
    const generation = ++this.#generation;
    const existing = await nearestExisting(this.path);
    if (generation !== this.#generation || this.#closed) return;
    if (existing === this.path) await this.#watchPath(generation);
    else await this.#waitBelow(existing, generation);
  }

  async #watchPath(generation: number): Promise<void> {
    const watcher = watch(this.path, {
      ignoreInitial: true,
      persistent: false,
      ignorePermissionErrors: true,
      ...(this.recursive ? {} : { depth: 0 }),
    });
    this.#watcher = watcher;
    watcher.on("all", (event, changed) => {
      if (generation !== this.#generation) return;
      const absolute = nodePath.resolve(this.path, changed);
      if ((event === "unlinkDir" || event === "unlink") && absolute === this.path) {
        // The path itself went away: what was inside went with it, one change says so.
        this.#emitChange(this.path);
        this.#setStatus({ state: "missing" });
        void this.#reevaluate();
        return;
      }
      this.#emitChange(absolute);
    });
    // chokidar says nothing when an empty folder it watches is removed; the OS's own event on
    // the folder (a "rename" of its name) does, so that event makes us look whether it is gone.
    const name = nodePath.basename(this.path);
    watcher.on("raw", (event, filename, details) => {
      if (generation !== this.#generation || event !== "rename" || filename !== name) return;
      if ((details as { watchedPath?: string } | undefined)?.watchedPath !== this.path) return;
      void fs.promises.stat(this.path).then(
        () => undefined,
        () => {
          if (generation !== this.#generation) return;
          this.#emitChange(this.path);
          this.#setStatus({ state: "missing" });
          void this.#reevaluate();
        },
      );
    });
    watcher.on("error", (error) => this.#onError(generation, error as Error));
    await ready(watcher);
    if (generation !== this.#generation) return;
    // Gone between the look and the watcher's start: no event will say so.
    if (!fs.existsSync(this.path)) {
      void this.#reevaluate();
      return;
    }
    // It appeared (it was missing): that is a change of the path, as its removal is.
    const returned = this.#status.state === "missing";
    this.#setStatus({ state: "watching" });
    if (returned) this.#emitChange(this.path);
  }

  /** The path is missing: watch `existing` (its nearest parent that exists) for the next name down. */
  async #waitBelow(existing: string, generation: number): Promise<void> {
    this.#setStatus({ state: "missing" });
    const next = nodePath.join(existing, nodePath.relative(existing, this.path).split(nodePath.sep)[0]!);
    const watcher = watch(existing, {
      ignoreInitial: true,
      persistent: false,
      ignorePermissionErrors: true,
      depth: 0,
      // Only the parent and the one name on the way: a missing path under /tmp must not watch all of /tmp.
      ignored: (candidate: string) => {
        const absolute = nodePath.resolve(existing, candidate);
        return absolute !== existing && absolute !== next;
      },
    });
    this.#watcher = watcher;
    watcher.on("all", (event, changed) => {
      if (generation !== this.#generation) return;
      const absolute = nodePath.resolve(existing, changed);
      if (absolute === next && (event === "add" || event === "addDir")) void this.#reevaluate();
      else if (absolute === existing && (event === "unlinkDir" || event === "unlink")) void this.#reevaluate();
    });
    watcher.on("error", (error) => this.#onError(generation, error as Error));
    await ready(watcher);
    if (generation !== this.#generation) return;
    // Made between the look and the watcher's start.
    if (fs.existsSync(next) || !fs.existsSync(existing)) void this.#reevaluate();
  }

  #onError(generation: number, error: Error): void {
    if (generation !== this.#generation) return;
    const code = (error as NodeJS.ErrnoException).code;
    // ENOSPC from inotify: the user's limit of watches (fs.inotify.max_user_watches) is reached.
    const message = code === "ENOSPC" ? "the system's limit of watched files is reached (fs.inotify.max_user_watches)" : error.message;
    this.#setStatus({ state: "failed", message });
  }

  async #closeWatcher(): Promise<void> {
    const watcher = this.#watcher;
    this.#watcher = null;
    if (watcher) await watcher.close();
  }

  #emitChange(path: string): void {
    for (const listener of this.#listeners) listener.change(path);
  }

  #setStatus(status: PathWatchStatus): void {
    const before = this.#status;
    this.#status = status;
    if (before.state === status.state && (before.state !== "failed" || before.message === (status as { message: string }).message)) return;
    for (const listener of this.#listeners) listener.status(status);
  }
}

/** `path` if it exists, else its nearest parent that does (the root always does). */
async function nearestExisting(path: string): Promise<string> {
  let candidate = path;
  for (;;) {
    try {
      await fs.promises.stat(candidate);
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    }
    const parent = nodePath.dirname(candidate);
    if (parent === candidate) return candidate;
    candidate = parent;
  }
}

/** Resolves when the watcher has read what it watches, or has failed to (its error is reported by the "error" listener). */
function ready(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve) => {
    watcher.once("ready", () => resolve());
    watcher.once("error", () => resolve());
  });
}
