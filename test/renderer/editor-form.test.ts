// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { blankValues, fieldProblemText, inputFromValues, localErrors, patchFromValues, presetTimeOf, valuesFromJob, withPresetTime, type EditorValues } from "../../renderer/src/lib/editor-form.js";
import { makeJob } from "./support.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function form(overrides: Partial<EditorValues>): EditorValues {
  return { ...blankValues("Europe/Paris"), name: "backup", command: "rsync -a ~/ /mnt", ...overrides };
}

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
    });
  });

  it("leaves notify out of a new job unless one is chosen (the job then follows the default-notify setting)", () => {
    expect(inputFromValues(form({ scheduleType: "interval", every: "1h" }), "Europe/Paris", null)).not.toHaveProperty("notify");
    expect(inputFromValues(form({ scheduleType: "interval", every: "1h", notify: "always" }), "Europe/Paris", null).notify).toBe("always");
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

describe("an interval's window and jitter in the form", () => {
  it("reads start and end in the interval's zone (this computer's) and jitter as a duration", () => {
    const values = form({ scheduleType: "interval", every: "1h", intervalStart: "2026-07-01T08:00", intervalEnd: "2026-07-31T18:00", jitter: "5m" });
    expect(localErrors(values, NOW)).toEqual({});
    expect(inputFromValues(values, "Europe/Paris", null).trigger).toEqual({
      type: "interval",
      everySeconds: 3600,
      start: "2026-07-01T08:00:00+02:00",
      end: "2026-07-31T18:00:00+02:00",
      jitterSeconds: 300,
    });
    expect(inputFromValues(form({ scheduleType: "interval", jitter: "0" }), "Europe/Paris", null).trigger).toEqual({ type: "interval", everySeconds: 3600 });
  });

  it("names a jitter or a date that cannot be read", () => {
    expect(localErrors(form({ scheduleType: "interval", jitter: "soon", intervalEnd: "2026-02-30T08:00" }), NOW)).toEqual({
      "trigger.jitterSeconds": '"soon" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
      "trigger.end": "must be a date and time",
    });
  });

  it("fills the fields from a job and saves them unchanged when untouched", () => {
    const trigger = { type: "interval" as const, version: 1 as const, everySeconds: 3600, anchor: "2026-07-01T06:00:00.000Z", start: "2026-07-01T06:00:00.000Z", end: "2026-07-31T16:00:00.000Z", jitterSeconds: 90 };
    const job = makeJob({ name: "tick", trigger });
    const values = valuesFromJob(job, "Europe/Paris");
    expect([values.intervalStart, values.intervalEnd, values.jitter]).toEqual(["2026-07-01T08:00", "2026-07-31T18:00", "1m30s"]);
    expect(patchFromValues(values, "Europe/Paris", job)).toEqual({});
  });

  it("moves the anchor with a new start, and keeps it while the start stays", () => {
    const job = makeJob({ name: "tick", trigger: { type: "interval", version: 1, everySeconds: 3600, anchor: "2026-07-01T06:00:00.000Z", start: "2026-07-01T06:00:00.000Z" } });
    const values = valuesFromJob(job, "UTC");
    expect(patchFromValues({ ...values, every: "2h" }, "UTC", job).trigger).toMatchObject({ anchor: "2026-07-01T06:00:00.000Z" });
    const moved = patchFromValues({ ...values, intervalStart: "2026-07-02T09:30" }, "UTC", job).trigger;
    expect(moved).toEqual({ type: "interval", everySeconds: 3600, start: "2026-07-02T09:30:00+00:00" });
  });
});

describe("the zone field and the preset picker as data", () => {
  it("takes a zone typed as its city", () => {
    const values = form({ cronExpression: "0 9 * * *", timezone: "new york" });
    expect(localErrors(values, NOW)).toEqual({});
    expect(inputFromValues(values, "Europe/Paris", null).trigger).toEqual({ type: "cron", expression: "0 9 * * *", timezone: "America/New_York" });
    expect(localErrors(form({ cronExpression: "0 9 * * *", timezone: "Indiana" }), NOW)).toEqual({ "trigger.timezone": 'unknown time zone "Indiana"' });
  });

  it("reads the time of day an expression names, and moves it keeping the days", () => {
    expect(presetTimeOf("30 8 * * 1-5")).toBe("08:30");
    expect(presetTimeOf("0 21 1 * *")).toBe("21:00");
    expect(presetTimeOf("*/5 * * * *")).toBeNull();
    expect(presetTimeOf("0 9,17 * * *")).toBeNull();
    expect(presetTimeOf("0 0 9 * * *")).toBeNull();
    expect(withPresetTime("30 8 * * 1-5", "07:15")).toBe("15 7 * * 1-5");
    expect(withPresetTime("*/5 * * * *", "07:15")).toBeNull();
  });

  it("words each field's problem with the field's name", () => {
    expect(fieldProblemText("trigger.at", "is in the past")).toBe("Run at is in the past");
    expect(fieldProblemText("trigger.jitterSeconds", "must be shorter than the interval")).toBe("Jitter must be shorter than the interval");
    expect(fieldProblemText("env.1BAD", "must be a variable name (letters, digits, _)")).toBe("Variable 1BAD must be a variable name (letters, digits, _)");
  });
});

describe("the editor's Tags field (issue 17)", () => {
  it("reads a job's tags as one line, and saves only a change to them", () => {
    const job = makeJob({ name: "backup", tags: ["backup", "nightly"] });
    const values = valuesFromJob(job, "Europe/Paris");
    expect(values.tags).toBe("backup, nightly");
    expect(patchFromValues(values, "Europe/Paris", job)).toEqual({});
    expect(patchFromValues({ ...values, tags: "backup ,, work " }, "Europe/Paris", job)).toEqual({ tags: ["backup", "work"] });
    expect(patchFromValues({ ...values, tags: "" }, "Europe/Paris", job)).toEqual({ tags: [] });
    // A job stored before tags existed has none: an empty field changes nothing.
    const older = makeJob({ name: "older" });
    expect(patchFromValues(valuesFromJob(older, "Europe/Paris"), "Europe/Paris", older)).toEqual({});
  });

  it("refuses a tag given twice or too long, as the engine would", () => {
    expect(localErrors(form({ cronExpression: "@daily", tags: "work, Work" }), NOW)).toEqual({ tags: '"Work" is given twice' });
    expect(localErrors(form({ cronExpression: "@daily", tags: "t".repeat(41) }), NOW)).toEqual({ tags: `"${"t".repeat(41)}" must be at most 40 characters` });
    expect(inputFromValues(form({ cronExpression: "@daily", tags: " a, b " }), "Europe/Paris", null).tags).toEqual(["a", "b"]);
  });
});
