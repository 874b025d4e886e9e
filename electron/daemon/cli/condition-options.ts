/**
 * The run condition options of `add` and `edit` (issue 15): `--between HH:MM-HH:MM`, `--days
 * LIST`, `--skip-dates LIST`, `--ac-power`, `--online`, `--if-unmet skip|wait[:DURATION]`, and
 * what `edit --clear` does to them. Read with the shared rules (shared/conditions.ts), so a
 * bad value is one line naming its option, before anything reaches the engine.
 */
import { readDayList, readSkipDate, readTimeWindow, normalizedBetween, type RunConditions } from "../../shared/conditions.js";
import { parseDuration } from "../../shared/duration.js";
import { WHEN_UNMET_POLICIES, type WhenUnmetPolicy } from "../../shared/policies.js";
import type { JobPatch, JobView } from "../../shared/schemas.js";
import type { ClearableField } from "./clear-fields.js";

/** The options as commander gives them (camelCase). */
export interface ConditionOptionValues {
  between?: string;
  days?: string;
  skipDates?: string;
  acPower?: boolean;
  online?: boolean;
  ifUnmet?: string;
}

/** What the options say: the conditions given (a key per option given) and the unmet policy. */
export interface ConditionFields {
  conditions: RunConditions;
  whenUnmet?: WhenUnmetPolicy;
  /** With `wait:DURATION`; null: `wait` alone, no limit. */
  waitUpToSeconds?: number | null;
}

/** Each condition's `--clear` name and the key it empties. */
const CONDITION_CLEARS = {
  between: "between",
  days: "days",
  "skip-dates": "skipDates",
  "ac-power": "acPower",
  online: "online",
} as const satisfies Partial<Record<ClearableField, keyof RunConditions>>;

/** Reads the condition options; every problem is one line naming its option. */
export function readConditionOptions(values: ConditionOptionValues): { fields: ConditionFields; problems: string[] } {
  const problems: string[] = [];
  const conditions: RunConditions = {};
  if (values.between !== undefined) {
    const { problem } = readTimeWindow(values.between);
    if (problem) problems.push(`--between: ${problem}`);
    else conditions.between = normalizedBetween(values.between)!;
  }
  if (values.days !== undefined) {
    const read = readDayList(values.days);
    if (read.problem !== undefined) problems.push(`--days: ${read.problem}`);
    else conditions.days = read.days;
  }
  if (values.skipDates !== undefined) {
    const entries = values.skipDates.split(",").map((entry) => entry.trim());
    if (entries.every((entry) => entry === "")) problems.push("--skip-dates: must list at least one date (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, comma-separated)");
    else {
      for (const entry of entries) {
        const { problem } = entry === "" ? { problem: `"${values.skipDates}" has an empty entry` } : readSkipDate(entry);
        if (problem) problems.push(`--skip-dates: ${problem}`);
      }
      if (!problems.some((line) => line.startsWith("--skip-dates:"))) conditions.skipDates = entries;
    }
  }
  if (values.acPower) conditions.acPower = true;
  if (values.online) conditions.online = true;
  const fields: ConditionFields = { conditions };
  if (values.ifUnmet !== undefined) {
    const [policy, limit, ...rest] = values.ifUnmet.trim().split(":");
    if (!(WHEN_UNMET_POLICIES as readonly string[]).includes(policy ?? "") || rest.length > 0) {
      problems.push(`--if-unmet: "${values.ifUnmet}" is not one of skip, wait, wait:DURATION`);
    } else if (policy === "skip" && limit !== undefined) {
      problems.push(`--if-unmet: "${values.ifUnmet}": a limit applies to wait only (wait:${limit})`);
    } else {
      fields.whenUnmet = policy as WhenUnmetPolicy;
      if (policy === "wait") {
        if (limit === undefined) fields.waitUpToSeconds = null;
        else {
          try {
            fields.waitUpToSeconds = parseDuration(limit);
          } catch (error) {
            problems.push(`--if-unmet: ${(error as Error).message}`);
          }
        }
      }
    }
  }
  return { fields, problems };
}

/** `add`: the job input's condition fields (only those given). */
export function conditionInput(fields: ConditionFields): { conditions?: RunConditions; whenUnmet?: WhenUnmetPolicy; waitUpToSeconds?: number } {
  return {
    ...(Object.keys(fields.conditions).length > 0 ? { conditions: fields.conditions } : {}),
    ...(fields.whenUnmet !== undefined ? { whenUnmet: fields.whenUnmet } : {}),
    ...(typeof fields.waitUpToSeconds === "number" ? { waitUpToSeconds: fields.waitUpToSeconds } : {}),
  };
}

/**
 * `edit`: the patch's condition fields. The options given replace those conditions and keep
 * the others; `--clear conditions` empties them all (and the unmet policy) first, `--clear
 * between` (and each other condition's name) just that one.
 */
export function conditionPatch(current: JobView, fields: ConditionFields, clears: ReadonlySet<ClearableField>): Pick<JobPatch, "conditions" | "whenUnmet" | "waitUpToSeconds"> {
  const patch: Pick<JobPatch, "conditions" | "whenUnmet" | "waitUpToSeconds"> = {};
  const clearAll = clears.has("conditions");
  const clearedOne = (Object.keys(CONDITION_CLEARS) as (keyof typeof CONDITION_CLEARS)[]).filter((name) => clears.has(name));
  if (clearAll || clearedOne.length > 0 || Object.keys(fields.conditions).length > 0) {
    const kept: RunConditions = clearAll ? {} : { ...current.conditions };
    for (const name of clearedOne) delete kept[CONDITION_CLEARS[name]];
    const next = { ...kept, ...fields.conditions };
    patch.conditions = Object.keys(next).length > 0 ? next : null;
  }
  if (clearAll) {
    patch.whenUnmet = null;
    patch.waitUpToSeconds = null;
  }
  if (fields.whenUnmet !== undefined) {
    patch.whenUnmet = fields.whenUnmet;
    patch.waitUpToSeconds = fields.waitUpToSeconds ?? null;
  }
  return patch;
}

/** The option a service field under `conditions`, `whenUnmet` or `waitUpToSeconds` came from. */
export function conditionOption(field: string): string | null {
  const [head, tail] = field.split(".");
  if (head === "whenUnmet" || head === "waitUpToSeconds") return "--if-unmet";
  if (head !== "conditions") return null;
  switch (tail) {
    case "between":
      return "--between";
    case "days":
      return "--days";
    case "skipDates":
      return "--skip-dates";
    case "acPower":
      return "--ac-power";
    case "online":
      return "--online";
    default:
      return "--between";
  }
}
