/**
 * Where the daemon's web UI listens: its own module, so the CLI can name the default port in
 * `--help` without loading the web host (node:http's server side, node:crypto).
 */
export const DEFAULT_UI_PORT = 7420;

/** The only address the web UI ever listens on. */
export const UI_ADDRESS = "127.0.0.1";
