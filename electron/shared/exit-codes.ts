/**
 * Process exit codes: one table for every host (the `sundial` CLI, `sundial daemon` and the
 * desktop app), so scripts read them alike.
 *
 * 0 done; 1 failed (a run failed, an unknown job, no engine running); 2 bad input, nothing
 * changed, which includes a home (or its jobs.json) refused as not private; 3 another engine
 * holds this home; 4 the store is unusable (a corrupt jobs.json, kept as it is); 5 the web UI
 * could not be served (its port is taken); 130 `sundial run --wait` stopped waiting on Ctrl-C
 * (the run goes on; as a shell reports a command SIGINT ended); 141 the reader of our output went away
 * (`sundial list | head -1`), as a shell reports a process that SIGPIPE ended.
 */
export const EXIT = { ok: 0, failed: 1, badInput: 2, homeNotPrivate: 2, locked: 3, storeCorrupt: 4, uiUnavailable: 5, interrupted: 130, brokenPipe: 141 } as const;
