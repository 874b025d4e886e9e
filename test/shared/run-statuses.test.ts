/**
 * One failure-status set (electron/shared/run-statuses.ts): the notifier's `failure` policy
 * and the tray's failed icon call the same statuses failures.
 */
import { describe, expect, it } from "vitest";
import { shouldNotify } from "../../electron/core/notifier/policy.js";
import { trayIconState } from "../../electron/main/tray-menu.js";
import { FAILURE_STATUSES, RETRIED_STATUSES, RUN_STATUSES } from "../../electron/shared/run-statuses.js";
import { RunStatus } from "../../electron/shared/schemas.js";
import { finishedRun, jobView } from "../main/fixtures.js";

describe("the failure-status set", () => {
  it("is what the notifier's failure policy notifies and what turns the tray icon to failed", () => {
    const notified = RUN_STATUSES.filter((status) => shouldNotify("failure", status, true));
    const trayFailed = RUN_STATUSES.filter(
      (status) => trayIconState({ jobs: [jobView({ lastRun: finishedRun({ status }) })] }) === "failed",
    );
    expect(notified).toEqual(RUN_STATUSES.filter((status) => FAILURE_STATUSES.has(status)));
    expect(trayFailed).toEqual(notified);
  });

  it("retries every failure but an interrupted run (Sundial itself stopped)", () => {
    expect([...RETRIED_STATUSES].sort()).toEqual([...FAILURE_STATUSES].filter((status) => status !== "interrupted").sort());
  });

  it("checks stored records against the same statuses", () => {
    expect(RunStatus.options).toEqual([...RUN_STATUSES]);
  });
});
