// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  blankTriggerRow,
  blankValues,
  fieldProblemText,
  inputFromValues,
  localErrors,
  patchFromValues,
  presetTimeOf,
  valuesFromJob,
  withPresetTime,
  type EditorValues,
  type ScheduleType,
  type TriggerRow,
} from "../../renderer/src/lib/editor-form.js";
import { makeJob } from "./support.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");

/** A trigger row of `type` as typed into the editor (Europe/Paris is this computer's zone). */
function row(type: ScheduleType, typed: Partial<Omit<TriggerRow, "id" | "type">> = {}): TriggerRow {
  return { ...blankTriggerRow(type, "Europe/Paris"), ...typed };
}

/** A filled-in form; `rows` are its triggers (default: one cron row, as a new job opens). */
function form(overrides: Partial<EditorValues>, ...rows: TriggerRow[]): EditorValues {
  const values = { ...blankValues("Europe/Paris"), name: "backup", command: "rsync -a ~/ /mnt", ...overrides };
  return rows.length > 0 ? { ...values, triggers: rows } : values;
}

/** The one trigger the form sends. */
function onlyTrigger(values: EditorValues): unknown {
  const { triggers } = inputFromValues(values, "Europe/Paris", null);
  expect(triggers).toHaveLength(1);
  return triggers[0];
}

describe("the editor form as data", () => {
  it("asks for a name, a command and a schedule", () => {
    expect(localErrors(form({ name: " ", command: "" }, row("cron", { cronExpression: "" })), NOW)).toEqual({
      name: "must not be empty",
      command: "must not be empty",
      "triggers[0].expression": "must not be empty",
    });
  });

  it("turns an interval typed as 1h30m into everySeconds, and sends the triggers as a list", () => {
    const values = form({}, row("interval", { every: "1h30m" }));
    expect(localErrors(values, NOW)).toEqual({});
    expect(inputFromValues(values, "Europe/Paris", null)).toEqual({
      name: "backup",
      triggers: [{ type: "interval", everySeconds: 5400 }],
      command: "rsync -a ~/ /mnt",
      env: {},
      overlap: "skip",
      catchUp: "once",
      retries: { count: 0, delaySeconds: 60, backoff: 1 },
    });
  });

  it("leaves notify out of a new job unless one is chosen (the job then follows the default-notify setting)", () => {
    expect(inputFromValues(form({}, row("interval")), "Europe/Paris", null)).not.toHaveProperty("notify");
    expect(inputFromValues(form({ notify: "always" }, row("interval")), "Europe/Paris", null).notify).toBe("always");
  });

  it("names the interval field when the duration cannot be read", () => {
    expect(localErrors(form({}, row("interval", { every: "5 minutes" })), NOW)).toEqual({
      "triggers[0].everySeconds": '"5 minutes" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
    });
  });

  it("turns Run at into an instant in the chosen zone, and refuses the past", () => {
    expect(onlyTrigger(form({}, row("once", { runAt: "2026-07-01T09:30", timezone: "Asia/Tokyo" })))).toEqual({ type: "date", at: "2026-07-01T09:30:00+09:00" });
    expect(localErrors(form({}, row("once", { runAt: "2026-02-01T09:30" })), NOW)).toEqual({ "triggers[0].at": "is in the past" });
    expect(localErrors(form({}, row("once", { runAt: "" })), NOW)).toEqual({ "triggers[0].at": "is required" });
  });

  it("leaves the system zone implicit and keeps a chosen one", () => {
    expect(onlyTrigger(form({}, row("cron", { cronExpression: "0 3 * * *" })))).toEqual({ type: "cron", expression: "0 3 * * *" });
    expect(onlyTrigger(form({}, row("cron", { cronExpression: "0 3 * * *", timezone: "UTC" })))).toEqual({ type: "cron", expression: "0 3 * * *", timezone: "UTC" });
    expect(localErrors(form({}, row("cron", { cronExpression: "0 3 * * *", timezone: "Mars/Base" })), NOW)).toEqual({ "triggers[0].timezone": 'unknown time zone "Mars/Base"' });
  });

  it("checks environment rows and skips empty ones", () => {
    const env = [
      { id: 1, key: "GOOD_1", value: "x" },
      { id: 2, key: "", value: "" },
      { id: 3, key: "bad key", value: "y" },
      { id: 4, key: "GOOD_1", value: "z" },
    ];
    const daily = row("cron", { cronExpression: "@daily" });
    expect(localErrors(form({ env }, daily), NOW)).toEqual({
      "env.bad key": "must be a variable name (letters, digits, _)",
      "env.GOOD_1": "is set twice",
    });
    const fine = form({ env: [env[0]!, env[1]!] }, daily);
    expect(inputFromValues(fine, "Europe/Paris", null).env).toEqual({ GOOD_1: "x" });
  });

  it("reads timeout, retries and retry delay as durations and counts", () => {
    const daily = row("cron", { cronExpression: "@daily" });
    const input = inputFromValues(form({ timeout: "30m", retries: "3", retryDelay: "0" }, daily), "Europe/Paris", null);
    expect(input.timeoutSeconds).toBe(1800);
    expect(input.retries).toEqual({ count: 3, delaySeconds: 0, backoff: 1 });
    expect(localErrors(form({ retries: "-1", timeout: "soon" }, daily), NOW)).toEqual({
      "retries.count": "must be a whole number from 0 to 100",
      timeoutSeconds: '"soon" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
    });
  });

  it("patches only what changed, with null for a cleared field", () => {
    const job = makeJob({ name: "backup", cwd: "/srv", timeoutSeconds: 600, env: { A: "1" }, trigger: { type: "cron", version: 1, expression: "0 3 * * *" } });
    const values = valuesFromJob(job, "Europe/Paris");
    expect(patchFromValues(values, "Europe/Paris", job)).toEqual({});
    const edited = { ...values, cwd: "", command: "true", triggers: [{ ...values.triggers[0]!, cronExpression: "0 4 * * *" }] };
    expect(patchFromValues(edited, "Europe/Paris", job)).toEqual({
      cwd: null,
      command: "true",
      triggers: [{ type: "cron", expression: "0 4 * * *" }],
    });
  });

  it("keeps an interval's anchor when editing it", () => {
    const job = makeJob({ name: "tick", trigger: { type: "interval", version: 1, everySeconds: 300, anchor: "2026-01-01T00:00:00.000Z" } });
    const values = valuesFromJob(job, "UTC");
    expect(values.triggers[0]!.every).toBe("5m");
    expect(patchFromValues({ ...values, triggers: [{ ...values.triggers[0]!, every: "10m" }] }, "UTC", job).triggers).toEqual([
      { type: "interval", everySeconds: 600, anchor: "2026-01-01T00:00:00.000Z" },
    ]);
  });
});

describe("several triggers, event triggers and manual jobs in the form", () => {
  it("sends every row, in order: weekdays at 09:00 and at login", () => {
    const values = form({}, row("cron", { cronExpression: "0 9 * * 1-5" }), row("startup"));
    expect(localErrors(values, NOW)).toEqual({});
    expect(inputFromValues(values, "Europe/Paris", null).triggers).toEqual([{ type: "cron", expression: "0 9 * * 1-5" }, { type: "startup" }]);
  });

  it("reads a startup or wake delay, a watch's path, subfolders and quiet time, and an after's parent and outcome", () => {
    const values = form(
      {},
      row("startup", { delay: "30s" }),
      row("wake", { delay: "0" }),
      row("watch", { watchPath: " /home/me/Documents ", watchRecursive: true, watchDebounce: "5s" }),
      row("after", { afterJob: "j_backup", afterOn: "failure" }),
    );
    expect(localErrors(values, NOW)).toEqual({});
    expect(inputFromValues(values, "Europe/Paris", null).triggers).toEqual([
      { type: "startup", delaySeconds: 30 },
      { type: "wake" },
      { type: "watch", path: "/home/me/Documents", recursive: true, debounceSeconds: 5 },
      { type: "after", job: "j_backup", on: "failure" },
    ]);
    // The defaults a new row starts with: no delay, 2 s of quiet, on success.
    expect(inputFromValues(form({}, row("watch", { watchPath: "/srv/in" }), row("after", { afterJob: "j_1" })), "Europe/Paris", null).triggers).toEqual([
      { type: "watch", path: "/srv/in", debounceSeconds: 2 },
      { type: "after", job: "j_1", on: "success" },
    ]);
  });

  it("sends no trigger for a job without rows: a manual job", () => {
    const values = { ...form({}), triggers: [] };
    expect(localErrors(values, NOW)).toEqual({});
    expect(inputFromValues(values, "Europe/Paris", null).triggers).toEqual([]);
  });

  it("names the row of each problem, and the trigger in its words once there are several", () => {
    const values = form({}, row("cron", { cronExpression: "0 9 * * *" }), row("cron"), row("watch"), row("after"), row("wake", { delay: "soon" }));
    expect(localErrors(values, NOW)).toEqual({
      "triggers[1].expression": "must not be empty",
      "triggers[2].path": "must not be empty",
      "triggers[3].job": "must name a job",
      "triggers[4].delaySeconds": '"soon" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
    });
    expect(fieldProblemText("triggers[1].expression", "must not be empty", 5)).toBe("Trigger 2: Cron expression must not be empty");
    expect(fieldProblemText("triggers[1].job", "would form a cycle backup → upload → backup", 2)).toBe("Trigger 2: After job: would form a cycle backup → upload → backup");
    expect(fieldProblemText("triggers[1]", "is the same trigger as triggers[0]", 2)).toBe("Trigger 2 is the same trigger as triggers[0]");
    // With one trigger, the field alone names it, as the editor always did.
    expect(fieldProblemText("triggers[0].at", "is in the past", 1)).toBe("Run at is in the past");
  });

  it("fills one row per stored trigger and saves them unchanged when untouched", () => {
    const job = makeJob({ name: "sync", triggers: [] });
    const triggers = [
      { type: "cron" as const, version: 1 as const, expression: "0 9 * * 1-5" },
      { type: "startup" as const, version: 1 as const, delaySeconds: 60 },
      { type: "watch" as const, version: 1 as const, path: "/home/me/Documents", recursive: true, debounceSeconds: 2 },
      { type: "after" as const, version: 1 as const, job: "j_backup", on: "always" as const },
    ];
    const withTriggers = { ...job, triggers };
    const values = valuesFromJob(withTriggers, "Europe/Paris");
    expect(values.triggers.map((trigger) => trigger.type)).toEqual(["cron", "startup", "watch", "after"]);
    expect(values.triggers[1]!.delay).toBe("1m");
    expect(values.triggers[2]).toMatchObject({ watchPath: "/home/me/Documents", watchRecursive: true, watchDebounce: "2s" });
    expect(values.triggers[3]).toMatchObject({ afterJob: "j_backup", afterOn: "always" });
    expect(patchFromValues(values, "Europe/Paris", withTriggers)).toEqual({});
    // Removing a row replaces the whole list; removing them all makes the job manual.
    expect(patchFromValues({ ...values, triggers: values.triggers.slice(0, 2) }, "Europe/Paris", withTriggers).triggers).toEqual([
      { type: "cron", expression: "0 9 * * 1-5" },
      { type: "startup", delaySeconds: 60 },
    ]);
    expect(patchFromValues({ ...values, triggers: [] }, "Europe/Paris", withTriggers)).toEqual({ triggers: [] });
  });
});

describe("conditions in the form", () => {
  it("sends a window, some days, skip dates, power and network, and what to do when they do not hold", () => {
    const values = form(
      {
        betweenFrom: "09:00",
        betweenTo: "17:00",
        days: ["fri", "mon", "tue", "wed", "thu"],
        skipDates: [
          { id: 1, from: "2026-12-24", to: "2027-01-01" },
          { id: 2, from: "2026-05-01", to: "" },
          { id: 3, from: "", to: "" },
        ],
        acPower: true,
        online: true,
        whenUnmet: "wait",
        waitUpTo: "2h",
      },
      row("cron", { cronExpression: "0 * * * *" }),
    );
    expect(localErrors(values, NOW)).toEqual({});
    const input = inputFromValues(values, "Europe/Paris", null);
    expect(input.conditions).toEqual({
      between: "09:00-17:00",
      days: ["mon", "tue", "wed", "thu", "fri"],
      skipDates: ["2026-12-24..2027-01-01", "2026-05-01"],
      acPower: true,
      online: true,
    });
    expect([input.whenUnmet, input.waitUpToSeconds]).toEqual(["wait", 7200]);
  });

  it("leaves conditions out while every day is on and nothing else is set, whatever the unmet policy says", () => {
    const input = inputFromValues(form({ whenUnmet: "wait", waitUpTo: "1h" }), "Europe/Paris", null);
    expect(input).not.toHaveProperty("conditions");
    expect(input).not.toHaveProperty("whenUnmet");
    expect(input).not.toHaveProperty("waitUpToSeconds");
  });

  it("names a window with one end, no day at all, a skip range that ends before it starts, and a wait that is not a duration", () => {
    const values = form({ betweenFrom: "09:00", days: [], skipDates: [{ id: 1, from: "2026-12-31", to: "2026-12-24" }], whenUnmet: "wait", waitUpTo: "a while" }, row("cron", { cronExpression: "@daily" }));
    expect(localErrors(values, NOW)).toEqual({
      "conditions.between": "needs both a start and an end time",
      "conditions.days": "must name at least one day (all seven: any day)",
      "conditions.skipDates.0": '"2026-12-31..2026-12-24" ends before it starts',
      waitUpToSeconds: '"a while" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
    });
    expect(fieldProblemText("conditions.skipDates.0", '"2026-12-31..2026-12-24" ends before it starts')).toBe('Skip date 1: "2026-12-31..2026-12-24" ends before it starts');
  });

  it("fills the conditions from a job, saves them unchanged, and clears them with null", () => {
    const stored = makeJob({ name: "tidy", trigger: { type: "cron", version: 1, expression: "0 * * * *" } });
    const job = { ...stored, conditions: { between: "22:00-06:00", days: ["sat" as const, "sun" as const], skipDates: ["2026-12-25"], online: true as const }, whenUnmet: "wait" as const, waitUpToSeconds: 1800 };
    const values = valuesFromJob(job, "Europe/Paris");
    expect([values.betweenFrom, values.betweenTo, values.days, values.online, values.acPower, values.whenUnmet, values.waitUpTo]).toEqual(["22:00", "06:00", ["sat", "sun"], true, false, "wait", "30m"]);
    expect(values.skipDates.map(({ from, to }) => [from, to])).toEqual([["2026-12-25", ""]]);
    expect(patchFromValues(values, "Europe/Paris", job)).toEqual({});
    const cleared = { ...values, betweenFrom: "", betweenTo: "", days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as EditorValues["days"], skipDates: [], online: false, whenUnmet: "skip" as const };
    expect(patchFromValues(cleared, "Europe/Paris", job)).toEqual({ conditions: null, whenUnmet: null, waitUpToSeconds: null });
  });
});

describe("an interval's window and jitter in the form", () => {
  it("reads start and end in the interval's zone (this computer's) and jitter as a duration", () => {
    const values = form({}, row("interval", { every: "1h", intervalStart: "2026-07-01T08:00", intervalEnd: "2026-07-31T18:00", jitter: "5m" }));
    expect(localErrors(values, NOW)).toEqual({});
    expect(onlyTrigger(values)).toEqual({
      type: "interval",
      everySeconds: 3600,
      start: "2026-07-01T08:00:00+02:00",
      end: "2026-07-31T18:00:00+02:00",
      jitterSeconds: 300,
    });
    expect(onlyTrigger(form({}, row("interval", { jitter: "0" })))).toEqual({ type: "interval", everySeconds: 3600 });
  });

  it("names a jitter or a date that cannot be read", () => {
    expect(localErrors(form({}, row("interval", { jitter: "soon", intervalEnd: "2026-02-30T08:00" })), NOW)).toEqual({
      "triggers[0].jitterSeconds": '"soon" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
      "triggers[0].end": "must be a date and time",
    });
  });

  it("fills the fields from a job and saves them unchanged when untouched", () => {
    const trigger = { type: "interval" as const, version: 1 as const, everySeconds: 3600, anchor: "2026-07-01T06:00:00.000Z", start: "2026-07-01T06:00:00.000Z", end: "2026-07-31T16:00:00.000Z", jitterSeconds: 90 };
    const job = makeJob({ name: "tick", trigger });
    const values = valuesFromJob(job, "Europe/Paris");
    const [filled] = values.triggers;
    expect([filled!.intervalStart, filled!.intervalEnd, filled!.jitter]).toEqual(["2026-07-01T08:00", "2026-07-31T18:00", "1m30s"]);
    expect(patchFromValues(values, "Europe/Paris", job)).toEqual({});
  });

  it("moves the anchor with a new start, and keeps it while the start stays", () => {
    const job = makeJob({ name: "tick", trigger: { type: "interval", version: 1, everySeconds: 3600, anchor: "2026-07-01T06:00:00.000Z", start: "2026-07-01T06:00:00.000Z" } });
    const values = valuesFromJob(job, "UTC");
    const edit = (typed: Partial<TriggerRow>) => patchFromValues({ ...values, triggers: [{ ...values.triggers[0]!, ...typed }] }, "UTC", job).triggers;
    expect(edit({ every: "2h" })).toEqual([expect.objectContaining({ anchor: "2026-07-01T06:00:00.000Z" })]);
    expect(edit({ intervalStart: "2026-07-02T09:30" })).toEqual([{ type: "interval", everySeconds: 3600, start: "2026-07-02T09:30:00+00:00" }]);
  });
});

describe("the zone field and the preset picker as data", () => {
  it("takes a zone typed as its city", () => {
    expect(localErrors(form({}, row("cron", { cronExpression: "0 9 * * *", timezone: "new york" })), NOW)).toEqual({});
    expect(onlyTrigger(form({}, row("cron", { cronExpression: "0 9 * * *", timezone: "new york" })))).toEqual({ type: "cron", expression: "0 9 * * *", timezone: "America/New_York" });
    expect(localErrors(form({}, row("cron", { cronExpression: "0 9 * * *", timezone: "Indiana" })), NOW)).toEqual({ "triggers[0].timezone": 'unknown time zone "Indiana"' });
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
    expect(fieldProblemText("triggers[0].at", "is in the past")).toBe("Run at is in the past");
    expect(fieldProblemText("triggers[0].jitterSeconds", "must be shorter than the interval")).toBe("Jitter must be shorter than the interval");
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
    expect(localErrors(form({ tags: "work, Work" }, row("cron", { cronExpression: "@daily" })), NOW)).toEqual({ tags: '"Work" is given twice' });
    expect(localErrors(form({ tags: "t".repeat(41) }, row("cron", { cronExpression: "@daily" })), NOW)).toEqual({ tags: `"${"t".repeat(41)}" must be at most 40 characters` });
    expect(inputFromValues(form({ tags: " a, b " }, row("cron", { cronExpression: "@daily" })), "Europe/Paris", null).tags).toEqual(["a", "b"]);
  });
});
