/**
 * The channels on the Settings page (issue 16): listed masked with their health, added,
 * removed and tested. Reloaded when the settings change (another face added or removed one).
 */
import type { ChannelInput, ChannelTestResult, ChannelView } from "../../../../electron/shared/channels.js";
import type { FieldIssue } from "../../../../electron/shared/errors.js";
import type { SundialClient } from "../api.js";
import { issuesOf, messageOf } from "../errors.js";

export class ChannelsState {
  list = $state.raw<ChannelView[]>([]);
  loadError = $state<string | null>(null);
  /** The last add's problems, each naming its field (`url`, `name`…). */
  addIssues = $state.raw<FieldIssue[]>([]);
  adding = $state(false);
  /** Per channel: the last test's result, or why a removal was refused. */
  notes = $state<Record<string, { ok: boolean; text: string }>>({});

  readonly #client: SundialClient;

  constructor(client: SundialClient) {
    this.#client = client;
  }

  async load(): Promise<void> {
    try {
      this.list = await this.#client.listChannels();
      this.loadError = null;
    } catch (error) {
      this.loadError = messageOf(error);
    }
  }

  /** True when added; else `addIssues` says why. */
  async add(input: ChannelInput): Promise<boolean> {
    this.adding = true;
    try {
      await this.#client.addChannel(input);
      this.addIssues = [];
      await this.load();
      return true;
    } catch (error) {
      this.addIssues = issuesOf(error) ?? [{ field: "channel", message: messageOf(error) }];
      return false;
    } finally {
      this.adding = false;
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.#client.removeChannel(name);
      await this.load();
    } catch (error) {
      this.#note(name, false, issuesOf(error)?.map((issue) => issue.message).join("; ") ?? messageOf(error));
    }
  }

  async test(name: string): Promise<ChannelTestResult | null> {
    try {
      const result = await this.#client.testChannel(name);
      this.#note(name, result.ok, `${result.ok ? "Delivered" : "Not delivered"}: ${result.detail}`);
      await this.load();
      return result;
    } catch (error) {
      this.#note(name, false, messageOf(error));
      return null;
    }
  }

  #note(name: string, ok: boolean, text: string): void {
    this.notes = { ...this.notes, [name]: { ok, text } };
  }
}
