import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planCrontab, splitPercent } from "../../../electron/core/interop/crontab-import.js";
import { ROOT } from "../../support/cli.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const plan = (text: string, taken: string[] = [], rename = true) => planCrontab(text, { takenNames: new Set(taken), rename, now: NOW });
const desktop = fs.readFileSync(path.join(ROOT, "test/fixtures/crontab/desktop.crontab"), "utf8");

describe("reading a crontab into a plan", () => {
  it("takes every job line of a desktop crontab, with names, environment and zones, and names the line it cannot take", () => {
    const result = plan(desktop);
    expect(result.jobs.map((job) => [job.lines, job.name, job.triggers])).toEqual([
      [[9], "Back up the photos", [{ type: "cron", version: 1, expression: "30 2 * * *" }]],
      [[11], "Tidy downloads", [{ type: "cron", version: 1, expression: "*/15 9-17 * * mon-fri" }]],
      [[12], "echo", [{ type: "cron", version: 1, expression: "0 0 1,15 * 5" }]],
      [[13], "echo-2", [{ type: "cron", version: 1, expression: "@weekly" }]],
      [[15], "Say hello at login", [{ type: "startup", version: 1 }]],
      [[17], "Weekly report", [{ type: "cron", version: 1, expression: "0 8 * * 1" }]],
      [[20], "Standup reminder", [{ type: "cron", version: 1, expression: "45 9 * * 1-5", timezone: "America/New_York" }]],
      [[21], "echo-3", [{ type: "cron", version: 1, expression: "0 12 * jan,jul sun", timezone: "America/New_York" }]],
    ]);
    expect(result.unsupported).toEqual([{ line: 22, text: "@every 5m echo not-cron", reason: expect.stringContaining('unknown alias "@every"') }]);
    expect(result.notes).toEqual([expect.stringMatching(/^line 5: MAILTO=me@example.com: Sundial does not mail/)]);
    const backup = result.jobs[0]!.job;
    expect(backup).toEqual({
      name: "Back up the photos",
      triggers: [{ type: "cron", version: 1, expression: "30 2 * * *" }],
      command: 'rsync -a ~/Pictures "$BACKUP_TARGET"',
      shell: "/bin/bash",
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", BACKUP_TARGET: "/mnt/backup" },
    });
    expect(result.jobs[3]!.notes).toEqual(['renamed: "echo" is the name of an earlier line']);
  });

  it("turns the text after an unescaped % into the command's standard input", () => {
    expect(splitPercent("cat > /tmp/r%Hello,%the report is 100\\% ready.")).toEqual({ command: "cat > /tmp/r", stdin: "Hello,\nthe report is 100% ready.\n" });
    expect(splitPercent("date +\\%Y-\\%m")).toEqual({ command: "date +%Y-%m", stdin: null });
    const report = plan(desktop).jobs[5]!;
    expect(report.command).toBe(`printf '%s\\n' 'Hello,' 'the report is 100% ready.' | ( cat )`);
    expect(report.notes).toEqual([expect.stringContaining("standard input")]);
  });

  it("merges lines with the same name comment and command into one job with several triggers", () => {
    const result = plan("# sync\n0 9 * * * git pull\n# sync\n0 18 * * * git pull\n# sync\n0 7 * * * git fetch\n");
    expect(result.jobs.map((job) => [job.name, job.lines, job.triggers.length])).toEqual([
      ["sync", [2, 4], 2],
      ["sync-2", [6], 1],
    ]);
  });

  it("renames a clash with an existing job, or lists it as refused when renaming is off", () => {
    const renamed = plan("# backup\n0 3 * * * b.sh\n", ["backup"]);
    expect(renamed.jobs[0]).toMatchObject({ name: "backup-2", renamedFrom: "backup", notes: ['renamed: a job named "backup" already exists'] });
    expect(renamed.clashes).toEqual([]);
    expect(plan("# backup\n0 3 * * * b.sh\n", ["backup"], false).clashes).toEqual(['line 2: a job named "backup" already exists']);
  });

  it("names each line it cannot take with the reason", () => {
    const result = plan(["0 0 12 * * ? 2026 /bin/true", "0 0 * * * * /bin/true", "61 * * * * x", "@fortnightly x", "CRON_TZ=Mars/Base", "0 1 * * * after-bad-zone", "* * *", "CRON_TZ=", "0 0 * * * tar czf a.tgz b"].join("\n"));
    expect(result.unsupported.map((line) => [line.line, line.reason])).toEqual([
      [1, expect.stringMatching(/^has 7 time fields; a crontab line has 5/)],
      [2, expect.stringMatching(/^has 6 time fields/)],
      [3, expect.stringContaining("61")],
      [4, expect.stringMatching(/^unknown alias "@fortnightly"/)],
      [5, 'CRON_TZ: unknown time zone "Mars/Base"'],
      [6, "under an unknown CRON_TZ (line 5)"],
      [7, expect.stringMatching(/^needs 5 time fields/)],
    ]);
    expect(result.jobs.map((job) => job.command)).toEqual(["tar czf a.tgz b"]);
  });

  it("takes a comment that is a commented-out job line as no name, and HOME as the job's folder", () => {
    const result = plan('MAILTO=""\nHOME=/srv\n# 0 * * * * old-job\n0 4 * * * ./run.sh --now\n');
    expect(result.notes).toEqual([]);
    expect(result.jobs[0]!.job).toMatchObject({ name: "run.sh", cwd: "/srv", env: { HOME: "/srv" } });
  });
});
