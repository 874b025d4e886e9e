/**
 * Deliveries off the engine's path (issue 16): a bounded queue, one lane per destination (a
 * channel, or one job's ping URL) so a destination's deliveries arrive in order (a ping's
 * `/start` before its end) and a dead one never holds up another, retries with exponential
 * backoff, and the health of each destination for `status` and the UI. Nothing here is awaited
 * by a run: `enqueue` returns at once.
 */
import type { DeliveryHealth } from "../../shared/channels.js";
import type { Clock, TimerHandle } from "../clock.js";
import { DeliveryError } from "./senders.js";

/** One thing to send. `send` resolves with what happened in words, or throws (a DeliveryError's words are safe to log). */
export interface Delivery {
  /** The destination: deliveries with one key go out in order, one at a time. */
  key: string;
  /** The destination in words, for the log (`channel "hook"`); never a URL. */
  label: string;
  /** What it is about, for the log (`run.failed of "backup"`). */
  about: string;
  send: () => Promise<string>;
}

export interface DeliveryQueueOptions {
  clock: Clock;
  log: (line: string) => void;
  /** Deliveries waiting across every destination; past it the oldest waiting one is dropped (counted). */
  maxQueued?: number;
  /** Tries per delivery, the first included. */
  maxAttempts?: number;
  /** The wait before the first retry; doubled for each next one, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** At most this many deliveries wait; a burst past it loses its oldest (each loss counted in `dropped`). */
export const MAX_QUEUED_DELIVERIES = 500;
/** 1 try and 5 retries, 1 s, 2 s, 4 s, 8 s and 16 s apart: half a minute of a receiver being down. */
export const DELIVERY_ATTEMPTS = 6;
export const DELIVERY_BACKOFF_MS = 1_000;
export const DELIVERY_MAX_BACKOFF_MS = 60_000;

interface Item {
  delivery: Delivery;
  seq: number;
  attempts: number;
}

interface Lane {
  items: Item[];
  /** The head item is being sent, or waits for its retry. */
  busy: boolean;
  timer: TimerHandle | null;
}

interface Health {
  lastDeliveredAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastFailed: boolean;
  failed: number;
  dropped: number;
}

export class DeliveryQueue {
  readonly #lanes = new Map<string, Lane>();
  readonly #health = new Map<string, Health>();
  readonly #options: Required<DeliveryQueueOptions>;
  #seq = 0;
  #waiting = 0;
  #stopped = false;
  readonly #idle = new Set<() => void>();

  constructor(options: DeliveryQueueOptions) {
    this.#options = {
      maxQueued: MAX_QUEUED_DELIVERIES,
      maxAttempts: DELIVERY_ATTEMPTS,
      backoffMs: DELIVERY_BACKOFF_MS,
      maxBackoffMs: DELIVERY_MAX_BACKOFF_MS,
      ...options,
    };
  }

  /** Queues a delivery and returns at once. */
  enqueue(delivery: Delivery): void {
    if (this.#stopped) return;
    if (this.#waiting >= this.#options.maxQueued) this.#dropOldest();
    let lane = this.#lanes.get(delivery.key);
    if (!lane) this.#lanes.set(delivery.key, (lane = { items: [], busy: false, timer: null }));
    lane.items.push({ delivery, seq: this.#seq++, attempts: 0 });
    this.#waiting++;
    this.#pump(delivery.key, lane);
  }

  /** How deliveries to `key` have gone. */
  health(key: string): DeliveryHealth {
    const health = this.#health.get(key);
    const pending = this.#lanes.get(key)?.items.length ?? 0;
    if (!health) return { state: "idle", lastDeliveredAt: null, lastError: null, lastErrorAt: null, pending, failed: 0, dropped: 0 };
    return {
      state: health.lastFailed ? "failing" : health.lastDeliveredAt !== null ? "ok" : "idle",
      lastDeliveredAt: iso(health.lastDeliveredAt),
      lastError: health.lastError,
      lastErrorAt: iso(health.lastErrorAt),
      pending,
      failed: health.failed,
      dropped: health.dropped,
    };
  }

  /** Records an answer seen outside the queue (`channel test`): null for a delivery, else the failure in words. */
  record(key: string, failure: string | null): void {
    const health = this.#healthOf(key);
    const now = this.#options.clock.now();
    if (failure === null) {
      health.lastDeliveredAt = now;
      health.lastFailed = false;
    } else {
      health.lastError = failure;
      health.lastErrorAt = now;
      health.lastFailed = true;
    }
  }

  /** Forgets a destination that no longer exists (a removed channel): its waiting deliveries are dropped. */
  forget(key: string): void {
    const lane = this.#lanes.get(key);
    if (lane) {
      if (lane.timer) this.#options.clock.clearTimer(lane.timer);
      this.#waiting -= lane.items.length;
      this.#lanes.delete(key);
    }
    this.#health.delete(key);
    this.#notifyIdle();
  }

  /** Resolves once nothing is waiting (tests, and a clean stop that wants to wait a little). */
  idle(): Promise<void> {
    if (this.#waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Stops retrying; what still waits is logged as not delivered. */
  stop(): void {
    this.#stopped = true;
    for (const [key, lane] of this.#lanes) {
      if (lane.timer) this.#options.clock.clearTimer(lane.timer);
      if (lane.items.length > 0) this.#options.log(`${lane.items[0]!.delivery.label}: ${lane.items.length} deliver${lane.items.length === 1 ? "y" : "ies"} not sent (Sundial stopped)`);
      this.#lanes.delete(key);
    }
    this.#waiting = 0;
    this.#notifyIdle();
  }

  #pump(key: string, lane: Lane): void {
    if (lane.busy || this.#stopped) return;
    const item = lane.items[0];
    if (!item) {
      this.#lanes.delete(key);
      return;
    }
    lane.busy = true;
    item.attempts++;
    const health = this.#healthOf(key);
    // A sender that throws synchronously is a failed attempt like any other.
    Promise.resolve()
      .then(() => item.delivery.send())
      .then(
        () => {
          health.lastDeliveredAt = this.#options.clock.now();
          health.lastFailed = false;
          this.#finish(key, lane, item);
        },
        (error: unknown) => {
          const words = error instanceof DeliveryError ? error.message : "could not deliver";
          if (!(error instanceof DeliveryError)) this.#options.log(`${item.delivery.label}: ${(error as Error)?.message ?? String(error)}`);
          health.lastError = words;
          health.lastErrorAt = this.#options.clock.now();
          health.lastFailed = true;
          if (this.#lanes.get(key) !== lane || this.#stopped) return;
          if (item.attempts >= this.#options.maxAttempts) {
            health.failed++;
            this.#options.log(`${item.delivery.label}: gave up on ${item.delivery.about} after ${item.attempts} tries: ${words}`);
            this.#finish(key, lane, item);
            return;
          }
          const wait = Math.min(this.#options.backoffMs * 2 ** (item.attempts - 1), this.#options.maxBackoffMs);
          this.#options.log(`${item.delivery.label}: ${item.delivery.about} not delivered (${words}); try ${item.attempts + 1} of ${this.#options.maxAttempts} in ${Math.round(wait / 100) / 10} s`);
          lane.timer = this.#options.clock.setTimer(() => {
            lane.timer = null;
            lane.busy = false;
            this.#pump(key, lane);
          }, wait);
        },
      );
  }

  #finish(key: string, lane: Lane, item: Item): void {
    if (this.#lanes.get(key) !== lane) return;
    const index = lane.items.indexOf(item);
    if (index >= 0) {
      lane.items.splice(index, 1);
      this.#waiting--;
    }
    lane.busy = false;
    this.#pump(key, lane);
    this.#notifyIdle();
  }

  /** Drops the oldest delivery that is not being sent right now (counted on its destination). */
  #dropOldest(): void {
    let oldest: { key: string; lane: Lane; index: number; seq: number } | null = null;
    for (const [key, lane] of this.#lanes) {
      const index = lane.busy ? 1 : 0;
      const item = lane.items[index];
      if (item && (oldest === null || item.seq < oldest.seq)) oldest = { key, lane, index, seq: item.seq };
    }
    if (!oldest) return;
    const [item] = oldest.lane.items.splice(oldest.index, 1);
    this.#waiting--;
    this.#healthOf(oldest.key).dropped++;
    this.#options.log(`${item!.delivery.label}: dropped ${item!.delivery.about}: more than ${this.#options.maxQueued} deliveries were waiting`);
  }

  #healthOf(key: string): Health {
    let health = this.#health.get(key);
    if (!health) this.#health.set(key, (health = { lastDeliveredAt: null, lastError: null, lastErrorAt: null, lastFailed: false, failed: 0, dropped: 0 }));
    return health;
  }

  #notifyIdle(): void {
    if (this.#waiting > 0) return;
    for (const resolve of this.#idle) resolve();
    this.#idle.clear();
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
