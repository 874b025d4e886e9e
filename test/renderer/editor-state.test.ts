// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ValidationError } from "../../electron/shared/errors.js";
import { followTimeFormat } from "../../renderer/src/lib/format.js";
import { EditorState } from "../../renderer/src/lib/state/editor.svelte.js";
import type { TriggerRow, TriggerValueKey } from "../../renderer/src/lib/editor-form.js";
import { fakeClient, makeJob } from "./support.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const PREVIEW = {
  description: "At 03:00",
  times: ["2026-03-02T03:00:00+01:00", "2026-03-03T03:00:00+01:00", "2026-03-04T03:00:00+01:00", "2026-03-05T03:00:00+01:00", "2026-03-06T03:00:00+01:00"],
};

function editorWith(client = fakeClient(), options: { job?: ReturnType<typeof makeJob>; copyOf?: ReturnType<typeof makeJob>; jobs?: { id: string; name: string }[] } = {}) {
  client.previewTrigger = vi.fn(async ({ trigger }) => {
    if (trigger.type === "cron" && trigger.expression === "61 * * * *") {
      throw new ValidationError([{ field: "trigger.expression", message: "minute 61 is out of range (0-59)" }]);
    }
    return PREVIEW;
  });
  const editor = new EditorState({ client, systemZone: "Europe/Paris", now: () => NOW, ...options });
  return { client, editor };
}

/** The id of the editor's first trigger row. */
function firstRow(editor: EditorState): number {
  return editor.values.triggers[0]!.id;
}

/** Types into the first trigger row. */
function setFirst<K extends TriggerValueKey>(editor: EditorState, key: K, value: TriggerRow[K]): void {
  editor.setTrigger(firstRow(editor), key, value);
}

function fillValid(editor: EditorState): void {
  editor.set("name", "backup");
  setFirst(editor, "cronExpression", "0 3 * * *");
  editor.set("command", "rsync -a ~/ /mnt/backup");
}

beforeEach(() => {
  vi.useFakeTimers();
  // The words' clock follows the time-format setting; these read the 24-hour one.
  followTimeFormat(() => "24h");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("EditorState", () => {
  it("shows a bad cron expression's error from the engine's preview, after a quiet 200 ms", async () => {
    const { client, editor } = editorWith();
    fillValid(editor);
    setFirst(editor, "cronExpression", "6");
    setFirst(editor, "cronExpression", "61 * * * *");
    expect(editor.previewPending).toBe(true);

    await vi.advanceTimersByTimeAsync(199);
    expect(client.previewTrigger).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);

    // One request for the last keystroke only, in the job's (system) zone.
    expect(client.previewTrigger).toHaveBeenCalledExactlyOnceWith({ trigger: { type: "cron", expression: "61 * * * *" }, count: 5 });
    expect(editor.errorFor("triggers[0].expression")).toBe("minute 61 is out of range (0-59)");
    expect(editor.preview).toBeNull();
    expect(editor.canSave).toBe(false);
  });

  it("gives the expression in words and the next five runs for a good expression", async () => {
    const { editor } = editorWith();
    fillValid(editor);
    await vi.advanceTimersByTimeAsync(200);
    expect(editor.preview).toEqual(PREVIEW);
    expect(editor.errors).toEqual({});
    expect(editor.canSave).toBe(true);
  });

  it("shows an empty name's error once the field was touched, and refuses to save", async () => {
    const { client, editor } = editorWith();
    fillValid(editor);
    expect(editor.errorFor("name")).toBeUndefined();
    editor.set("name", "   ");
    expect(editor.errorFor("name")).toBe("must not be empty");
    await vi.advanceTimersByTimeAsync(200);

    expect(editor.canSave).toBe(false);
    expect(await editor.save()).toBeNull();
    expect(client.addJob).not.toHaveBeenCalled();
  });

  it("hides errors of untouched fields until a save is attempted", async () => {
    const { editor } = editorWith();
    expect(editor.errors).toMatchObject({ name: "must not be empty", command: "must not be empty" });
    expect(editor.errorFor("command")).toBeUndefined();
    await editor.save();
    expect(editor.errorFor("command")).toBe("must not be empty");
  });

  it("saves a new job as a JobInput and returns the engine's job", async () => {
    const client = fakeClient();
    const saved = makeJob({ name: "backup" });
    client.addJob = vi.fn(async () => saved);
    const { editor } = editorWith(client);
    fillValid(editor);
    editor.addEnvRow();
    editor.setEnv(editor.values.env[0]!.id, "key", "TARGET");
    editor.setEnv(editor.values.env[0]!.id, "value", "/mnt");

    const result = await editor.save();

    expect(result).toBe(saved);
    expect(client.addJob).toHaveBeenCalledWith({
      name: "backup",
      triggers: [{ type: "cron", expression: "0 3 * * *" }],
      command: "rsync -a ~/ /mnt/backup",
      env: { TARGET: "/mnt" },
      overlap: "skip",
      catchUp: "once",
      retries: { count: 0, delaySeconds: 60, backoff: 1 },
    });
  });

  it("puts the engine's ValidationError issues on their fields, and clears one when its field is edited", async () => {
    const client = fakeClient();
    client.addJob = vi.fn(async () => {
      throw new ValidationError([
        { field: "cwd", message: 'folder "/nope" does not exist' },
        { field: "name", message: 'a job named "backup" already exists' },
        { field: "shell", message: "must not be empty" },
      ]);
    });
    const { editor } = editorWith(client);
    fillValid(editor);
    editor.set("cwd", "/nope");

    expect(await editor.save()).toBeNull();
    expect(editor.errorFor("cwd")).toBe('folder "/nope" does not exist');
    expect(editor.errorFor("name")).toBe('a job named "backup" already exists');
    expect(editor.problemFor("name")).toBe('A job named "backup" already exists');
    // A field the form does not show still gets said.
    expect(editor.unplacedErrors).toEqual([{ field: "shell", message: "must not be empty" }]);
    expect(editor.canSave).toBe(false);

    editor.set("name", "backup 2");
    expect(editor.errorFor("name")).toBeUndefined();
    expect(editor.errorFor("cwd")).toBe('folder "/nope" does not exist');
  });

  it("builds an interval trigger from 'Every' and a date trigger from 'Run at' in the chosen zone", async () => {
    const client = fakeClient();
    client.addJob = vi.fn(async () => makeJob({ name: "x" }));
    const { editor } = editorWith(client);
    fillValid(editor);

    setFirst(editor, "type", "interval");
    setFirst(editor, "every", "90s");
    await editor.save();
    expect(vi.mocked(client.addJob).mock.lastCall?.[0]).toHaveProperty("triggers", [{ type: "interval", everySeconds: 90 }]);

    setFirst(editor, "type", "once");
    setFirst(editor, "timezone", "America/New_York");
    setFirst(editor, "runAt", "2026-06-01T08:00");
    await editor.save();
    expect(vi.mocked(client.addJob).mock.lastCall?.[0]).toHaveProperty("triggers", [{ type: "date", at: "2026-06-01T08:00:00-04:00" }]);
  });

  it("fills cron presets from a time", () => {
    const { editor } = editorWith();
    editor.applyPreset(firstRow(editor), "weekdays", "07:45");
    expect(editor.values.triggers[0]!.cronExpression).toBe("45 7 * * 1-5");
    editor.applyPreset(firstRow(editor), "daily", "18:00");
    expect(editor.values.triggers[0]!.cronExpression).toBe("0 18 * * *");
    editor.applyPreset(firstRow(editor), "hourly");
    expect(editor.values.triggers[0]!.cronExpression).toBe("0 * * * *");
  });

  it("shows the expression's own time in the preset picker, and moves the expression with the picker", () => {
    const { editor } = editorWith();
    expect(editor.presetTimeFor(firstRow(editor))).toBe("09:00");
    setFirst(editor, "cronExpression", "30 8 * * 1-5");
    expect(editor.presetTimeFor(firstRow(editor))).toBe("08:30");
    editor.setPresetTime(firstRow(editor), "07:15");
    expect(editor.values.triggers[0]!.cronExpression).toBe("15 7 * * 1-5");
    setFirst(editor, "cronExpression", "*/5 * * * *");
    editor.setPresetTime(firstRow(editor), "");
    expect(editor.presetTimeFor(firstRow(editor))).toBe("07:15");
    expect(editor.values.triggers[0]!.cronExpression).toBe("*/5 * * * *");
  });

  it("tells a changed form from the one it opened with", () => {
    const { editor } = editorWith(fakeClient(), { job: makeJob({ name: "backup", env: { A: "1" } }) });
    expect(editor.hasChanges).toBe(false);
    editor.set("name", "backup 2");
    expect(editor.hasChanges).toBe(true);
    editor.set("name", "backup");
    expect(editor.hasChanges).toBe(false);
    editor.addEnvRow();
    expect(editor.hasChanges).toBe(true);
    editor.removeEnvRow(editor.values.env.at(-1)!.id);
    expect(editor.hasChanges).toBe(false);
  });

  it("keeps a zone being typed quiet until the field is left, then writes the zone it names", () => {
    const { editor } = editorWith();
    setFirst(editor, "timezone", "Mars");
    expect(editor.errorFor("triggers[0].timezone")).toBeUndefined();
    editor.commitZone();
    expect(editor.problemFor("triggers[0].timezone")).toBe('Unknown time zone "Mars"');
    setFirst(editor, "timezone", "paris");
    editor.commitZone();
    expect(editor.values.triggers[0]!.timezone).toBe("Europe/Paris");
    expect(editor.errorFor("triggers[0].timezone")).toBeUndefined();
  });

  it("adds and removes environment rows and names a bad variable on its row", () => {
    const { editor } = editorWith();
    editor.addEnvRow();
    editor.addEnvRow();
    const [first, second] = editor.values.env;
    editor.setEnv(first!.id, "key", "1BAD");
    expect(editor.errorFor("env.1BAD")).toBe("must be a variable name (letters, digits, _)");
    editor.removeEnvRow(first!.id);
    expect(editor.values.env.map((row) => row.id)).toEqual([second!.id]);
    expect(editor.errorFor("env.1BAD")).toBeUndefined();
  });

  it("edits a job with a patch of what changed", async () => {
    const client = fakeClient();
    const job = makeJob({ name: "backup", trigger: { type: "cron", version: 1, expression: "0 3 * * *", timezone: "UTC" } });
    client.updateJob = vi.fn(async () => job);
    const { editor } = editorWith(client, { job });
    expect(editor.heading).toBe("Edit job");
    await vi.advanceTimersByTimeAsync(200);

    editor.set("command", "echo changed");
    await editor.save();

    expect(client.updateJob).toHaveBeenCalledWith(job.id, { command: "echo changed" });
  });

  describe("on a finished one-off job (issue 13)", () => {
    /** Ran at 09:00:30 Paris time, a day before NOW; the form shows minutes only. */
    const finishedJob = () => makeJob({ name: "report", trigger: { type: "date", version: 1, at: "2026-02-28T08:00:30.000Z" }, finished: true, nextRunAt: null });

    it("saves a new name and command without touching its date, so it stays finished", async () => {
      const client = fakeClient();
      const job = finishedJob();
      client.updateJob = vi.fn(async () => job);
      const { editor } = editorWith(client, { job });
      await vi.advanceTimersByTimeAsync(200);
      expect(editor.values.triggers[0]!.runAt).toBe("2026-02-28T09:00");
      expect(editor.errors).toEqual({});
      expect(editor.canSave).toBe(true);

      editor.set("name", "monthly report");
      editor.set("command", "echo v2");
      await editor.save();
      expect(client.updateJob).toHaveBeenCalledWith(job.id, { name: "monthly report", command: "echo v2" });
    });

    it("refuses another past date at the Run at field, and sends a future one (re-arming it)", async () => {
      const client = fakeClient();
      const job = finishedJob();
      client.updateJob = vi.fn(async () => job);
      const { editor } = editorWith(client, { job });
      setFirst(editor, "runAt", "2026-02-28T09:30");
      expect(editor.errorFor("triggers[0].at")).toBe("is in the past");
      expect(editor.canSave).toBe(false);

      setFirst(editor, "runAt", "2026-03-02T09:30");
      expect(editor.errorFor("triggers[0].at")).toBeUndefined();
      await editor.save();
      expect(client.updateJob).toHaveBeenCalledWith(job.id, { triggers: [{ type: "date", at: "2026-03-02T09:30:00+01:00" }] });
    });

    it("shows a duplicate's past date at the Run at field before anything is typed", () => {
      const { editor } = editorWith(fakeClient(), { copyOf: finishedJob() });
      expect(editor.errorFor("triggers[0].at")).toBe("is in the past");
      expect(editor.canSave).toBe(false);
    });
  });

  describe("with several triggers (issue 15)", () => {
    it("previews the job's next runs over all its time triggers, and words every trigger", async () => {
      const client = fakeClient();
      const { editor } = editorWith(client, { jobs: [{ id: "j_backup", name: "backup" }] });
      client.previewTrigger = vi.fn(async ({ trigger }) =>
        trigger.type === "cron"
          ? { description: "", times: ["2026-03-02T09:00:00+01:00", "2026-03-03T09:00:00+01:00", "2026-03-04T09:00:00+01:00"] }
          : { description: "", times: ["2026-03-02T12:00:00+01:00", "2026-03-03T12:00:00+01:00"] },
      );
      fillValid(editor);
      setFirst(editor, "cronExpression", "0 9 * * 1-5");
      editor.addTrigger("once");
      editor.setTrigger(editor.values.triggers[1]!.id, "runAt", "2026-03-02T12:00");
      editor.addTrigger("startup");
      editor.addTrigger("after");
      editor.setTrigger(editor.values.triggers[3]!.id, "afterJob", "j_backup");
      await vi.advanceTimersByTimeAsync(200);

      // One question per time trigger; the events have no times to ask about.
      expect(client.previewTrigger).toHaveBeenCalledTimes(2);
      expect(editor.preview?.times).toEqual(["2026-03-02T09:00:00+01:00", "2026-03-02T12:00:00+01:00", "2026-03-03T09:00:00+01:00", "2026-03-03T12:00:00+01:00", "2026-03-04T09:00:00+01:00"]);
      expect(editor.preview?.description).toMatch(/^At 09:00, Monday through Friday, and once at .+, and at login, and after backup succeeds$/);
    });

    it("words an event-only job without asking the engine, and saves a job without triggers as manual", async () => {
      const client = fakeClient();
      client.addJob = vi.fn(async () => makeJob({ name: "x" }));
      const { editor } = editorWith(client);
      fillValid(editor);
      setFirst(editor, "type", "watch");
      setFirst(editor, "watchPath", "/home/me/Documents");
      await vi.advanceTimersByTimeAsync(200);
      expect(client.previewTrigger).not.toHaveBeenCalled();
      expect(editor.hasTimeTriggers).toBe(false);
      expect(editor.preview).toEqual({ description: "on change in /home/me/Documents", times: [] });

      editor.removeTrigger(firstRow(editor));
      expect(editor.preview).toBeNull();
      await editor.save();
      expect(vi.mocked(client.addJob).mock.lastCall?.[0]).toHaveProperty("triggers", []);
    });

    it("offers every other job as a parent, never the job itself", () => {
      const job = makeJob({ name: "upload" });
      const { editor } = editorWith(fakeClient(), { job, jobs: [{ id: job.id, name: "upload" }, { id: "j_b", name: "backup" }, { id: "j_a", name: "archive" }] });
      expect(editor.jobChoices.map((choice) => choice.name)).toEqual(["archive", "backup"]);
      expect(editor.jobName("j_b")).toBe("backup");
    });

    it("puts the engine's verdict on a trigger on its row, naming the trigger, until the rows change", async () => {
      const client = fakeClient();
      client.addJob = vi.fn(async () => {
        throw new ValidationError([
          { field: "triggers[1].job", message: "would form a cycle upload → backup → upload" },
          { field: "triggers[1]", message: "is the same trigger as triggers[0]" },
        ]);
      });
      const { editor } = editorWith(client, { jobs: [{ id: "j_b", name: "backup" }] });
      fillValid(editor);
      editor.addTrigger("after");
      editor.setTrigger(editor.values.triggers[1]!.id, "afterJob", "j_b");
      expect(await editor.save()).toBeNull();

      expect(editor.problemFor("triggers[1].job")).toBe("Trigger 2: After job: would form a cycle upload → backup → upload");
      expect(editor.rowProblems(1)).toEqual(["Trigger 2 is the same trigger as triggers[0]"]);
      expect(editor.unplacedErrors).toEqual([]);
      expect(editor.canSave).toBe(false);

      // The rows are named by their place: removing one makes the verdicts stale.
      editor.removeTrigger(firstRow(editor));
      expect(editor.errors).toEqual({});
    });

    it("shows a new row's problems once it is typed in, named by its place", () => {
      const { editor } = editorWith();
      fillValid(editor);
      editor.addTrigger("watch");
      const watch = editor.values.triggers[1]!;
      expect(editor.errors).toEqual({ "triggers[1].path": "must not be empty" });
      expect(editor.errorFor("triggers[1].path")).toBeUndefined();
      editor.setTrigger(watch.id, "watchDebounce", "5s");
      expect(editor.problemFor("triggers[1].path")).toBe("Trigger 2: Path must not be empty");
    });
  });

  describe("conditions", () => {
    it("toggles days, adds skip dates, and sends the conditions with a wait", async () => {
      const client = fakeClient();
      client.addJob = vi.fn(async () => makeJob({ name: "x" }));
      const { editor } = editorWith(client);
      fillValid(editor);
      editor.set("betweenFrom", "09:00");
      editor.set("betweenTo", "17:00");
      editor.toggleDay("sat", false);
      editor.toggleDay("sun", false);
      editor.addSkipDate();
      editor.setSkipDate(editor.values.skipDates[0]!.id, "from", "2026-12-24");
      editor.setSkipDate(editor.values.skipDates[0]!.id, "to", "2026-12-26");
      editor.set("acPower", true);
      editor.set("whenUnmet", "wait");
      editor.set("waitUpTo", "2h");
      await editor.save();
      expect(vi.mocked(client.addJob).mock.lastCall?.[0]).toMatchObject({
        conditions: { between: "09:00-17:00", days: ["mon", "tue", "wed", "thu", "fri"], skipDates: ["2026-12-24..2026-12-26"], acPower: true },
        whenUnmet: "wait",
        waitUpToSeconds: 7200,
      });
    });

    it("says a window needs both ends, whichever end was typed", () => {
      const { editor } = editorWith();
      fillValid(editor);
      editor.set("betweenTo", "17:00");
      expect(editor.problemFor("conditions.between")).toBe("Between needs both a start and an end time");
      editor.set("betweenFrom", "17:00");
      expect(editor.problemFor("conditions.between")).toBe('Between: "17:00-17:00" starts and ends at the same time; leave it out to allow any time');
      editor.set("betweenFrom", "22:00");
      expect(editor.problemFor("conditions.between")).toBeUndefined();
    });

    it("names a skip date that ends before it starts on its entry, and refuses to save", () => {
      const { editor } = editorWith();
      fillValid(editor);
      editor.addSkipDate();
      const entry = editor.values.skipDates[0]!;
      editor.setSkipDate(entry.id, "from", "2026-12-31");
      editor.setSkipDate(entry.id, "to", "2026-12-24");
      expect(editor.problemFor("conditions.skipDates.0")).toBe('Skip date 1: "2026-12-31..2026-12-24" ends before it starts');
      expect(editor.canSave).toBe(false);
      editor.removeSkipDate(entry.id);
      expect(editor.canSave).toBe(true);
    });
  });

  it("starts a duplicate as a new job named '(copy)'", () => {
    const { editor } = editorWith(fakeClient(), { copyOf: makeJob({ name: "backup" }) });
    expect(editor.mode).toBe("new");
    expect(editor.heading).toBe("New job");
    expect(editor.values.name).toBe("backup (copy)");
  });

  it("asks for the preview at once when Save comes before the debounce ends", async () => {
    const client = fakeClient();
    client.addJob = vi.fn(async () => makeJob({ name: "x" }));
    const { editor } = editorWith(client);
    fillValid(editor);
    setFirst(editor, "cronExpression", "61 * * * *");

    const saved = await editor.save();

    expect(saved).toBeNull();
    expect(editor.errorFor("triggers[0].expression")).toBe("minute 61 is out of range (0-59)");
    expect(client.addJob).not.toHaveBeenCalled();
  });
});
