// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { blankValues, inputFromValues, localErrors, patchFromValues, valuesFromJob, type EditorValues } from "../../renderer/src/lib/editor-form.js";
import { formatIsoInZone, isoToWallTime, wallTimeToIso } from "../../renderer/src/lib/zoned-time.js";
import { makeJob } from "./support.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function form(overrides: Partial<EditorValues>): EditorValues {
  return { ...blankValues("Europe/Paris"), name: "backup", command: "rsync -a ~/ /mnt", ...overrides };
}

describe("wall time in a zone", () => {
  it("reads a datetime-local value in the job's zone, with that zone's offset", () => {
    expect(wallTimeToIso("2026-07-01T09:30", "Europe/Paris")).toBe("2026-07-01T09:30:00+02:00");
    expect(wallTimeToIso("2026-01-01T09:30", "Europe/Paris")).toBe("2026-01-01T09:30:00+01:00");
    expect(wallTimeToIso("2026-01-01T09:30", "America/New_York")).toBe("2026-01-01T09:30:00-05:00");
    expect(wallTimeToIso("not a time", "UTC")).toBeNull();
  });

  it("moves a time in the spring-forward gap to just after the jump", () => {
    // 02:30 does not exist in Paris on 2026-03-29 (02:00 → 03:00).
    expect(wallTimeToIso("2026-03-29T02:30", "Europe/Paris")).toBe("2026-03-29T03:30:00+02:00");
  });

  it("goes back from an instant to the wall time", () => {
    expect(isoToWallTime("2026-07-01T07:30:00Z", "Europe/Paris")).toBe("2026-07-01T09:30");
    expect(formatIsoInZone(Date.parse("2026-07-01T07:30:00Z"), "UTC")).toBe("2026-07-01T07:30:00+00:00");
  });
});

describe("the editor form as data", () => {
  it("asks for a name, a command and a schedule", () => {
    expect(localErrors(form({ name: " ", command: "", cronExpression: "" }), NOW)).toEqual({
      name: "must not be empty",
      command: "must not be empty",
      "trigger.expression": "must not be empty",
    });
  });

  it("turns an interval typed as 1h30m into everySeconds", () => {
    const values = form({ scheduleType: "interval", every: "1h30m" });
    expect(localErrors(values, NOW)).toEqual({});
    expect(inputFromValues(values, "Europe/Paris", null)).toEqual({
      name: "backup",
      trigger: { type: "interval", everySeconds: 5400 },
      command: "rsync -a ~/ /mnt",
      env: {},
      overlap: "skip",
      catchUp: "once",
      retries: { count: 0, delaySeconds: 60, backoff: 1 },
      notify: "failure",
    });
  });

  it("names the interval field when the duration cannot be read", () => {
    expect(localErrors(form({ scheduleType: "interval", every: "5 minutes" }), NOW)).toEqual({
      "trigger.everySeconds": '"5 minutes" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
    });
  });

  it("turns Run at into an instant in the chosen zone, and refuses the past", () => {
    const values = form({ scheduleType: "once", runAt: "2026-07-01T09:30", timezone: "Asia/Tokyo" });
    expect(inputFromValues(values, "Europe/Paris", null).trigger).toEqual({ type: "date", at: "2026-07-01T09:30:00+09:00" });
    expect(localErrors(form({ scheduleType: "once", runAt: "2026-02-01T09:30" }), NOW)).toEqual({ "trigger.at": "is in the past" });
    expect(localErrors(form({ scheduleType: "once", runAt: "" }), NOW)).toEqual({ "trigger.at": "is required" });
  });

  it("leaves the system zone implicit and keeps a chosen one", () => {
    expect(inputFromValues(form({ cronExpression: "0 3 * * *" }), "Europe/Paris", null).trigger).toEqual({ type: "cron", expression: "0 3 * * *" });
    expect(inputFromValues(form({ cronExpression: "0 3 * * *", timezone: "UTC" }), "Europe/Paris", null).trigger).toEqual({
      type: "cron",
      expression: "0 3 * * *",
      timezone: "UTC",
    });
    expect(localErrors(form({ cronExpression: "0 3 * * *", timezone: "Mars/Base" }), NOW)).toEqual({ "trigger.timezone": 'unknown time zone "Mars/Base"' });
  });

  it("checks environment rows and skips empty ones", () => {
    const env = [
      { id: 1, key: "GOOD_1", value: "x" },
      { id: 2, key: "", value: "" },
      { id: 3, key: "bad key", value: "y" },
      { id: 4, key: "GOOD_1", value: "z" },
    ];
    expect(localErrors(form({ cronExpression: "@daily", env }), NOW)).toEqual({
      "env.bad key": "must be a variable name (letters, digits, _)",
      "env.GOOD_1": "is set twice",
    });
    const fine = form({ cronExpression: "@daily", env: [env[0]!, env[1]!] });
    expect(inputFromValues(fine, "Europe/Paris", null).env).toEqual({ GOOD_1: "x" });
  });

  it("reads timeout, retries and retry delay as durations and counts", () => {
    const values = form({ cronExpression: "@daily", timeout: "30m", retries: "3", retryDelay: "0" });
    const input = inputFromValues(values, "Europe/Paris", null);
    expect(input.timeoutSeconds).toBe(1800);
    expect(input.retries).toEqual({ count: 3, delaySeconds: 0, backoff: 1 });
    expect(localErrors(form({ cronExpression: "@daily", retries: "-1", timeout: "soon" }), NOW)).toEqual({
      "retries.count": "must be a whole number from 0 to 100",
      timeoutSeconds: '"soon" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
    });
  });

  it("patches only what changed, with null for a cleared field", () => {
    const job = makeJob({ name: "backup", cwd: "/srv", timeoutSeconds: 600, env: { A: "1" }, trigger: { type: "cron", version: 1, expression: "0 3 * * *" } });
    const values = valuesFromJob(job, "Europe/Paris");
    expect(patchFromValues(values, "Europe/Paris", job)).toEqual({});
    expect(patchFromValues({ ...values, cwd: "", command: "true", cronExpression: "0 4 * * *" }, "Europe/Paris", job)).toEqual({
      cwd: null,
      command: "true",
      trigger: { type: "cron", expression: "0 4 * * *" },
    });
  });

  it("keeps an interval's anchor when editing it", () => {
    const job = makeJob({ name: "tick", trigger: { type: "interval", version: 1, everySeconds: 300, anchor: "2026-01-01T00:00:00.000Z" } });
    const values = valuesFromJob(job, "UTC");
    expect(values.every).toBe("5m");
    expect(patchFromValues({ ...values, every: "10m" }, "UTC", job).trigger).toEqual({
      type: "interval",
      everySeconds: 600,
      anchor: "2026-01-01T00:00:00.000Z",
    });
  });
});
