/**
 * The bounds every input is held to at the edge (issue 10, items 1, 10 and 14), in one
 * place so the service, the CLI, the UI and the triggers agree (the bounds of instants and
 * offsets live with the rest of civil time, in civil-time.ts). Plain functions, no zod: the
 * CLI and the renderer import this too.
 */

/** The longest interval period, timeout, grace window or retry delay: 100 years of 365.25 days. */
export const MAX_DURATION_SECONDS = 36_525 * 86_400;
/** The longest interval period (same as any duration: 100 years). */
export const MAX_EVERY_SECONDS = MAX_DURATION_SECONDS;

/**
 * A command runs as one argument of the shell (`sh -c COMMAND`); Linux refuses any single
 * argument or environment string of 128 KiB or more (MAX_ARG_STRLEN, counting its NUL), so a
 * longer one could never start. Bytes of UTF-8.
 */
export const MAX_COMMAND_BYTES = 128 * 1024 - 1;
/**
 * The command plus the job's own environment entries: a conservative share of the OS limit
 * on arguments and environment together (ARG_MAX: 2 MiB on Linux, 1 MiB on macOS), leaving
 * room for the inherited environment.
 */
export const MAX_COMMAND_AND_ENV_BYTES = 256 * 1024;

/** Bytes `text` takes in UTF-8 (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Characters a job name must not hold: C0 controls, DEL, C1 controls (a terminal reads ESC
 * and CSI as commands, a newline fakes a table row), and the bidirectional marks, embeddings,
 * overrides and isolates that make text display in another order than it is stored.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Why `name` is not acceptable as a job name for its characters, or null when it is. */
export function nameCharacterProblem(name: string): string | null {
  const match = FORBIDDEN_IN_NAMES.exec(name);
  if (!match) return null;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `must not contain control or bidirectional-formatting characters (U+${code} at position ${[...name.slice(0, match.index)].length + 1})`;
}
