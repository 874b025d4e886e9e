/**
 * The job editor's live state: the form's values, every error keyed by the service's field
 * names (local checks, the engine's preview, the engine's verdict on Save), the cron
 * preview (words and the next five runs) and Save itself.
 */
import type { PreviewResult } from "../../../../electron/shared/contract.js";
import type { FieldIssue } from "../../../../electron/shared/errors.js";
import type { JobView, TriggerSpec, TriggerSpecInput } from "../../../../electron/shared/schemas.js";
import type { Weekday } from "../../../../electron/shared/conditions.js";
import type { SundialClient } from "../api.js";
import {
  blankTriggerRow,
  blankValues,
  emptyEnvRow,
  emptySkipDateRow,
  fieldProblemText,
  FIELDS_OF_VALUE,
  formZone,
  inputFromValues,
  isTimeRow,
  localErrors,
  parseTriggerField,
  patchFromValues,
  presetTimeOf,
  triggerErrors,
  triggerField,
  TRIGGER_FIELDS_OF_VALUE,
  triggerFromRow,
  triggerValueOf,
  valuesFromJob,
  VALUE_OF_FIELD,
  withPresetTime,
  type EditorValues,
  type FieldErrors,
  type ScheduleType,
  type SimpleValueKey,
  type TriggerRow,
  type TriggerValueKey,
} from "../editor-form.js";
import { resolveTimeZone, systemTimeZone } from "../../../../electron/shared/civil-time.js";
import { describeTriggers } from "../../../../electron/shared/trigger-kinds.js";
import { isTimeTriggerType } from "../../../../electron/shared/trigger-types.js";
import { issuesOf, messageOf } from "../errors.js";
import { formatRunTime, usesTwelveHourClock } from "../format.js";

/** What the editor needs from the engine. */
export type EditorClient = Pick<SundialClient, "previewTrigger" | "addJob" | "updateJob">;

/** A job another job's `after` trigger may follow: its id (what is stored) and its name (what is shown). */
export type JobChoice = Pick<JobView, "id" | "name">;

export interface EditorOptions {
  client: EditorClient;
  /** Edit this job; absent for a new job. */
  job?: JobView;
  /** Start a new job from this one (Duplicate). */
  copyOf?: JobView;
  /** Every job there is: an `after` trigger picks its parent among them (never the job itself). */
  jobs?: readonly JobChoice[];
  systemZone?: string;
  now?: () => number;
  /** Quiet time after the last keystroke before asking the engine for a preview. */
  previewDelayMs?: number;
}

/** How many next runs the preview shows. */
const PREVIEW_COUNT = 5;

/** Cron presets offered next to the expression. */
export type CronPreset = "hourly" | "daily" | "weekdays";

/** State of one open editor (New job, Edit job or a duplicate). */
export class EditorState {
  readonly mode: "new" | "edit";
  /** The job being edited (or duplicated): fields the form does not show are kept from it. */
  readonly original: JobView | null;
  readonly systemZone: string;
  /** The jobs an `after` trigger may follow: every job but this one, by name. */
  readonly jobChoices: readonly JobChoice[];

  values = $state<EditorValues>() as EditorValues;
  /** Which job-wide values the user has changed: their errors show as they type. */
  touched = $state<Partial<Record<keyof EditorValues, true>>>({});
  /** Which trigger rows (by row id) the user has changed: their errors show as they type. */
  touchedRows = $state<Record<number, true>>({});
  /** A Save was attempted: every error shows. */
  submitted = $state(false);
  /** The engine's verdict on the last Save, until the field is edited again. */
  serverErrors = $state<FieldErrors>({});
  previewErrors = $state<FieldErrors>({});
  /** The job's schedule in words and its next runs over all its time triggers, or null (nothing to say yet). */
  preview = $state<PreviewResult | null>(null);
  previewPending = $state(false);
  /** The preview could not be asked for (not a verdict on the schedule). */
  previewFailure = $state<string | null>(null);
  saving = $state(false);
  /** A Save failure that belongs to no field (disk full, connection lost). */
  formError = $state<string | null>(null);
  nowMs = $state(0);
  /** The preset picker's time while the expression names no single time of day. */
  #chosenPresetTime = $state("09:00");

  /** Every current problem, by field; local checks win over the engine's older verdicts. */
  readonly errors: FieldErrors = $derived({ ...this.serverErrors, ...this.previewErrors, ...localErrors(this.values, this.nowMs, this.#editing) });
  /**
   * Nothing known to be wrong. A preview still in flight does not disable Save (Enter right
   * after typing must work): save() waits for it and refuses if the engine objects.
   */
  readonly canSave = $derived(Object.keys(this.errors).length === 0 && !this.saving);
  /** The job has a trigger that fires at clock times (so it has next runs to show). */
  readonly hasTimeTriggers = $derived(this.values.triggers.some(isTimeRow));

  /** The form as it opened, to tell whether closing it would lose anything. */
  readonly #initialValues: string;
  readonly #client: EditorClient;
  readonly #now: () => number;
  readonly #previewDelayMs: number;
  #previewTimer: ReturnType<typeof setTimeout> | null = null;
  #previewTicket = 0;
  #previewRun: Promise<void> | null = null;

  constructor(options: EditorOptions) {
    this.#client = options.client;
    this.#now = options.now ?? Date.now;
    this.#previewDelayMs = options.previewDelayMs ?? 200;
    this.systemZone = options.systemZone ?? systemTimeZone();
    this.mode = options.job ? "edit" : "new";
    this.original = options.job ?? options.copyOf ?? null;
    const ownId = options.job?.id;
    this.jobChoices = (options.jobs ?? []).filter((job) => job.id !== ownId).sort((a, b) => a.name.localeCompare(b.name));
    this.nowMs = this.#now();
    if (this.original) {
      const values = valuesFromJob(this.original, this.systemZone);
      if (options.copyOf) values.name = `${values.name} (copy)`;
      this.values = values;
    } else {
      this.values = blankValues(this.systemZone);
    }
    this.#initialValues = comparable(this.values);
    this.#schedulePreview();
  }

  /** The editor's title. */
  get heading(): string {
    return this.mode === "edit" ? "Edit job" : "New job";
  }

  /** The job being edited (not one being duplicated). */
  get #editing(): JobView | null {
    return this.mode === "edit" ? this.original : null;
  }

  /**
   * The error to show next to `field` now, if any: once typed in, after a Save, and at once
   * in a form filled from a job (its values are not half-typed: what blocks Save must show).
   */
  errorFor(field: string): string | undefined {
    const error = this.errors[field];
    if (error === undefined) return undefined;
    if (this.submitted || this.original !== null || field in this.serverErrors) return error;
    const trigger = parseTriggerField(field);
    if (trigger) {
      const row = this.values.triggers[trigger.index];
      return row && this.touchedRows[row.id] ? error : undefined;
    }
    const valueKey = valueKeyOf(field);
    return valueKey !== null && this.touched[valueKey] ? error : undefined;
  }

  /** The error to show next to `field` now as a sentence naming the field ("Run at is in the past", "Trigger 2: …"). */
  problemFor(field: string): string | undefined {
    const error = this.errorFor(field);
    return error === undefined ? undefined : fieldProblemText(field, error, this.values.triggers.length);
  }

  /**
   * The problems of the trigger at `index` that no input of its row shows (the trigger as a
   * whole: "is the same trigger as triggers[0]"; a field its kind has no input for), as sentences.
   */
  rowProblems(index: number): string[] {
    const row = this.values.triggers[index];
    if (!row) return [];
    return Object.keys(this.errors)
      .filter((field) => {
        const trigger = parseTriggerField(field);
        return trigger?.index === index && (trigger.field === "" || triggerValueOf(row.type, trigger.field) === null);
      })
      .flatMap((field) => this.problemFor(field) ?? []);
  }

  /** The form differs from what it opened with: closing it would throw something away. */
  get hasChanges(): boolean {
    return comparable(this.values) !== this.#initialValues;
  }

  /** The time a cron row's preset picker shows: its expression's own time of day, when it has one. */
  presetTimeFor(rowId: number): string {
    const row = this.#row(rowId);
    return (row && presetTimeOf(row.cronExpression)) ?? this.#chosenPresetTime;
  }

  /** The picker changed: an expression with one time of day moves to it, keeping its days. */
  setPresetTime(rowId: number, time: string): void {
    // A time input reads "" while it is half typed.
    if (!/^\d{2}:\d{2}$/.test(time)) return;
    this.#chosenPresetTime = time;
    const row = this.#row(rowId);
    if (!row) return;
    const moved = withPresetTime(row.cronExpression, time);
    if (moved !== null && moved !== row.cronExpression.trim()) this.setTrigger(rowId, "cronExpression", moved);
  }

  /** A zone field was left (the row's, or every row's at Save): a city or a spelling that names one zone becomes its name. */
  commitZone(rowId?: number): void {
    for (const row of this.values.triggers) {
      if (rowId !== undefined && row.id !== rowId) continue;
      const zone = resolveTimeZone(row.timezone);
      if (zone !== null && zone !== row.timezone) row.timezone = zone;
      this.touchedRows[row.id] = true;
    }
  }

  /** Problems that belong to no input of the form, shown above it. */
  get unplacedErrors(): FieldIssue[] {
    const rows = this.values.triggers.length;
    return Object.entries(this.errors)
      .filter(([field]) => {
        if (field === "triggers") return false;
        const trigger = parseTriggerField(field);
        if (trigger) return trigger.index >= rows;
        return valueKeyOf(field) === null;
      })
      .map(([field, message]) => ({ field, message }));
  }

  /** Changes one job-wide field as the user typed it. */
  set<K extends SimpleValueKey>(key: K, value: EditorValues[K]): void {
    this.values[key] = value;
    this.#changed(key, FIELDS_OF_VALUE[key]);
  }

  /** Changes one field of a trigger row; a new kind keeps the row's place in the list. */
  setTrigger<K extends TriggerValueKey>(rowId: number, key: K, value: TriggerRow[K]): void {
    const index = this.values.triggers.findIndex((row) => row.id === rowId);
    const row = this.values.triggers[index];
    if (!row) return;
    row[key] = value;
    // A zone is searched as it is typed: "Par" on the way to "Paris" is not a mistake (issue 13, item 5).
    if (key !== "timezone") this.touchedRows[rowId] = true;
    this.#changed("triggers", ["triggers", ...TRIGGER_FIELDS_OF_VALUE[key].map((field) => triggerField(index, field || undefined))]);
  }

  /** Adds a trigger row of `type` at the end of the list. */
  addTrigger(type: ScheduleType = "cron"): void {
    this.values.triggers.push(blankTriggerRow(type, this.systemZone));
    this.#triggerListChanged();
  }

  /** Removes a trigger row; with none left, the job is manual. */
  removeTrigger(rowId: number): void {
    this.values.triggers = this.values.triggers.filter((row) => row.id !== rowId);
    this.#triggerListChanged();
  }

  /** A day toggle: runs may (or may no longer) start on `day`. */
  toggleDay(day: Weekday, on: boolean): void {
    const days = new Set(this.values.days);
    if (on) days.add(day);
    else days.delete(day);
    this.set("days", [...days]);
  }

  addSkipDate(): void {
    this.values.skipDates.push(emptySkipDateRow());
    this.#changed("skipDates", []);
  }

  removeSkipDate(rowId: number): void {
    this.values.skipDates = this.values.skipDates.filter((row) => row.id !== rowId);
    // Entries are named by their place: the engine's verdicts on them no longer point right.
    this.#changed("skipDates", Object.keys(this.serverErrors).filter((field) => field.startsWith("conditions.skipDates")));
  }

  setSkipDate(rowId: number, part: "from" | "to", text: string): void {
    const index = this.values.skipDates.findIndex((row) => row.id === rowId);
    const row = this.values.skipDates[index];
    if (!row) return;
    row[part] = text;
    this.#changed("skipDates", [`conditions.skipDates.${index}`, "conditions.skipDates", "conditions"]);
  }

  addEnvRow(): void {
    this.values.env.push(emptyEnvRow());
    this.#changed("env", []);
  }

  removeEnvRow(rowId: number): void {
    const row = this.values.env.find((candidate) => candidate.id === rowId);
    this.values.env = this.values.env.filter((candidate) => candidate.id !== rowId);
    this.#changed("env", row ? [`env.${row.key}`] : []);
  }

  setEnv(rowId: number, part: "key" | "value", text: string): void {
    const row = this.values.env.find((candidate) => candidate.id === rowId);
    if (!row) return;
    const before = `env.${row.key}`;
    row[part] = text;
    this.#changed("env", [before, `env.${row.key}`, "env"]);
  }

  /** Fills a row's cron expression from a preset; `time` is `HH:MM` for the daily ones. */
  applyPreset(rowId: number, preset: CronPreset, time = "09:00"): void {
    const [hour, minute] = /^(\d{1,2}):(\d{2})$/.exec(time)?.slice(1).map(Number) ?? [9, 0];
    const expressions: Record<CronPreset, string> = {
      hourly: "0 * * * *",
      daily: `${minute} ${hour} * * *`,
      weekdays: `${minute} ${hour} * * 1-5`,
    };
    this.setTrigger(rowId, "type", "cron");
    this.setTrigger(rowId, "cronExpression", expressions[preset]);
  }

  /** The name of the job with this id, among the jobs an `after` trigger may follow. */
  jobName(id: string): string | undefined {
    return this.jobChoices.find((job) => job.id === id)?.name;
  }

  /**
   * Saves through the engine; resolves to the saved job, or null when refused (local
   * errors, or the engine's ValidationError, whose issues land on their fields).
   */
  async save(): Promise<JobView | null> {
    this.submitted = true;
    this.commitZone();
    this.nowMs = this.#now();
    if (this.saving) return null;
    if (this.previewPending) await this.#flushPreview();
    if (Object.keys(this.errors).length > 0) return null;
    this.saving = true;
    this.formError = null;
    try {
      const { values, systemZone, original } = this;
      const snapshot = $state.snapshot(values) as EditorValues;
      if (this.mode === "edit" && original) return await this.#client.updateJob(original.id, patchFromValues(snapshot, systemZone, original));
      return await this.#client.addJob(inputFromValues(snapshot, systemZone, original));
    } catch (error) {
      const issues = issuesOf(error);
      if (issues) this.serverErrors = Object.fromEntries(issues.map((issue) => [issue.field, issue.message]));
      else this.formError = messageOf(error);
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** Stops the pending preview (the editor closed). */
  dispose(): void {
    if (this.#previewTimer !== null) clearTimeout(this.#previewTimer);
    this.#previewTimer = null;
    this.#previewTicket += 1;
  }

  #row(rowId: number): TriggerRow | undefined {
    return this.values.triggers.find((row) => row.id === rowId);
  }

  /** Rows were added or removed: triggers are named by their place, so the engine's verdicts on them no longer point right. */
  #triggerListChanged(): void {
    this.#changed(
      "triggers",
      Object.keys(this.serverErrors).filter((field) => field === "triggers" || parseTriggerField(field) !== null),
    );
  }

  #changed(key: keyof EditorValues, fields: readonly string[]): void {
    if (key !== "triggers") this.touched[key] = true;
    // One window, two inputs: its problem shows once either end was typed in.
    if (key === "betweenTo") this.touched.betweenFrom = true;
    this.nowMs = this.#now();
    if (fields.some((field) => field in this.serverErrors)) {
      this.serverErrors = Object.fromEntries(Object.entries(this.serverErrors).filter(([field]) => !fields.includes(field)));
    }
    this.formError = null;
    if (key === "triggers") this.#schedulePreview();
  }

  /** Each row's trigger, or null for a row whose own fields are not valid yet. */
  #rowTriggers(): (TriggerSpecInput | null)[] {
    const rows = $state.snapshot(this.values.triggers) as TriggerRow[];
    return rows.map((row, index) => (Object.keys(triggerErrors(row, index, this.nowMs, this.#editing)).length > 0 ? null : triggerFromRow(row, this.systemZone)));
  }

  /** The time triggers to preview, with their row's place, and the words of every valid row. */
  #previewPlan(): { timed: { index: number; trigger: TriggerSpecInput }[]; specs: TriggerSpec[] } {
    const triggers = this.#rowTriggers();
    const timed = triggers.flatMap((trigger, index) => (trigger && isTimeTriggerType(trigger.type) ? [{ index, trigger }] : []));
    const specs = triggers.filter((trigger): trigger is TriggerSpecInput => trigger !== null).map((trigger) => ({ ...trigger, version: 1 }) as TriggerSpec);
    return { timed, specs };
  }

  /** The job's triggers in words, as the list will show them: the engine's words, with instants as this page writes them. */
  #describe(specs: readonly TriggerSpec[]): string {
    const zone = formZone(this.values) ?? this.systemZone;
    return describeTriggers(specs, {
      localZone: this.systemZone,
      twelveHourClock: usesTwelveHourClock(),
      formatInstant: (ms) => formatRunTime(ms, zone),
      jobName: (id) => this.jobName(id),
    });
  }

  #schedulePreview(): void {
    if (this.#previewTimer !== null) clearTimeout(this.#previewTimer);
    this.#previewTimer = null;
    // Whatever is in flight now answers an older question.
    const ticket = ++this.#previewTicket;
    const { timed, specs } = this.#previewPlan();
    this.previewErrors = {};
    this.previewFailure = null;
    if (timed.length === 0) {
      // Nothing to ask the engine: a manual job, event triggers only, or rows still being typed.
      this.preview = specs.length > 0 && specs.length === this.values.triggers.length ? { description: this.#describe(specs), times: [] } : null;
      this.previewPending = false;
      return;
    }
    this.previewPending = true;
    this.#previewTimer = setTimeout(() => {
      this.#previewTimer = null;
      this.#previewRun = this.#runPreview(timed, specs, ticket);
    }, this.#previewDelayMs);
  }

  /** Save does not wait out the debounce: it asks at once. */
  async #flushPreview(): Promise<void> {
    if (this.#previewTimer !== null) {
      clearTimeout(this.#previewTimer);
      this.#previewTimer = null;
      const { timed, specs } = this.#previewPlan();
      this.#previewRun = timed.length > 0 ? this.#runPreview(timed, specs, this.#previewTicket) : null;
      if (timed.length === 0) this.previewPending = false;
    }
    await this.#previewRun;
  }

  /** Asks the engine for each time trigger's next runs; the job's are the earliest over them all. */
  async #runPreview(timed: { index: number; trigger: TriggerSpecInput }[], specs: TriggerSpec[], ticket: number): Promise<void> {
    const answers = await Promise.allSettled(timed.map(({ trigger }) => this.#client.previewTrigger({ trigger, count: PREVIEW_COUNT })));
    if (ticket !== this.#previewTicket) return;
    const errors: FieldErrors = {};
    const times = new Map<number, string>();
    let failure: string | null = null;
    answers.forEach((answer, place) => {
      const { index } = timed[place]!;
      if (answer.status === "fulfilled") {
        for (const time of answer.value.times) if (!times.has(Date.parse(time))) times.set(Date.parse(time), time);
        return;
      }
      const issues = issuesOf(answer.reason);
      if (!issues) failure = messageOf(answer.reason);
      // The engine names the one trigger it was asked about (`trigger.expression`): it is this row's.
      for (const issue of issues ?? []) errors[issue.field.replace(/^trigger(?=\.|$)/, triggerField(index))] = issue.message;
    });
    this.previewErrors = errors;
    this.previewFailure = failure;
    const refused = Object.keys(errors).length > 0 || failure !== null;
    // Each time trigger's next runs are its own; the job's are the earliest over them all.
    const merged = [...times.entries()].sort(([a], [b]) => a - b).slice(0, PREVIEW_COUNT).map(([, time]) => time);
    this.preview = refused ? null : { description: this.#describe(specs), times: merged };
    this.previewPending = false;
  }
}

/** The values as comparable text: rows by content, not by their row ids. */
function comparable(values: EditorValues): string {
  const snapshot = $state.snapshot(values) as EditorValues;
  return JSON.stringify({
    ...snapshot,
    triggers: snapshot.triggers.map(({ id: _id, source: _source, ...row }) => row),
    env: snapshot.env.map(({ key, value }) => [key, value]),
    skipDates: snapshot.skipDates.map(({ from, to }) => [from, to]),
  });
}

/** The job-wide value (input) a field name belongs to, or null when no input shows it. */
function valueKeyOf(field: string): keyof EditorValues | null {
  if (field.startsWith("env.")) return "env";
  // The engine names a tag by its place (`tags[2]`); the form has one Tags field.
  if (/^tags\[\d+\]$/.test(field)) return "tags";
  if (field.startsWith("conditions.skipDates")) return "skipDates";
  return VALUE_OF_FIELD[field] ?? null;
}
