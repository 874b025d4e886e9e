/**
 * Global settings as every face names them (issue 13, "A settings page"): one key per choice,
 * the same in `sundial settings`, its `--json`, the API and the UI's Settings page. Plain
 * `as const` lists, no zod: the CLI parses a typed value with these before it loads anything,
 * and the renderer's Settings page bundles this file (the zod schemas are in schemas.ts).
 */
import { DEFAULT_NOTIFY_POLICY, NOTIFY_POLICIES, NOTIFY_POLICY_LABELS, type NotifyPolicy } from "./policies.js";
import { MAX_ALERT_AFTER_FAILURES } from "./alert-rules.js";

/** How the UI writes times: as the OS (the browser's locale) does, or always 12 h / 24 h. */
export const TIME_FORMATS = ["system", "12h", "24h"] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];
export const DEFAULT_TIME_FORMAT: TimeFormat = "system";

/** The UI's colours: following the OS (prefers-color-scheme), or always light / dark. */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const DEFAULT_THEME: Theme = "system";

/** History retention: a job's runs beyond the newest N, and runs older than D days, are pruned. */
export const DEFAULT_HISTORY_MAX_RUNS = 200;
export const DEFAULT_HISTORY_MAX_DAYS = 90;
/** Upper bounds, so a typo (`2000000`) cannot make the history grow without bound unnoticed. */
export const MAX_HISTORY_MAX_RUNS = 100_000;
export const MAX_HISTORY_MAX_DAYS = 36_500;

/** Every setting, in the order the CLI lists them and the Settings page shows them. */
export const SETTING_KEYS = [
  "default-notify",
  "notifications",
  "default-alert-after",
  "default-alert-recovered",
  "history-max-runs",
  "history-max-days",
  "time-format",
  "theme",
  "start-at-login",
  "home",
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Each setting's value. `start-at-login` is null where Sundial cannot start at login (the daemon). */
export interface SettingValues {
  "default-notify": NotifyPolicy;
  notifications: boolean;
  /** 0: off; N: jobs without their own `afterFailures` alert at their Nth failure in a row. */
  "default-alert-after": number;
  "default-alert-recovered": boolean;
  "history-max-runs": number;
  "history-max-days": number;
  "time-format": TimeFormat;
  theme: Theme;
  "start-at-login": boolean | null;
  home: string;
}

/** A change: only the given keys change (`home` is refused as read-only). */
export type SettingsChange = { [K in SettingKey]?: Exclude<SettingValues[K], null> };

/** The settings as the engine reports them, with why a setting cannot be changed here. */
export interface SettingsView {
  values: SettingValues;
  /** Keys that cannot be changed by this engine, each with the reason in words. */
  readOnly: Partial<Record<SettingKey, string>>;
}

/** What kind of value a setting takes: how the CLI reads it from text and the UI edits it. */
export type SettingKind =
  | { type: "choice"; values: readonly string[]; labels: Readonly<Record<string, string>> }
  | { type: "switch" }
  | { type: "count"; max: number; /** Default 1; 0 means "off" where a setting allows it. */ min?: number }
  | { type: "text" };

export interface SettingInfo {
  /** The Settings page's label. */
  label: string;
  /** One line for `sundial settings --help` and under the field in the UI. */
  help: string;
  kind: SettingKind;
  /** The value a fresh home has (null: set by the host, not the store). */
  fallback: SettingValues[SettingKey] | null;
}

/** The table every face reads: a key added to SETTING_KEYS does not compile until it has its entry. */
export const SETTINGS: { readonly [K in SettingKey]: SettingInfo } = {
  "default-notify": {
    label: "Notify by default",
    help: "when a job without its own notify policy raises a desktop notification",
    kind: { type: "choice", values: NOTIFY_POLICIES, labels: NOTIFY_POLICY_LABELS },
    fallback: DEFAULT_NOTIFY_POLICY,
  },
  notifications: {
    label: "Desktop notifications",
    help: "off silences every job's notifications",
    kind: { type: "switch" },
    fallback: true,
  },
  "default-alert-after": {
    label: "Alert after failures in a row",
    help: "jobs without their own rule raise one alert at their Nth failure in a row, instead of notifying each failure; 0 is off",
    kind: { type: "count", max: MAX_ALERT_AFTER_FAILURES, min: 0 },
    fallback: 0,
  },
  "default-alert-recovered": {
    label: "Alert when a job recovers",
    help: "jobs without their own rule raise one alert when they succeed again after an alert",
    kind: { type: "switch" },
    fallback: false,
  },
  "history-max-runs": {
    label: "Runs kept per job",
    help: "older runs and their logs are deleted beyond this many per job",
    kind: { type: "count", max: MAX_HISTORY_MAX_RUNS },
    fallback: DEFAULT_HISTORY_MAX_RUNS,
  },
  "history-max-days": {
    label: "Days runs are kept",
    help: "runs and their logs older than this many days are deleted",
    kind: { type: "count", max: MAX_HISTORY_MAX_DAYS },
    fallback: DEFAULT_HISTORY_MAX_DAYS,
  },
  "time-format": {
    label: "Time format",
    help: "how the UI writes times: system (as the OS does), 12h or 24h",
    kind: { type: "choice", values: TIME_FORMATS, labels: { system: "As the system does", "12h": "12-hour (2:05 PM)", "24h": "24-hour (14:05)" } },
    fallback: DEFAULT_TIME_FORMAT,
  },
  theme: {
    label: "Theme",
    help: "the UI's colours: system (as the OS does), light or dark",
    kind: { type: "choice", values: THEMES, labels: { system: "As the system does", light: "Light", dark: "Dark" } },
    fallback: DEFAULT_THEME,
  },
  "start-at-login": {
    label: "Start at login",
    help: "start the desktop app (in the tray) when you log in; desktop app only",
    kind: { type: "switch" },
    fallback: null,
  },
  home: {
    label: "Home folder",
    help: "where jobs, history and logs live; chosen with --home or SUNDIAL_HOME at start",
    kind: { type: "text" },
    fallback: null,
  },
};

/** Why `home` cannot be changed while running. */
export const HOME_READ_ONLY = "chosen when Sundial starts (--home DIR or SUNDIAL_HOME); it cannot change while running";
/** Why `start-at-login` is not available in the headless engine. */
export const START_AT_LOGIN_UNAVAILABLE =
  "only the desktop app can start at login; the daemon is started by you or your service manager (systemd, launchd)";

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(key);
}

/** `unknown setting "colour" (known: default-notify, …)`: the line for a key that does not exist. */
export function unknownSettingMessage(key: string): string {
  return `unknown setting "${key}" (known: ${SETTING_KEYS.join(", ")})`;
}

const SWITCH_WORDS: Readonly<Record<string, boolean>> = { on: true, off: false, true: true, false: false, yes: true, no: false };

/**
 * A value typed as text (`sundial settings set KEY VALUE`) as the setting's type, or the
 * problem in words (without the key: the caller names it).
 */
export function parseSettingText(key: SettingKey, text: string): { value: SettingValues[SettingKey] } | { problem: string } {
  const { kind } = SETTINGS[key];
  const trimmed = text.trim();
  switch (kind.type) {
    case "choice":
      return kind.values.includes(trimmed) ? { value: trimmed as SettingValues[SettingKey] } : { problem: `"${text}" is not one of ${kind.values.join(", ")}` };
    case "switch": {
      const value = SWITCH_WORDS[trimmed.toLowerCase()];
      return value === undefined ? { problem: `"${text}" is not on or off` } : { value };
    }
    case "count":
      return /^\d+$/.test(trimmed) ? { value: Number(trimmed) } : { problem: `"${text}" is not a whole number from ${kind.min ?? 1} to ${kind.max}` };
    case "text":
      return { value: text };
    default:
      return unhandledKind(kind);
  }
}

/** What a setting accepts, for help text: `system|light|dark`, `on|off`, `1-36500`, `read-only`. */
export function acceptedValues(key: SettingKey): string {
  const { kind } = SETTINGS[key];
  switch (kind.type) {
    case "choice":
      return kind.values.join("|");
    case "switch":
      return "on|off";
    case "count":
      return `${kind.min ?? 1}-${kind.max}`;
    case "text":
      return "read-only";
    default:
      return unhandledKind(kind);
  }
}

/** A value as people read it: switches as on/off, a missing one as "not available". */
export function formatSettingValue(value: SettingValues[SettingKey]): string {
  if (value === null) return "not available";
  if (typeof value === "boolean") return value ? "on" : "off";
  return String(value);
}

function unhandledKind(kind: never): never {
  throw new Error(`unhandled setting kind ${JSON.stringify(kind)}`);
}
