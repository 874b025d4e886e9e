import type { SchedulerEvent } from "../shared/contract.js";

export type EventListener = (event: SchedulerEvent) => void;

/**
 * The core publishes; front ends subscribe. A failing listener is logged and never breaks
 * the engine or the other listeners.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: SchedulerEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log(`event listener failed on ${event.type}: ${(error as Error).message}`);
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
