/**
 * The job editor's live state: the form's values, every error keyed by the service's field
 * names (local checks, the engine's preview, the engine's verdict on Save), the cron
 * preview (words and the next five runs) and Save itself.
 */
import type { PreviewResult } from "../../../../electron/shared/contract.js";
import type { FieldIssue } from "../../../../electron/shared/errors.js";
import type { JobView, TriggerSpec, TriggerSpecInput } from "../../../../electron/shared/schemas.js";
import type { SundialClient } from "../api.js";
import {
  blankValues,
  emptyEnvRow,
  fieldProblemText,
  FIELDS_OF_VALUE,
  formZone,
  inputFromValues,
  localErrors,
  patchFromValues,
  presetTimeOf,
  triggerFromValues,
  valuesFromJob,
  VALUE_OF_FIELD,
  withPresetTime,
  type EditorValues,
  type FieldErrors,
} from "../editor-form.js";
import { resolveTimeZone, systemTimeZone } from "../../../../electron/shared/civil-time.js";
import { describeTrigger } from "../../../../electron/shared/trigger-kinds.js";
import { issuesOf, messageOf } from "../errors.js";
import { formatRunTime, usesTwelveHourClock } from "../format.js";

/** What the editor needs from the engine. */
export type EditorClient = Pick<SundialClient, "previewTrigger" | "addJob" | "updateJob">;

export interface EditorOptions {
  client: EditorClient;
  /** Edit this job; absent for a new job. */
  job?: JobView;
  /** Start a new job from this one (Duplicate). */
  copyOf?: JobView;
  systemZone?: string;
  now?: () => number;
  /** Quiet time after the last keystroke before asking the engine for a preview. */
  previewDelayMs?: number;
}

type SimpleValueKey = Exclude<keyof EditorValues, "env">;

/** The values whose change changes the schedule, hence the preview. */
const SCHEDULE_VALUES: ReadonlySet<keyof EditorValues> = new Set(["scheduleType", "cronExpression", "every", "intervalStart", "intervalEnd", "jitter", "runAt", "timezone"]);

/**
 * Values whose errors wait for the field to be left (or Save): a zone is searched as it is
 * typed, and "Par" on the way to "Paris" is not a mistake (issue 13, item 5).
 */
const CHECKED_ON_LEAVE: ReadonlySet<keyof EditorValues> = new Set(["timezone"]);

/** Cron presets offered next to the expression. */
export type CronPreset = "hourly" | "daily" | "weekdays";

/** State of one open editor (New job, Edit job or a duplicate). */
export class EditorState {
  readonly mode: "new" | "edit";
  /** The job being edited (or duplicated): fields the form does not show are kept from it. */
  readonly original: JobView | null;
  readonly systemZone: string;

  values = $state<EditorValues>() as EditorValues;
  /** Which values the user has changed: their errors show as they type. */
  touched = $state<Partial<Record<keyof EditorValues, true>>>({});
  /** A Save was attempted: every error shows. */
  submitted = $state(false);
  /** The engine's verdict on the last Save, until the field is edited again. */
  serverErrors = $state<FieldErrors>({});
  previewErrors = $state<FieldErrors>({});
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
    const valueKey = valueKeyOf(field);
    const shown = this.submitted || this.original !== null || field in this.serverErrors || (valueKey !== null && this.touched[valueKey]);
    return shown ? error : undefined;
  }

  /** The error to show next to `field` now as a sentence naming the field ("Run at is in the past"). */
  problemFor(field: string): string | undefined {
    const error = this.errorFor(field);
    return error === undefined ? undefined : fieldProblemText(field, error);
  }

  /** The form differs from what it opened with: closing it would throw something away. */
  get hasChanges(): boolean {
    return comparable(this.values) !== this.#initialValues;
  }

  /** The time the preset picker shows: the expression's own time of day, when it has one. */
  get presetTime(): string {
    return presetTimeOf(this.values.cronExpression) ?? this.#chosenPresetTime;
  }

  /** The picker changed: an expression with one time of day moves to it, keeping its days. */
  setPresetTime(time: string): void {
    // A time input reads "" while it is half typed.
    if (!/^\d{2}:\d{2}$/.test(time)) return;
    this.#chosenPresetTime = time;
    const moved = withPresetTime(this.values.cronExpression, time);
    if (moved !== null && moved !== this.values.cronExpression.trim()) this.set("cronExpression", moved);
  }

  /** The zone field was left: a city or a spelling that names one zone becomes its name. */
  commitZone(): void {
    const zone = resolveTimeZone(this.values.timezone);
    if (zone !== null && zone !== this.values.timezone) this.values.timezone = zone;
    this.touched.timezone = true;
  }

  /** Problems that belong to no input of the form, shown above it. */
  get unplacedErrors(): FieldIssue[] {
    return Object.entries(this.errors)
      .filter(([field]) => valueKeyOf(field) === null)
      .map(([field, message]) => ({ field, message }));
  }

  /** Changes one field as the user typed it. */
  set<K extends SimpleValueKey>(key: K, value: EditorValues[K]): void {
    this.values[key] = value;
    this.#changed(key, FIELDS_OF_VALUE[key]);
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

  /** Fills the cron expression from a preset; `time` is `HH:MM` for the daily ones. */
  applyPreset(preset: CronPreset, time = "09:00"): void {
    const [hour, minute] = /^(\d{1,2}):(\d{2})$/.exec(time)?.slice(1).map(Number) ?? [9, 0];
    const expressions: Record<CronPreset, string> = {
      hourly: "0 * * * *",
      daily: `${minute} ${hour} * * *`,
      weekdays: `${minute} ${hour} * * 1-5`,
    };
    this.set("scheduleType", "cron");
    this.set("cronExpression", expressions[preset]);
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

  #changed(key: keyof EditorValues, fields: readonly string[]): void {
    if (!CHECKED_ON_LEAVE.has(key)) this.touched[key] = true;
    this.nowMs = this.#now();
    if (fields.some((field) => field in this.serverErrors)) {
      this.serverErrors = Object.fromEntries(Object.entries(this.serverErrors).filter(([field]) => !fields.includes(field)));
    }
    this.formError = null;
    if (SCHEDULE_VALUES.has(key)) this.#schedulePreview();
  }

  /** The trigger to preview, or null while local checks already reject the schedule. */
  #previewableTrigger(): TriggerSpecInput | null {
    const local = localErrors(this.values, this.nowMs, this.#editing);
    if (Object.keys(local).some((field) => field.startsWith("trigger."))) return null;
    return triggerFromValues($state.snapshot(this.values) as EditorValues, this.systemZone, this.original);
  }

  #schedulePreview(): void {
    if (this.#previewTimer !== null) clearTimeout(this.#previewTimer);
    this.#previewTimer = null;
    // Whatever is in flight now answers an older question.
    const ticket = ++this.#previewTicket;
    const trigger = this.#previewableTrigger();
    if (!trigger) {
      this.preview = null;
      this.previewErrors = {};
      this.previewFailure = null;
      this.previewPending = false;
      return;
    }
    this.previewPending = true;
    this.#previewTimer = setTimeout(() => {
      this.#previewTimer = null;
      this.#previewRun = this.#runPreview(trigger, ticket);
    }, this.#previewDelayMs);
  }

  /** Save does not wait out the debounce: it asks at once. */
  async #flushPreview(): Promise<void> {
    if (this.#previewTimer !== null) {
      clearTimeout(this.#previewTimer);
      this.#previewTimer = null;
      const trigger = this.#previewableTrigger();
      this.#previewRun = trigger ? this.#runPreview(trigger, this.#previewTicket) : null;
      if (!trigger) this.previewPending = false;
    }
    await this.#previewRun;
  }

  async #runPreview(trigger: TriggerSpecInput, ticket: number): Promise<void> {
    try {
      const result = await this.#client.previewTrigger({ trigger, count: 5 });
      if (ticket !== this.#previewTicket) return;
      // The engine's words write instants in ISO 8601; here they read as the run times below
      // them do: the same clock, in the zone the form's times are typed in.
      const spec = { ...trigger, version: 1 } as TriggerSpec;
      const zone = formZone(this.values) ?? this.systemZone;
      const description = describeTrigger(spec, { localZone: this.systemZone, twelveHourClock: usesTwelveHourClock(), formatInstant: (ms) => formatRunTime(ms, zone) });
      this.preview = { ...result, description };
      this.previewErrors = {};
      this.previewFailure = null;
    } catch (error) {
      if (ticket !== this.#previewTicket) return;
      this.preview = null;
      const issues = issuesOf(error);
      this.previewErrors = issues ? Object.fromEntries(issues.map((issue) => [issue.field, issue.message])) : {};
      this.previewFailure = issues ? null : messageOf(error);
    } finally {
      if (ticket === this.#previewTicket) this.previewPending = false;
    }
  }
}

/** The values as comparable text: environment rows by content, not by their row ids. */
function comparable(values: EditorValues): string {
  const snapshot = $state.snapshot(values) as EditorValues;
  return JSON.stringify({ ...snapshot, env: snapshot.env.map(({ key, value }) => [key, value]) });
}

/** The value (input) a field name belongs to, or null when no input shows it. */
function valueKeyOf(field: string): keyof EditorValues | null {
  if (field.startsWith("env.")) return "env";
  // The engine names a tag by its place (`tags[2]`); the form has one Tags field.
  if (/^tags\[\d+\]$/.test(field)) return "tags";
  return VALUE_OF_FIELD[field] ?? null;
}
