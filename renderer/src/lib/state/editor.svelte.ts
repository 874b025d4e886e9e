/**
 * The job editor's live state: the form's values, every error keyed by the service's field
 * names (local checks, the engine's preview, the engine's verdict on Save), the cron
 * preview (words and the next five runs) and Save itself.
 */
import type { PreviewResult } from "../../../../electron/shared/contract.js";
import type { FieldIssue } from "../../../../electron/shared/errors.js";
import type { JobView, TriggerSpecInput } from "../../../../electron/shared/schemas.js";
import type { SundialClient } from "../api.js";
import {
  blankValues,
  emptyEnvRow,
  FIELDS_OF_VALUE,
  inputFromValues,
  localErrors,
  patchFromValues,
  triggerFromValues,
  valuesFromJob,
  VALUE_OF_FIELD,
  type EditorValues,
  type FieldErrors,
} from "../editor-form.js";
import { systemTimeZone } from "../zoned-time.js";
import { issuesOf, messageOf } from "../errors.js";

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
const SCHEDULE_VALUES: ReadonlySet<keyof EditorValues> = new Set(["scheduleType", "cronExpression", "every", "runAt", "timezone"]);

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

  /** Every current problem, by field; local checks win over the engine's older verdicts. */
  readonly errors: FieldErrors = $derived({ ...this.serverErrors, ...this.previewErrors, ...localErrors(this.values, this.nowMs) });
  /**
   * Nothing known to be wrong. A preview still in flight does not disable Save (Enter right
   * after typing must work): save() waits for it and refuses if the engine objects.
   */
  readonly canSave = $derived(Object.keys(this.errors).length === 0 && !this.saving);

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
    this.#schedulePreview();
  }

  /** The editor's title. */
  get heading(): string {
    return this.mode === "edit" ? "Edit job" : "New job";
  }

  /** The error to show next to `field` now, if any. */
  errorFor(field: string): string | undefined {
    const error = this.errors[field];
    if (error === undefined) return undefined;
    const valueKey = valueKeyOf(field);
    return this.submitted || field in this.serverErrors || (valueKey !== null && this.touched[valueKey]) ? error : undefined;
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
    this.touched[key] = true;
    this.nowMs = this.#now();
    if (fields.some((field) => field in this.serverErrors)) {
      this.serverErrors = Object.fromEntries(Object.entries(this.serverErrors).filter(([field]) => !fields.includes(field)));
    }
    this.formError = null;
    if (SCHEDULE_VALUES.has(key)) this.#schedulePreview();
  }

  /** The trigger to preview, or null while local checks already reject the schedule. */
  #previewableTrigger(): TriggerSpecInput | null {
    const local = localErrors(this.values, this.nowMs);
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
      this.preview = result;
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

/** The value (input) a field name belongs to, or null when no input shows it. */
function valueKeyOf(field: string): keyof EditorValues | null {
  if (field.startsWith("env.")) return "env";
  return VALUE_OF_FIELD[field] ?? null;
}
