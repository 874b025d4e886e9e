import { describe, expect, it } from "vitest";
import { formatInZone, systemTimeZone } from "../../electron/shared/civil-time.js";
import type { TriggerSpec } from "../../electron/shared/schemas.js";
import { describeTrigger, describeTriggers, eventOnlyNextWords, triggerNoun, triggerSource, triggerWithZone, triggerZone, triggersZone, type ScheduleWordsOptions } from "../../electron/shared/trigger-kinds.js";

const ISO: ScheduleWordsOptions = { localZone: "UTC", formatInstant: formatInZone };
const ANCHOR = "2026-01-01T00:00:00Z";

describe("the zone a trigger runs in", () => {
  it("is a cron job's own zone, else the system zone", () => {
    expect(triggerZone({ type: "cron", version: 1, expression: "0 3 * * *", timezone: "Asia/Tokyo" })).toBe("Asia/Tokyo");
    expect(triggerZone({ type: "cron", version: 1, expression: "0 3 * * *" })).toBe(systemTimeZone());
    expect(triggerZone({ type: "interval", version: 1, everySeconds: 60 })).toBe(systemTimeZone());
    expect(triggerZone({ type: "date", version: 1, at: ANCHOR })).toBe(systemTimeZone());
  });

  it("moves with --tz only for a kind that has a zone", () => {
    expect(triggerWithZone({ type: "cron", version: 1, expression: "0 3 * * *" }, "Europe/Paris")).toEqual({ type: "cron", version: 1, expression: "0 3 * * *", timezone: "Europe/Paris" });
    expect(triggerWithZone({ type: "interval", version: 1, everySeconds: 60 }, "Europe/Paris")).toBeNull();
    expect(triggerWithZone({ type: "date", version: 1, at: ANCHOR }, "Europe/Paris")).toBeNull();
    expect(triggerNoun({ type: "date" })).toBe("a date");
    expect(triggerNoun({ type: "interval" })).toBe("an interval");
  });
});

describe("a trigger in words", () => {
  it("names a cron job's zone only when it is not the reader's", () => {
    const trigger: TriggerSpec = { type: "cron", version: 1, expression: "30 2 * * *", timezone: "America/New_York" };
    expect(describeTrigger(trigger, ISO)).toBe("At 02:30 (America/New_York)");
    expect(describeTrigger(trigger, { ...ISO, localZone: "America/New_York" })).toBe("At 02:30");
    expect(triggerSource(trigger)).toBe("30 2 * * *");
  });

  it.each([
    [300, "Every 5 minutes"],
    [60, "Every minute"],
    [3600, "Every hour"],
    [5400, "Every 1 hour 30 minutes"],
    [10, "Every 10 seconds"],
  ])("reads an interval of %i seconds as %j", (everySeconds, text) => {
    const trigger: TriggerSpec = { type: "interval", version: 1, everySeconds, anchor: ANCHOR };
    expect(describeTrigger(trigger, ISO)).toBe(text);
    expect(triggerSource(trigger)).toBeNull();
  });

  it("mentions an interval's window and jitter, instants as the face writes them", () => {
    const trigger: TriggerSpec = { type: "interval", version: 1, everySeconds: 300, start: ANCHOR, end: "2026-02-01T00:00:00Z", jitterSeconds: 30 };
    const zone = systemTimeZone();
    expect(describeTrigger(trigger, ISO)).toBe(
      `Every 5 minutes from ${formatInZone(Date.parse(ANCHOR), zone)} until ${formatInZone(Date.parse("2026-02-01T00:00:00Z"), zone)}, up to 30 seconds late (jitter)`,
    );
    expect(describeTrigger(trigger, { ...ISO, formatInstant: () => "then" })).toBe("Every 5 minutes from then until then, up to 30 seconds late (jitter)");
  });

  it("reads a date as once at its instant, and a stored text that is not one as it is", () => {
    expect(describeTrigger({ type: "date", version: 1, at: ANCHOR }, ISO)).toBe(`Once at ${formatInZone(Date.parse(ANCHOR), systemTimeZone())}`);
    expect(describeTrigger({ type: "date", version: 1, at: "someday" }, ISO)).toBe("Once at someday");
  });
});

describe("a job's triggers in words (issue 15)", () => {
  it("joins several triggers into one phrase, events in everyday words", () => {
    const words = describeTriggers(
      [
        { type: "cron", version: 1, expression: "0 9 * * 1-5" },
        { type: "startup", version: 1 },
        { type: "wake", version: 1, delaySeconds: 30 },
      ],
      ISO,
    );
    expect(words).toBe("At 09:00, Monday through Friday, and at login, and on wake (after 30 seconds)");
  });

  it("says an event-only job's events, the parent of a chain by name, and a manual job as such", () => {
    const jobName = (id: string) => (id === "j_1" ? "backup" : undefined);
    expect(describeTriggers([{ type: "after", version: 1, job: "j_1", on: "success" }], { ...ISO, jobName })).toBe("after backup succeeds");
    expect(describeTriggers([{ type: "after", version: 1, job: "j_1", on: "failure" }], { ...ISO, jobName })).toBe("after backup fails");
    expect(describeTriggers([{ type: "after", version: 1, job: "j_2", on: "always" }], { ...ISO, jobName })).toBe("after j_2 ends");
    expect(describeTriggers([{ type: "watch", version: 1, path: "/home/ada/Documents", debounceSeconds: 2 }], ISO)).toBe("on change in /home/ada/Documents");
    expect(describeTriggers([], ISO)).toBe("Manual (Run now, the tray, or a chain)");
    expect(describeTriggers([{ type: "interval", version: 1, everySeconds: 600 }, { type: "interval", version: 1, everySeconds: 3600 }], ISO)).toBe("Every 10 minutes, and every hour");
  });

  it("a job's zone is its first time trigger's; event kinds have none of their own", () => {
    expect(triggersZone([{ type: "startup", version: 1 }, { type: "cron", version: 1, expression: "0 3 * * *", timezone: "Asia/Tokyo" }])).toBe("Asia/Tokyo");
    expect(triggersZone([{ type: "wake", version: 1 }])).toBe(systemTimeZone());
    expect(triggerWithZone({ type: "startup", version: 1 }, "Asia/Tokyo")).toBeNull();
  });
});

describe("what a job with no clock time shows as its next run", () => {
  const names = (id: string) => ({ j_1: "backup" })[id];

  it("says the event it waits for: at login, on wake, on change, after its parent", () => {
    expect(eventOnlyNextWords([{ type: "startup", version: 1 }])).toBe("at login");
    expect(eventOnlyNextWords([{ type: "wake", version: 1, delaySeconds: 30 }])).toBe("on wake");
    expect(eventOnlyNextWords([{ type: "watch", version: 1, path: "/home/me/Documents", debounceSeconds: 2 }])).toBe("on change");
    expect(eventOnlyNextWords([{ type: "after", version: 1, job: "j_1", on: "success" }], { jobName: names })).toBe("after backup");
    expect(eventOnlyNextWords([{ type: "after", version: 1, job: "j_gone", on: "always" }], { jobName: names })).toBe("after j_gone");
  });

  it("joins several events once each, and has nothing to say for a timed or a manual job", () => {
    const watches: TriggerSpec[] = [
      { type: "watch", version: 1, path: "/a", debounceSeconds: 2 },
      { type: "watch", version: 1, path: "/b", debounceSeconds: 2 },
      { type: "startup", version: 1 },
    ];
    expect(eventOnlyNextWords(watches)).toBe("on change or at login");
    expect(eventOnlyNextWords([{ type: "startup", version: 1 }, { type: "cron", version: 1, expression: "0 9 * * 1-5" }])).toBeNull();
    expect(eventOnlyNextWords([])).toBeNull();
  });
});
