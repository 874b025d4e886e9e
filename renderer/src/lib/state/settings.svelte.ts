/**
 * The global settings (electron/shared/settings.ts) as the Settings page shows them, kept
 * live by `settings.changed` events: a change made in the CLI, the tray or another window
 * shows here at once. Also what the whole page follows: its theme and its time format.
 */
import type { SchedulerEvent } from "../../../../electron/shared/contract.js";
import { DEFAULT_THEME, DEFAULT_TIME_FORMAT, type SettingKey, type SettingsChange, type SettingsView, type Theme, type TimeFormat } from "../../../../electron/shared/settings.js";
import type { SundialClient } from "../api.js";
import { issuesOf, messageOf } from "../errors.js";
import { followEngine } from "./follow-engine.js";
import { ChannelsState } from "./channels.svelte.js";

export class SettingsState {
  view = $state.raw<SettingsView | null>(null);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  /** What is wrong with the last change of a setting, by key (the engine's words). */
  errors = $state<Partial<Record<SettingKey, string>>>({});
  /** Keys being saved right now. */
  saving = $state<Partial<Record<SettingKey, boolean>>>({});

  /** The channels, shown on the same page. */
  readonly channels: ChannelsState;

  readonly #client: SundialClient;

  constructor(client: SundialClient) {
    this.#client = client;
    this.channels = new ChannelsState(client);
  }

  /** The page's colours: system until the engine said otherwise. */
  get theme(): Theme {
    return this.view?.values.theme ?? DEFAULT_THEME;
  }

  /** How the page writes times: system until the engine said otherwise. */
  get timeFormat(): TimeFormat {
    return this.view?.values["time-format"] ?? DEFAULT_TIME_FORMAT;
  }

  /** Loads the settings and follows changes (reloading after a reconnect); returns stop. */
  start(): () => void {
    return followEngine(this.#client, this);
  }

  async load(): Promise<void> {
    try {
      this.view = await this.#client.getSettings();
      this.loadError = null;
      this.loaded = true;
      void this.channels.load();
    } catch (error) {
      this.loadError = messageOf(error);
    }
  }

  handleEvent(event: SchedulerEvent): void {
    if (event.type === "settings.changed") {
      this.view = event.settings;
      void this.channels.load();
    }
  }

  /** Saves one setting; a refused value stays unsaved and its error shows at the field. */
  async change(change: SettingsChange): Promise<void> {
    const keys = Object.keys(change) as SettingKey[];
    this.saving = { ...this.saving, ...Object.fromEntries(keys.map((key) => [key, true])) };
    try {
      this.view = await this.#client.updateSettings(change);
      this.errors = Object.fromEntries(Object.entries(this.errors).filter(([key]) => !keys.includes(key as SettingKey)));
    } catch (error) {
      const issues = issuesOf(error);
      const next = { ...this.errors };
      if (issues) for (const issue of issues) next[issue.field as SettingKey] = issue.message;
      else for (const key of keys) next[key] = messageOf(error);
      this.errors = next;
    } finally {
      this.saving = Object.fromEntries(Object.entries(this.saving).filter(([key]) => !keys.includes(key as SettingKey)));
    }
  }
}
