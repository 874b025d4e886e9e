/**
 * A job's alert rules (issue 16; DESIGN.md "Alerts"), zod-free: the CLI, the engine and the
 * renderer read these; the zod schema that checks them is `AlertRulesSchema` in schemas.ts.
 *
 * - `afterFailures` N: one alert at the Nth failure in a row, none again until a success;
 * - `recovered`: one alert at the first success after an alert-worthy failure streak;
 * - `expectSuccessWithin` seconds: the dead-man's switch, one alert when no run succeeded for
 *   that long (measured from the last success, or from when the job was created), again only
 *   after a success;
 * - `slowerThan` seconds or "auto": one alert while a run is still going past the limit.
 */
import { median } from "./stats.js";
import type { AlertKind } from "./contract.js";

/** `slowerThan: "auto"`: 3× the median of the job's last 20 successes, once it has at least 5. */
export const SLOW_AUTO = "auto";
export const SLOW_AUTO_FACTOR = 3;
export const SLOW_AUTO_SAMPLE = 20;
export const SLOW_AUTO_MIN_SUCCESSES = 5;

/** `afterFailures` at most this: past it the rule would never be reached in practice. */
export const MAX_ALERT_AFTER_FAILURES = 1000;

/** How many alerts the history keeps per job (and for the summaries, which concern no one job). */
export const ALERTS_KEPT_PER_JOB = 100;

export interface AlertRules {
  afterFailures?: number;
  recovered?: boolean;
  expectSuccessWithin?: number;
  slowerThan?: number | typeof SLOW_AUTO;
}

/** The rule defaults a job without its own falls back to (settings `default-alert-after`, `default-alert-recovered`). */
export interface AlertDefaults {
  afterFailures?: number | undefined;
  recovered?: boolean | undefined;
}

/** The rules in force for a job: its own, else the settings' defaults (a job's `recovered: false` opts out). */
export function effectiveAlertRules(own: AlertRules | undefined, defaults: AlertDefaults): AlertRules {
  const rules: AlertRules = { ...own };
  if (rules.afterFailures === undefined && defaults.afterFailures) rules.afterFailures = defaults.afterFailures;
  if (rules.recovered === undefined && defaults.recovered) rules.recovered = true;
  return rules;
}

/** True when the job has no rule at all (nothing to show, nothing to watch). */
export function hasAlertRules(rules: AlertRules | undefined): boolean {
  return rules !== undefined && Object.values(rules).some((value) => value !== undefined && value !== false);
}

/**
 * The `auto` limit in ms from a job's recent successful durations (newest first): 3× the
 * median of the last 20, or null below 5 successes (too few to know what "usual" is).
 */
export function autoSlowLimitMs(successDurationsMs: readonly number[]): number | null {
  const sample = successDurationsMs.slice(0, SLOW_AUTO_SAMPLE);
  if (sample.length < SLOW_AUTO_MIN_SUCCESSES) return null;
  // A job that takes 2 ms usually is not "slow" at 7 ms: at least a second.
  return Math.max(1000, Math.round(median(sample)! * SLOW_AUTO_FACTOR));
}

/** The alert kinds that stay open until something happens (a success, the run ending). */
export const OPEN_ALERT_KINDS = ["failures", "no-success", "slow"] as const satisfies readonly AlertKind[];
export type OpenAlertKind = (typeof OPEN_ALERT_KINDS)[number];

/** A job's alert that still holds, as JobView carries it (derived, never stored). */
export interface OpenAlert {
  alertId: string;
  kind: OpenAlertKind;
  /** When it was raised (ISO 8601). */
  at: string;
  /** no-success: the last success (or the job's creation); failures: the streak's first failure; slow: the run's start. */
  since: string;
  /** failures: how many runs in a row have failed by now. */
  failures?: number;
}
