/**
 * Secrets in what users type (issue 16): webhook URLs, ping URLs and channel commands often
 * carry a token. Every face shows them masked — `list`, `show`, `export`, `channel list`, the
 * UI — and the engine's log never holds them in full. One masking for all of them, here.
 * No Node or DOM imports: the renderer bundles this file.
 */

/** What stands for the hidden part; a value holding it was masked and is not the real one. */
export const MASK = "••••";

/** Characters of the secret kept at its end, so a user can tell two tokens apart. */
const KEPT = 4;

/**
 * A URL with everything after the host masked but its last 4 characters
 * (`https://hc-ping.com/••••1a2b`), and any user:password dropped. Text that is not a URL is
 * masked as a whole, but its last 4 characters.
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return maskText(text);
  }
  const origin = `${url.protocol}//${url.host}`;
  const rest = text.slice(text.indexOf(url.host) + url.host.length);
  if (rest === "" || rest === "/") return `${origin}${rest}`;
  return `${origin}/${maskText(rest.replace(/^\//, ""))}`;
}

/** A command line with all but its first word masked (`curl ••••abcd`): a token may be anywhere in it. */
export function maskCommand(command: string): string {
  const trimmed = command.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return trimmed.length <= KEPT * 2 ? trimmed : maskText(trimmed);
  return `${trimmed.slice(0, space)} ${maskText(trimmed.slice(space).trim())}`;
}

function maskText(text: string): string {
  return text.length <= KEPT ? MASK : `${MASK}${text.slice(-KEPT)}`;
}

/** True for a value that was masked (an export made without `--include-secrets`). */
export function isMasked(text: string): boolean {
  return text.includes(MASK);
}

/** Why a masked value cannot be used, for the field that holds one. */
export const MASKED_VALUE_PROBLEM = `is masked (${MASK}): it was exported without --include-secrets; give the real value`;

/** A job's secret-bearing fields masked: what `list`, `show` and `export` print. */
export function withMaskedSecrets<T extends { pingUrl?: string | undefined }>(job: T): T {
  return job.pingUrl === undefined ? job : { ...job, pingUrl: maskUrl(job.pingUrl) };
}
