/**
 * Issue 13, item 3, through the real daemon and CLI: a finished one-off job can be edited
 * (without a new date it stays finished; a future date re-arms it) and offers no pause.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

let home: string;
const show = (name: string) => sundialJson<JobView>(["show", name], { home });
const runsOf = (name: string) => sundialJson<Run[]>(["history", name], { home });

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("finished-job");
  await startDaemon(home);
  const added = await sundial(["add", "report", "--at", new Date(Date.now() + 3000).toISOString(), "--", "echo first"], { home });
  expect(added.code, added.stderr).toBe(0);
  await waitFor(async () => {
    const job = await show("report");
    return job.finished && job.lastRun?.status === "succeeded";
  }, 60_000, "the one-off job to run");
}, 120_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe("a finished one-off job", () => {
  test("cannot be paused: the CLI says it is finished and nothing changes", async () => {
    const before = await show("report");
    const result = await sundial(["pause", "report"], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`"report" has finished: its schedule has no runs left, so there is nothing to pause (edit its schedule to run it again)\n`);
    expect(await show("report")).toEqual(before);
  });

  test("edited without a new date keeps its date and stays finished (rename, new command)", async () => {
    const before = await show("report");
    const renamed = await sundial(["edit", "report", "--name", "monthly report", "--", "echo", "second version"], { home });
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toContain(`Updated job ${before.id} "monthly report"; finished`);
    const after = await show("monthly report");
    expect(after).toMatchObject({ id: before.id, command: "echo 'second version'", triggers: before.triggers, finished: true, nextRunAt: null, paused: false });
    expect(await runsOf("monthly report")).toHaveLength(1);
  });

  test("given a date in the past again is refused at --at, and nothing changes", async () => {
    const before = await show("monthly report");
    const result = await sundial(["edit", "monthly report", "--at", "2020-01-01T00:00:00Z"], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--at: "2020-01-01T00:00:00Z" is in the past`);
    expect(await show("monthly report")).toEqual(before);
  });

  test("given a future date is re-armed: it runs then, and can be paused again", async () => {
    const at = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000);
    const result = await sundial(["edit", "monthly report", "--at", at.toISOString()], { home });
    expect(result.code, result.stderr).toBe(0);
    const armed = await show("monthly report");
    expect(armed).toMatchObject({ finished: false, triggers: [{ type: "date", at: at.toISOString() }] });
    expect(Date.parse(armed.nextRunAt!)).toBe(at.getTime());
    await waitFor(async () => {
      const runs = await runsOf("monthly report");
      return runs.length === 2 && runs[0]!.status !== "running";
    }, 60_000, "the re-armed run to end");
    const [latest] = await runsOf("monthly report");
    expect(latest).toMatchObject({ status: "succeeded", reason: "schedule", scheduledAt: expect.any(String) });
    expect(Date.parse(latest!.scheduledAt!)).toBe(at.getTime());
    expect(await show("monthly report")).toMatchObject({ finished: true });

    // Re-armed once more, a live one-off job pauses as before.
    expect((await sundial(["edit", "monthly report", "--at", new Date(Date.now() + 86_400_000).toISOString()], { home })).code).toBe(0);
    const paused = await sundial(["pause", "monthly report"], { home });
    expect(paused.code, paused.stderr).toBe(0);
    expect(await show("monthly report")).toMatchObject({ paused: true, finished: false });
  });
});
