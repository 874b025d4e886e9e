import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Agenda, JobStats } from "../../electron/shared/contract.js";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { connectClient } from "../../electron/daemon/client.js";
import { ValidationError } from "../../electron/shared/errors.js";
import { ensureBuilt, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const names = (jobs: readonly JobView[]) => jobs.map((job) => job.name).sort();

// Each test has its own home and daemon: run them side by side.
describe.concurrent("tags, stats and the agenda through the CLI and a real daemon (issue 17)", () => {
  test("tags: given with --tag, listed with list --tag (any case), replaced and cleared by edit, kept by export and import", async () => {
    const home = tempHome("tags");
    await startDaemon(home);
    const add = (name: string, ...tags: string[]) => sundial(["add", name, "--cron", "0 3 * * *", ...tags.flatMap((tag) => ["--tag", tag]), "--", "true"], { home });
    expect((await add("backup-docs", "backup", "nightly")).code).toBe(0);
    expect((await add("backup-photos", "Backup")).code).toBe(0);
    expect((await add("report", "work")).code).toBe(0);
    expect((await add("plain")).code).toBe(0);

    expect(names(await sundialJson<JobView[]>(["list", "--tag", "backup"], { home }))).toEqual(["backup-docs", "backup-photos"]);
    expect(names(await sundialJson<JobView[]>(["list", "--tag", "NIGHTLY"], { home }))).toEqual(["backup-docs"]);
    expect(await sundialJson<JobView[]>(["list", "--tag", "nobody"], { home })).toEqual([]);
    const docs = await sundialJson<JobView>(["show", "backup-docs"], { home });
    expect(docs.tags).toEqual(["backup", "nightly"]);
    expect((await sundialJson<JobView>(["show", "plain"], { home })).tags).toEqual([]);

    const table = await sundial(["list", "--tag", "backup"], { home });
    expect(table.stdout).toMatch(/^NEXT\s+LEFT\s+LAST\s+STATUS\s+NAME\s+SCHEDULE\s+TAGS$/m);
    expect(table.stdout).toMatch(/backup-docs\s+At 03:00 \(0 3 \* \* \*\)\s+backup, nightly$/m);
    expect(table.stdout).toContain('2 jobs with tag "backup" listed.');

    // On edit the tags given replace the job's; --clear tags takes them all off.
    expect((await sundial(["edit", "report", "--tag", "work", "--tag", "weekly"], { home })).code).toBe(0);
    expect((await sundialJson<JobView>(["show", "report"], { home })).tags).toEqual(["work", "weekly"]);
    expect((await sundial(["edit", "backup-photos", "--clear", "tags"], { home })).code).toBe(0);
    expect(names(await sundialJson<JobView[]>(["list", "--tag", "backup"], { home }))).toEqual(["backup-docs"]);

    const file = path.join(tempHome("tags-export"), "jobs.json");
    expect((await sundial(["export", file], { home })).code).toBe(0);
    const other = tempHome("tags-import");
    await startDaemon(other);
    expect((await sundial(["import", file], { home: other })).code).toBe(0);
    const imported = await sundialJson<JobView[]>(["list"], { home: other });
    expect(Object.fromEntries(imported.map((job) => [job.name, job.tags]))).toEqual({
      "backup-docs": ["backup", "nightly"],
      "backup-photos": [],
      report: ["work", "weekly"],
      plain: [],
    });
  });

  test("stats: after real runs, the count, success rate and duration median and p95 are the history's", async () => {
    const home = tempHome("stats");
    await startDaemon(home);
    const folder = tempHome("stats-cwd");
    // Succeeds, fails, succeeds: a marker file flips it.
    const flip = "if [ -e marker ]; then rm marker; sleep 0.1; exit 3; else touch marker; sleep 0.2; fi";
    expect((await sundial(["add", "flip", "--cron", "0 0 1 1 *", "--cwd", folder, "--", flip], { home })).code).toBe(0);
    const before = await sundialJson<JobView & { stats: JobStats }>(["show", "flip"], { home });
    expect(before.stats).toMatchObject({ runs: 0, succeeded: 0, failed: 0, successRate: null, durationMedianMs: null, durationP95Ms: null, recent: [] });

    const outcomes = [];
    for (let index = 0; index < 3; index++) outcomes.push((await sundial(["run", "flip", "--wait"], { home })).code);
    expect(outcomes).toEqual([0, 1, 0]);

    const runs = await sundialJson<Run[]>(["history", "flip"], { home });
    const durations = runs.map((run) => run.durationMs!).sort((a, b) => a - b);
    const { stats } = await sundialJson<JobView & { stats: JobStats }>(["show", "flip"], { home });
    expect(stats).toMatchObject({ runs: 3, succeeded: 2, failed: 1 });
    expect(stats.successRate).toBeCloseTo(2 / 3, 10);
    expect(stats.durationMedianMs).toBe(durations[1]);
    expect(stats.durationP95Ms).toBe(durations[2]);
    // The chart's bars: oldest first, each run's own status and duration.
    expect(stats.recent.map((bar) => [bar.runId, bar.status, bar.durationMs])).toEqual(runs.reverse().map((run) => [run.id, run.status, run.durationMs]));

    const shown = await sundial(["show", "flip"], { home });
    expect(shown.stdout).toMatch(/^Stats: +3 runs kept · 67 % succeeded \(2 of 3\) · median \d+ ms · p95 \d+ ms$/m);
  });

  test("agenda: a fixed set of cron jobs, grouped by day in the zone asked for, sorted, capped for a job that runs every 10 minutes", async () => {
    const home = tempHome("agenda");
    await startDaemon(home);
    const add = (...args: string[]) => sundial(["add", ...args, "--", "true"], { home });
    expect((await add("paris-morning", "--cron", "0 9 * * *", "--tz", "Europe/Paris", "--tag", "daily")).code).toBe(0);
    expect((await add("monday", "--cron", "30 8 * * 1", "--tz", "UTC")).code).toBe(0);
    expect((await add("often", "--cron", "*/10 * * * *", "--tz", "UTC")).code).toBe(0);
    expect((await add("once", "--at", "2030-01-02T12:00:00Z")).code).toBe(0);
    expect((await add("resting", "--cron", "0 10 * * *", "--tz", "UTC", "--paused")).code).toBe(0);

    // 2030-01-01 is a Tuesday: three days hold no Monday.
    const agenda = await sundialJson<Agenda>(["agenda", "--from", "2030-01-01T00:00:00Z", "--days", "3", "--tz", "UTC"], { home });
    expect(agenda).toMatchObject({ from: "2030-01-01T00:00:00+00:00", until: "2030-01-04T00:00:00+00:00", timezone: "UTC" });
    expect(agenda.days.map((day) => day.date)).toEqual(["2030-01-01", "2030-01-02", "2030-01-03"]);
    for (const day of agenda.days) {
      const times = day.runs.map((run) => Date.parse(run.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(day.runs.every((run) => run.at.startsWith(day.date))).toBe(true);
      expect(day.runs.some((run) => run.jobName === "resting" || run.jobName === "monday")).toBe(false);
      // Every 10 minutes is 144 runs a day: its first 24 are listed, and the day says there are more.
      const often = day.runs.filter((run) => run.jobName === "often");
      expect(often).toHaveLength(24);
      expect(day.more.map((more) => more.jobName)).toEqual(["often"]);
      expect(day.runs.filter((run) => run.jobName === "paris-morning")).toEqual([
        expect.objectContaining({ at: `${day.date}T08:00:00+00:00`, jobZone: "Europe/Paris", tags: ["daily"] }),
      ]);
    }
    // Runs strictly after --from: the first day's every-10-minutes runs start at 00:10.
    expect(agenda.days[0]!.runs[0]).toMatchObject({ jobName: "often", at: "2030-01-01T00:10:00+00:00" });
    expect(agenda.days[1]!.runs[0]).toMatchObject({ jobName: "often", at: "2030-01-02T00:00:00+00:00" });
    expect(agenda.days[1]!.runs.filter((run) => run.jobName === "once").map((run) => run.at)).toEqual(["2030-01-02T12:00:00+00:00"]);

    // In Paris the same morning run is at 09:00 on the zone's own days, and needs no zone note.
    const paris = await sundialJson<Agenda>(["agenda", "--from", "2030-01-01T00:00:00+01:00", "--days", "1", "--tz", "Europe/Paris"], { home });
    expect(paris.days.map((day) => day.date)).toEqual(["2030-01-01"]);
    expect(paris.days[0]!.runs.filter((run) => run.jobName === "paris-morning")).toEqual([expect.objectContaining({ at: "2030-01-01T09:00:00+01:00", jobZone: null })]);

    // Seven days by default; the human view has a heading per day and names the capped job.
    expect((await sundialJson<Agenda>(["agenda", "--tz", "UTC"], { home })).days).toHaveLength(7);
    const text = await sundial(["agenda", "--from", "2030-01-01T00:00:00Z", "--days", "2", "--tz", "UTC"], { home });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Tuesday 1 Jan$/m);
    expect(text.stdout).toMatch(/^Wednesday 2 Jan$/m);
    expect(text.stdout).toMatch(/^ {2}12:00 +in .+ +once$/m);
    expect(text.stdout).toContain("… often runs more often this day; its first 24 runs are listed");
    expect(text.stdout).toMatch(/^ {2}08:00 .+paris-morning +\(09:00 Europe\/Paris\)$/m);

    // The engine checks what any client sends: each problem names its field.
    const refused = await connectClient({ home })
      .agenda({ days: 0, from: "soon", timezone: "Mars/Base" })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((issue) => issue.field)).toEqual(["days", "from", "timezone"]);

    // While every job is paused, nothing before the pause ends is expected.
    expect((await sundial(["pause", "--all", "--until", "2030-01-02T00:00:00Z"], { home })).code).toBe(0);
    const paused = await sundialJson<Agenda>(["agenda", "--from", "2030-01-01T00:00:00Z", "--days", "2", "--tz", "UTC"], { home });
    expect(paused.days[0]!.runs).toEqual([]);
    expect(paused.days[1]!.runs.length).toBeGreaterThan(0);
  });
});
