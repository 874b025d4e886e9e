/** The event sources every engine runs (see event-source.ts for how to add one). */
import { afterSource } from "./after-source.js";
import type { EventSourceFactory } from "./event-source.js";
import { startupSource } from "./startup-source.js";
import { wakeSource } from "./wake-source.js";
import { watchSource } from "./watch-source.js";

export type { EventSource, EventSourceFactory, EventSourceHost } from "./event-source.js";

export const DEFAULT_EVENT_SOURCES: readonly EventSourceFactory[] = [startupSource, wakeSource, watchSource, afterSource];
