/**
 * The engine's life inside a host process, the same for `sundial daemon` (daemon/daemon.ts)
 * and the desktop app (main/engine-host.ts): the home is checked, the doors that serve the
 * engine are opened (the control socket first: it is the single-instance guard per home, so
 * two engines can never both load and write the same jobs.json), then the stores are opened.
 * At stop the doors stay open until the stores are flushed. Plain Node: the doors are the
 * host's (core never imports the daemon), passed in as `openDoors`.
 */
import { openEngine, type Engine, type EngineOptions } from "./engine.js";
import { homePaths } from "./home.js";
import { ensureHomeFolder } from "./store/durable-file.js";

/** What a host serves the engine through (the control socket, the web UI). */
export interface EngineDoors {
  /** Stops serving; called once, after the engine stopped (or failed to open). */
  close(): Promise<void>;
}

export type HostedEngineOptions<Doors extends EngineDoors> = EngineOptions & {
  log: (line: string) => void;
  /**
   * Opens the doors before the stores are opened. `backend()` is the engine once it is open
   * and until it begins to stop, null otherwise. Throwing here opens nothing.
   */
  openDoors(backend: () => Engine | null): Promise<Doors>;
};

export interface HostedEngine<Doors extends EngineDoors> {
  readonly engine: Engine;
  readonly doors: Doors;
  /** Ends running runs (recorded as interrupted), flushes the stores, then closes the doors. */
  stop(): Promise<void>;
}

/**
 * Throws HomeNotPrivateError before anything is opened when another user could change the
 * home or its jobs.json, whatever `openDoors` throws, and whatever openEngine throws
 * (StoreCorruptError for an unusable jobs.json) once the doors are closed again.
 */
export async function hostEngine<Doors extends EngineDoors>(options: HostedEngineOptions<Doors>): Promise<HostedEngine<Doors>> {
  const { openDoors, ...engineOptions } = options;
  const home = options.home;
  // Private by default: the socket, the store and every log file (DESIGN.md, "Where the data lives").
  process.umask(0o077);
  // Before anything is claimed or written: a home someone else could change is refused.
  await ensureHomeFolder(home, [homePaths(home).jobs]);

  let engine: Engine | null = null;
  let stopping = false;
  // While opening or stopping, new calls get a 503 (the CLI retries, then finds the engine
  // gone); open event streams keep receiving the runs' last events.
  const doors = await openDoors(() => (stopping ? null : engine));
  try {
    engine = await openEngine(engineOptions);
  } catch (error) {
    await doors.close();
    throw error;
  }
  const opened = engine;
  let stopped: Promise<void> | null = null;
  return {
    engine: opened,
    doors,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        // The doors stay open until the stores are flushed: a new engine must not open them sooner.
        try {
          await opened.stop();
        } finally {
          await doors.close();
        }
      })()),
  };
}
