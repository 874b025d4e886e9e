/**
 * The settings' keys (shared/settings.ts) over what jobs.json stores (`settings` in
 * schemas.ts), and the host's own setting: start at login, which only the desktop app can
 * do (main/autostart.ts), so the engine is given it as a role and the daemon has none.
 */
import { HOME_READ_ONLY, START_AT_LOGIN_UNAVAILABLE, type SettingsChange, type SettingsView } from "../shared/settings.js";
import type { Settings } from "../shared/schemas.js";

/** Starting the app at login (the OS's login items, an XDG autostart entry). */
export interface StartAtLogin {
  /** Whether the app starts at login now (read from the OS, which the user may change too). */
  isEnabled(): boolean;
  /** Turns it on or off; throws when the OS refuses (the error says why). */
  setEnabled(enabled: boolean): void;
}

/** The settings by key: the stored ones, the home in use, and start at login where the host has it. */
export function settingsView(stored: Settings, home: string, startAtLogin: StartAtLogin | undefined): SettingsView {
  return {
    values: {
      "default-notify": stored.defaultNotify,
      notifications: stored.notifications,
      "default-alert-after": stored.defaultAlerts.afterFailures ?? 0,
      "default-alert-recovered": stored.defaultAlerts.recovered ?? false,
      "history-max-runs": stored.history.maxRunsPerJob,
      "history-max-days": stored.history.maxAgeDays,
      "time-format": stored.timeFormat,
      theme: stored.theme,
      "start-at-login": startAtLogin ? startAtLogin.isEnabled() : null,
      home,
    },
    readOnly: startAtLogin ? { home: HOME_READ_ONLY } : { home: HOME_READ_ONLY, "start-at-login": START_AT_LOGIN_UNAVAILABLE },
  };
}

/** Writes a validated change's stored keys into `settings` (start at login and home are not stored). */
export function applySettingsChange(settings: Settings, change: SettingsChange): void {
  if (change["default-notify"] !== undefined) settings.defaultNotify = change["default-notify"];
  if (change.notifications !== undefined) settings.notifications = change.notifications;
  if (change["default-alert-after"] !== undefined) {
    const { afterFailures: _previous, ...rest } = settings.defaultAlerts;
    settings.defaultAlerts = change["default-alert-after"] === 0 ? rest : { ...rest, afterFailures: change["default-alert-after"] };
  }
  if (change["default-alert-recovered"] !== undefined) settings.defaultAlerts = { ...settings.defaultAlerts, recovered: change["default-alert-recovered"] };
  if (change["history-max-runs"] !== undefined) settings.history = { ...settings.history, maxRunsPerJob: change["history-max-runs"] };
  if (change["history-max-days"] !== undefined) settings.history = { ...settings.history, maxAgeDays: change["history-max-days"] };
  if (change["time-format"] !== undefined) settings.timeFormat = change["time-format"];
  if (change.theme !== undefined) settings.theme = change.theme;
}

/** True when the change may delete runs (retention tightened or loosened: prune at once). */
export function changesRetention(change: SettingsChange): boolean {
  return change["history-max-runs"] !== undefined || change["history-max-days"] !== undefined;
}
