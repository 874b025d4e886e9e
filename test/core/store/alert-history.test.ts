/**
 * `alerts.jsonl` (issue 16): what a restart must know to not repeat an alert. Real files in a
 * temp folder.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Alert } from "../../../electron/shared/contract.js";
import { ALERTS_KEPT_PER_JOB } from "../../../electron/shared/alert-rules.js";
import { JsonlAlertHistory } from "../../../electron/core/store/alert-history.js";
import { removeTempFolders, tempFolder } from "../../support/temp-folders.mjs";

afterAll(() => removeTempFolders());

let counter = 0;
function alert(overrides: Partial<Alert> = {}): Alert {
  counter++;
  return {
    id: `a_${counter}`,
    kind: "failures",
    at: new Date(Date.UTC(2026, 2, 2, 10, 0, counter)).toISOString(),
    jobId: "j1",
    jobName: "backup",
    runId: `r_${counter}`,
    title: `backup failed ${counter} times in a row`,
    message: "Last run: exit code 3.",
    ...overrides,
  };
}

async function opened(file: string): Promise<JsonlAlertHistory> {
  const history = new JsonlAlertHistory(file);
  await history.open();
  return history;
}

describe("the alert history file", () => {
  it("keeps recorded alerts across a reopen, newest first, private to the user", async () => {
    const file = path.join(tempFolder("alerts-reopen"), "alerts.jsonl");
    const first = await opened(file);
    const older = alert();
    const newer = alert({ kind: "no-success", runId: null });
    const summary = alert({ kind: "missed-summary", jobId: null, jobName: null, runId: null, jobIds: ["j1", "j2"] });
    for (const each of [older, newer, summary]) await first.record(each);
    await first.close();
    if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const again = await opened(file);
    expect(again.list({ jobId: "j1" })).toEqual([newer, older]);
    expect(again.list()).toEqual([summary, newer, older]);
    expect(again.list({ kind: "missed-summary" })).toEqual([summary]);
    expect(again.latest("j1", ["no-success"])).toEqual(newer);
    expect(again.latest("j1", ["slow"])).toBeNull();
    expect(again.warnings).toEqual([]);
  });

  it("skips a line torn by a crash silently, and names a damaged line in the middle", async () => {
    const file = path.join(tempFolder("alerts-torn"), "alerts.jsonl");
    const good = alert();
    fs.writeFileSync(file, `not json\n${JSON.stringify(good)}\n{"id":"a_x","kind":"fail`, { mode: 0o600 });
    const history = await opened(file);
    expect(history.list()).toEqual([good]);
    expect(history.warnings).toEqual(["alerts.jsonl line 1 is not an alert; skipped"]);
  });

  it(`keeps at most ${ALERTS_KEPT_PER_JOB} alerts per job, prunes by age and forgets a purged job, rewriting the file`, async () => {
    const file = path.join(tempFolder("alerts-prune"), "alerts.jsonl");
    const history = await opened(file);
    for (let index = 0; index < ALERTS_KEPT_PER_JOB + 5; index++) await history.record(alert());
    expect(history.list({ jobId: "j1", limit: 1000 })).toHaveLength(ALERTS_KEPT_PER_JOB);
    // Nothing is old, yet the file sheds the alerts past the bound too.
    await history.prune(30, new Date("2026-03-03T00:00:00Z"));
    expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(ALERTS_KEPT_PER_JOB);

    await history.record(alert({ jobId: "j2", jobName: "sync", at: "2026-01-01T00:00:00.000Z" }));
    await history.prune(30, new Date("2026-03-03T00:00:00Z"));
    expect(history.list({ jobId: "j2" })).toEqual([]);
    await history.forgetJob("j1");
    await history.record(alert({ jobId: "j3" }));
    await history.close();
    expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
    expect((await opened(file)).list().map((each) => each.jobId)).toEqual(["j3"]);
  });
});
