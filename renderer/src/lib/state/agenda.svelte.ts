/**
 * The Agenda page (issue 17): every job's runs to come, day by day, as the engine computes
 * them (the same as `sundial agenda`). Read again when a job changes, the pause changes or a
 * run starts (debounced: an import adds hundreds of jobs at once), and after a reconnect.
 */
import { DEFAULT_AGENDA_DAYS, type Agenda, type SchedulerEvent } from "../../../../electron/shared/contract.js";
import type { SundialClient } from "../api.js";
import { messageOf } from "../errors.js";
import { followEngine, type FollowedState } from "./follow-engine.js";

export type AgendaClient = Pick<SundialClient, "agenda" | "subscribe" | "onConnectionChange">;

/** The day counts the page offers. */
export const AGENDA_DAY_CHOICES = [1, 3, 7, 14, 31] as const;

const RELOAD_DELAY_MS = 200;

export class AgendaState implements FollowedState {
  agenda = $state.raw<Agenda | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);
  #days = $state<number>(DEFAULT_AGENDA_DAYS);
  #reload: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly client: AgendaClient) {}

  get days(): number {
    return this.#days;
  }

  set days(days: number) {
    this.#days = days;
    void this.load();
  }

  start(): () => void {
    const stop = followEngine(this.client, this);
    return () => {
      stop();
      if (this.#reload) clearTimeout(this.#reload);
    };
  }

  async load(): Promise<void> {
    try {
      this.agenda = await this.client.agenda({ days: this.#days });
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  handleEvent(event: SchedulerEvent): void {
    // A run starting means the schedule moved on: a busy job's next runs (past the 24 of a day
    // listed) come into view.
    switch (event.type) {
      case "job.added":
      case "job.updated":
      case "job.removed":
      case "engine.paused":
      case "engine.resumed":
      case "run.started":
        this.#reloadSoon();
        break;
      default:
        break;
    }
  }

  #reloadSoon(): void {
    if (this.#reload) return;
    this.#reload = setTimeout(() => {
      this.#reload = null;
      void this.load();
    }, RELOAD_DELAY_MS);
  }
}
