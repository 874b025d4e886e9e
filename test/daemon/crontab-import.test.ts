import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobView, TriggerSpec } from "../../electron/shared/schemas.js";
import type { CrontabPlan } from "../../electron/shared/crontab.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, ROOT, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

const CRONTAB = path.join(ROOT, "test/fixtures/crontab/desktop.crontab");
const env = { TZ: "UTC" };
let home: string;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("crontab-import");
  await startDaemon(home, { env });
}, 120_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const cli = (args: string[], on = home) => sundial(args, { home: on, env });
const list = (on = home) => sundialJson<JobView[]>(["list"], { home: on, env });

/** `sundial next` for a trigger, from a fixed instant, as instants. */
async function nextTimes(trigger: TriggerSpec, from: string, count: number): Promise<string[]> {
  if (trigger.type !== "cron") throw new Error(`not a cron trigger: ${JSON.stringify(trigger)}`);
  const args = ["next", "--cron", trigger.expression, "--from", from, "-n", String(count), ...(trigger.timezone ? ["--tz", trigger.timezone] : [])];
  const times = await sundialJson<string[]>(args, { home, env });
  return times.map((time) => new Date(time).toISOString());
}

// What cronie runs (crontab(5), the OR rule for day-of-month and day-of-week, CRON_TZ) for
// each job of the fixture, from the given instant: written out by hand, not computed.
const CRONIE_TIMES: Record<string, { from: string; times: string[] }> = {
  "Back up the photos": { from: "2026-06-10T12:00:00Z", times: ["2026-06-11T02:30:00.000Z", "2026-06-12T02:30:00.000Z", "2026-06-13T02:30:00.000Z"] },
  "Tidy downloads": { from: "2026-06-12T17:40:00Z", times: ["2026-06-12T17:45:00.000Z", "2026-06-15T09:00:00.000Z", "2026-06-15T09:15:00.000Z"] },
  echo: {
    from: "2026-06-10T12:00:00Z",
    times: ["2026-06-12T00:00:00.000Z", "2026-06-15T00:00:00.000Z", "2026-06-19T00:00:00.000Z", "2026-06-26T00:00:00.000Z", "2026-07-01T00:00:00.000Z", "2026-07-03T00:00:00.000Z"],
  },
  "echo-2": { from: "2026-06-10T12:00:00Z", times: ["2026-06-14T00:00:00.000Z", "2026-06-21T00:00:00.000Z"] },
  "Weekly report": { from: "2026-06-10T12:00:00Z", times: ["2026-06-15T08:00:00.000Z", "2026-06-22T08:00:00.000Z"] },
  "Standup reminder": { from: "2026-06-10T12:00:00Z", times: ["2026-06-10T13:45:00.000Z", "2026-06-11T13:45:00.000Z", "2026-06-12T13:45:00.000Z", "2026-06-15T13:45:00.000Z"] },
  "echo-3": { from: "2026-06-10T12:00:00Z", times: ["2026-07-05T16:00:00.000Z", "2026-07-12T16:00:00.000Z", "2026-07-19T16:00:00.000Z", "2026-07-26T16:00:00.000Z", "2027-01-03T17:00:00.000Z"] },
};

describe("sundial import --from-crontab", () => {
  test("a dry run shows the plan as a table, names the line it cannot take, and stores nothing", async () => {
    const result = await cli(["import", "--from-crontab", CRONTAB, "--dry-run"]);
    expect(result.code, result.stderr).toBe(2);
    const [title, header, ...rows] = result.stdout.split("\n");
    expect(title).toBe(`Plan for ${CRONTAB}: 8 jobs`);
    expect(header).toMatch(/^LINE\s+NAME\s+SCHEDULE\s+COMMAND\s+NOTES$/);
    expect(rows.slice(0, 8).map((row) => row.split(/\s{2,}/)[1])).toEqual(["Back up the photos", "Tidy downloads", "echo", "echo-2 (was echo)", "Say hello at login", "Weekly report", "Standup reminder", "echo-3 (was echo)"]);
    expect(result.stdout).toContain("Every 15 minutes, between 09:00 and 17:59, Monday through Friday (*/15 9-17 * * mon-fri)");
    expect(result.stdout).toContain("not taken: line 22: unknown alias \"@every\"");
    expect(result.stdout).toMatch(/note: line 5: MAILTO=me@example.com: Sundial does not mail/);
    expect(result.stderr).toContain("The import would be refused:");
    expect(result.stderr).toContain("--skip-unsupported");
    expect(await list()).toEqual([]);
  });

  test("an import with a line it cannot take is refused as a whole, naming the line", async () => {
    const result = await cli(["import", "--from-crontab", CRONTAB]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('line 22: unknown alias "@every"');
    expect(result.stderr).toContain("@every 5m echo not-cron");
    expect(result.stderr.trimEnd().endsWith("Nothing was imported.")).toBe(true);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(await list()).toEqual([]);
  });

  test("--skip-unsupported imports every other line, and each job runs when cronie would run it", async () => {
    const result = await cli(["import", "--from-crontab", CRONTAB, "--skip-unsupported"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Imported 8 jobs from ${CRONTAB}`);
    const jobs = await list();
    const byName = new Map(jobs.map((job) => [job.name, job]));
    expect([...byName.keys()].sort()).toEqual([...Object.keys(CRONIE_TIMES), "Say hello at login"].sort());
    for (const [name, expected] of Object.entries(CRONIE_TIMES)) {
      const job = byName.get(name)!;
      expect(job.triggers, name).toHaveLength(1);
      expect(await nextTimes(job.triggers[0]!, expected.from, expected.times.length), name).toEqual(expected.times);
    }
    expect(byName.get("Say hello at login")!.triggers).toEqual([{ type: "startup", version: 1 }]);
    expect(byName.get("Back up the photos")).toMatchObject({ shell: "/bin/bash", env: { PATH: "/usr/local/bin:/usr/bin:/bin", BACKUP_TARGET: "/mnt/backup" } });
    expect(byName.get("Standup reminder")!.triggers[0]).toMatchObject({ timezone: "America/New_York" });
  });

  test("the text after % reaches the command's standard input, as cron gives it", async () => {
    const result = await cli(["run", "Weekly report", "--wait"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("Hello,\nthe report is 100% ready.\n");
  });

  test("a name an existing job has is renamed in the plan, or refused with --no-rename", async () => {
    const plan = await sundialJson<CrontabPlan>(["import", "--from-crontab", CRONTAB, "--dry-run", "--skip-unsupported"], { home, env });
    expect(plan.jobs[0]).toMatchObject({ name: "Back up the photos-2", renamedFrom: "Back up the photos", notes: ['renamed: a job named "Back up the photos" already exists'] });
    const refused = await cli(["import", "--from-crontab", CRONTAB, "--skip-unsupported", "--no-rename"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 9: a job named "Back up the photos" already exists (--no-rename was given)');
    expect(refused.stderr).toContain("Nothing was imported.");
    expect(await list()).toHaveLength(8);
  });

  test("bad crontabs are refused with one clear line each, and nothing is stored", async () => {
    const folder = tempHome("crontab-files");
    const write = (name: string, content: string | Buffer) => {
      const file = path.join(folder, name);
      fs.writeFileSync(file, content);
      return file;
    };
    const cases: [string, string | Buffer, RegExp][] = [
      ["seven.crontab", "# quartz\n0 0 12 * * ? 2026 /usr/bin/report\n", /^line 2: has 7 time fields; a crontab line has 5 \(minute hour day-of-month month day-of-week\) and then the command: 0 0 12/m],
      ["alias.crontab", "@fortnightly echo x\n", /^line 1: unknown alias "@fortnightly" \(cron knows @reboot/m],
      ["latin1.crontab", Buffer.concat([Buffer.from("# ok\n# caf"), Buffer.from([0xe9]), Buffer.from("\n0 1 * * * true\n")]), /^FILE: .*latin1\.crontab is not UTF-8 text \(line 2\); convert it first/m],
      ["empty.crontab", "# nothing here\n\nMAILTO=\"\"\n", /^FILE: the crontab has no job lines$/m],
    ];
    for (const [name, content, message] of cases) {
      const result = await cli(["import", "--from-crontab", write(name, content)]);
      expect(result.code, `${name}: ${result.stderr}`).toBe(2);
      expect(result.stderr, name).toMatch(message);
      expect(hasStackTrace(result.stderr)).toBe(false);
    }
    const missing = await cli(["import", "--from-crontab", path.join(folder, "nope.crontab")]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/^FILE: cannot read .*nope\.crontab \(ENOENT\)/) });
    // No FILE: the user's `crontab -l`, here on a PATH where no crontab command exists.
    const noCrontab = await sundial(["import", "--from-crontab"], { home, env: { ...env, PATH: folder } });
    expect(noCrontab).toMatchObject({ code: 2, stderr: "FILE: cannot read your crontab with crontab -l (the crontab command is not installed); give a file instead: sundial import --from-crontab FILE\n" });
    const dryOnly = await cli(["import", "--dry-run", CRONTAB]);
    expect(dryOnly).toMatchObject({ code: 2, stderr: "--dry-run: only with --from-crontab\n" });
    expect(await list()).toHaveLength(8);
  });
});

describe("a round trip Sundial → crontab → Sundial", () => {
  test("keeps every time trigger: the same names, the same fire times", async () => {
    const source = tempHome("roundtrip-source");
    const target = tempHome("roundtrip-target");
    await Promise.all([startDaemon(source, { env }), startDaemon(target, { env })]);
    const adds = [
      ["add", "nightly", "--cron", "30 2 * * *", "--", "backup.sh --all"],
      ["add", "berlin", "--cron", "0 9 * * mon-fri", "--tz", "Europe/Berlin", "--", "echo guten morgen"],
      ["add", "or-rule", "--cron", "0 0 1,15 * 5", "--tz", "America/New_York", "--", "echo payday"],
      ["add", "weekly", "--cron", "@weekly", "--", "date +%F"],
      ["add", "seconds", "--cron", "0 */10 * * * *", "--", "echo ten"],
      ["add", "quarter", "--every", "15m", "--", "echo quarter"],
      ["add", "twice", "--cron", "0 8 * * *", "--cron", "0 20 * * *", "--tz", "Asia/Tokyo", "--env", "GREETING=hi there", "--", "echo \"$GREETING\""],
      ["add", "at-login", "--on", "startup", "--", "echo started"],
    ];
    for (const args of adds) {
      const added = await sundial(args, { home: source, env });
      expect(added.code, `${args[1]}: ${added.stderr}`).toBe(0);
    }
    const file = path.join(source, "exported.crontab");
    const exported = await sundial(["export", "--to", "crontab"], { home: source, env });
    expect(exported.code, exported.stderr).toBe(0);
    fs.writeFileSync(file, exported.stdout);
    const imported = await sundial(["import", "--from-crontab", file], { home: target, env });
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);

    const original = await sundialJson<JobView[]>(["list"], { home: source, env });
    const copy = new Map((await sundialJson<JobView[]>(["list"], { home: target, env })).map((job) => [job.name, job]));
    expect([...copy.keys()].sort()).toEqual(original.map((job) => job.name).sort());
    const from = "2026-06-10T12:34:56Z";
    for (const job of original) {
      const twin = copy.get(job.name)!;
      expect(twin.triggers.length, job.name).toBe(job.triggers.length);
      expect(twin.triggers.map((trigger) => trigger.type === "startup"), job.name).toEqual(job.triggers.map((trigger) => trigger.type === "startup"));
      const times = async (triggers: TriggerSpec[]) => {
        const all: string[] = [];
        for (const trigger of triggers) {
          if (trigger.type === "startup") continue;
          if (trigger.type === "interval") {
            // A fixed rate on its anchor (DESIGN.md "Interval"): anchor + k·every.
            const anchor = Date.parse(trigger.anchor!);
            const first = Math.floor((Date.parse(from) - anchor) / (trigger.everySeconds * 1000)) + 1;
            for (let k = first; k < first + 6; k++) all.push(new Date(anchor + k * trigger.everySeconds * 1000).toISOString());
            continue;
          }
          const preview = await sundialJson<string[]>(["next", ...optionsOf(trigger), "--from", from, "-n", "6"], { home: source, env });
          all.push(...preview.map((time) => new Date(time).toISOString()));
        }
        return all.sort();
      };
      // An interval's grid lies on its anchor's second: cron runs it at that minute, the seconds dropped.
      const wholeMinutes = (list: string[]) => list.map((time) => time.replace(/:\d\d\.000Z$/, ":00.000Z"));
      expect(await times(twin.triggers), job.name).toEqual(wholeMinutes(await times(job.triggers)));
    }
    expect(copy.get("twice")).toMatchObject({ env: { GREETING: "hi there" }, command: 'echo "$GREETING"' });
    expect(copy.get("weekly")!.command).toBe("date +%F");
  }, 120_000);
});

function optionsOf(trigger: TriggerSpec): string[] {
  if (trigger.type !== "cron") throw new Error(`no preview for ${trigger.type}`);
  return ["--cron", trigger.expression, ...(trigger.timezone ? ["--tz", trigger.timezone] : [])];
}
