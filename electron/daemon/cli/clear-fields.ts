/**
 * `sundial edit JOB --clear FIELD`: the optional fields a job can have emptied, by the name
 * the user types. One table for the parser, the `--help` line and the README's list.
 */

/** Each clearable field and what clearing it means (for `--help`). */
export const CLEARABLE_FIELDS = {
  timeout: "no time limit",
  cwd: "run in your home folder",
  env: "no variables of its own (with --env: replace them all)",
  tz: "a cron schedule follows the system time zone",
  start: "an interval has no start: it runs from now on",
  end: "an interval has no end",
  jitter: "an interval runs on its slots exactly",
  retries: "no retries (count 0, delay back to 1m)",
  shell: "the default shell (/bin/sh, cmd.exe on Windows)",
  "catch-up-grace": "missed runs of any age are caught up",
  "alert-after": "no alert for failures in a row (each failure notifies as its notify policy says)",
  "alert-recovered": "no alert when it succeeds again",
  "expect-success-within": "no dead-man's switch",
  "alert-slower-than": "no alert for a slow run",
  alerts: "none of the job's own alert rules (the settings' defaults still apply)",
  channels: "the desktop notification only (with --channel: replace them all)",
  "ping-url": "no pings",
  tags: "no tags (with --tag: replace them all)",
  conditions: "no run conditions: every due run starts (and the unmet policy back to skip)",
  between: "no time window",
  days: "any day of the week",
  "skip-dates": "no dates skipped",
  "ac-power": "runs on battery too",
  online: "runs offline too",
} as const satisfies Record<string, string>;

export type ClearableField = keyof typeof CLEARABLE_FIELDS;

/** The names for a help line or an error: `timeout, cwd, env, …`. */
export const CLEARABLE_FIELD_NAMES = Object.keys(CLEARABLE_FIELDS) as ClearableField[];

/**
 * The fields `--clear` names (repeatable; a value may also list several, comma-separated),
 * with one problem line per unknown name. Nothing is cleared when any name is unknown.
 */
export function readClearFields(values: readonly string[] | undefined): { fields: Set<ClearableField>; problems: string[] } {
  const fields = new Set<ClearableField>();
  const problems: string[] = [];
  for (const value of values ?? []) {
    for (const name of value.split(",").map((part) => part.trim())) {
      if (Object.hasOwn(CLEARABLE_FIELDS, name)) fields.add(name as ClearableField);
      else problems.push(`--clear: unknown field "${name}"; one of ${CLEARABLE_FIELD_NAMES.join(", ")}`);
    }
  }
  return { fields, problems };
}
