import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import plist from "plist";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";

const run = promisify(execFile);
const env = { TZ: "UTC" };
/** Far from any DST change in the zones used, so both sides agree on what a wall time is. */
const BASE = "2026-06-10T12:34:56Z";

// The table of cron expressions (the OR rule, an alias, a zone), one job each.
const TABLE: { name: string; cron: string; tz?: string }[] = [
  { name: "every-quarter", cron: "*/15 * * * *" },
  { name: "weekdays-nine", cron: "0 9 * * 1-5" },
  { name: "monthly-night", cron: "30 2 1 * *" },
  { name: "payday-or-friday", cron: "0 0 1,15 * 5" },
  { name: "sunday-noon", cron: "0 12 * * 0" },
  { name: "daily", cron: "@daily" },
  { name: "berlin-weekdays", cron: "0 9 * * mon-fri", tz: "Europe/Berlin" },
  { name: "tokyo-or-rule", cron: "15 6 13 * fri", tz: "Asia/Tokyo" },
];

let home: string;
let folder: string;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("export-formats");
  folder = tempHome("export-targets");
  await startDaemon(home, { env });
  for (const row of TABLE) {
    const added = await sundial(["add", row.name, "--cron", row.cron, ...(row.tz ? ["--tz", row.tz] : []), "--", `echo ${row.name}`], { home, env });
    expect(added.code, added.stderr).toBe(0);
  }
  const extra = [
    ["add", "careful", "--cron", "0 4 * * *", "--retries", "3", "--timeout", "10m", "--between", "09:00-17:00", "--ac-power", "--", "echo careful"],
    ["add", "pulse", "--every", "10m", "--", "echo pulse"],
    ["add", "at-login", "--on", "startup", "--", "echo hello"],
    ["add", "awkward", "--cron", "5 4 * * *", "--cwd", "/tmp", "--env", "RATE=100% of $HOME", "--", String.raw`printf '%s\n' "it's \"quoted\"" $HOME 'back\\slash'`],
    ["add", "once", "--at", "2027-03-04T05:06:00Z", "--", "echo once"],
  ];
  for (const args of extra) {
    const added = await sundial(args, { home, env });
    expect(added.code, added.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

/** `systemd-analyze calendar --iterations=N` from BASE: every "Next elapse" / "Iter. #n" instant. */
async function systemdTimes(spec: string, iterations: number): Promise<string[]> {
  const base = BASE.replace("T", " ").replace("Z", " UTC");
  const { stdout } = await run("systemd-analyze", ["calendar", `--iterations=${iterations}`, `--base-time=${base}`, spec], { env: { ...process.env, TZ: "UTC", LC_ALL: "C" } });
  return [...stdout.matchAll(/^\s*(?:Next elapse|Iter\. #\d+): \w{3} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$/gm)].map((match) => new Date(`${match[1]!.replace(" ", "T")}Z`).toISOString());
}

async function sundialNext(row: (typeof TABLE)[number], count: number): Promise<string[]> {
  const times = await sundialJson<string[]>(["next", "--cron", row.cron, ...(row.tz ? ["--tz", row.tz] : []), "--from", BASE, "-n", String(count)], { home, env });
  return times.map((time) => new Date(time).toISOString());
}

describe("sundial export --to systemd", () => {
  test("every OnCalendar= fires when sundial next says, checked by systemd-analyze calendar", async () => {
    const target = path.join(folder, "units");
    const result = await sundial(["export", "--to", "systemd", target], { home, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Wrote 26 files for 13 jobs to ${target}`);
    for (const row of TABLE) {
      const timer = fs.readFileSync(path.join(target, `sundial-${row.name}.timer`), "utf8");
      const calendars = [...timer.matchAll(/^OnCalendar=(.*)$/gm)].map((match) => match[1]!);
      // Day-of-month and day-of-week both restricted: cron's OR needs two OnCalendar= lines.
      expect(calendars.length, row.name).toBe(row.name.includes("or-") ? 2 : 1);
      if (row.tz) for (const calendar of calendars) expect(calendar.endsWith(` ${row.tz}`), calendar).toBe(true);
      const fromSystemd = new Set<string>();
      for (const calendar of calendars) for (const time of await systemdTimes(calendar, 5)) fromSystemd.add(time);
      expect([...fromSystemd].sort().slice(0, 5), `${row.name}: ${calendars.join(" | ")}`).toEqual(await sundialNext(row, 5));
      expect(timer).toContain("Persistent=true");
      expect(timer).toContain(`Unit=sundial-${row.name}.service`);
    }
  });

  test("every unit passes systemd-analyze verify, quotes, % and $ included; a one-off date fires once", async () => {
    const target = path.join(folder, "units-verify");
    const result = await sundial(["export", "--to", "systemd", target], { home, env });
    expect(result.code, result.stderr).toBe(0);
    const files = fs.readdirSync(target).map((name) => path.join(target, name));
    const verified = await run("systemd-analyze", ["verify", ...files], { env: { ...process.env, LC_ALL: "C" } }).catch((error: { stderr: string }) => ({ stdout: "", stderr: error.stderr }));
    expect(verified.stderr).toBe("");
    const awkward = fs.readFileSync(path.join(target, "sundial-awkward.service"), "utf8");
    // systemd.service(5): C escapes inside double quotes, % specifiers doubled, $ doubled so systemd leaves $HOME to the shell.
    expect(awkward).toContain(String.raw`ExecStart=/bin/sh -c "printf '%%s\\n' \"it's \\\"quoted\\\"\" $$HOME 'back\\\\slash'"`);
    expect(awkward).toContain('Environment="RATE=100%% of $HOME"');
    expect(awkward).toContain("WorkingDirectory=/tmp");
    const once = fs.readFileSync(path.join(target, "sundial-once.timer"), "utf8");
    const calendar = /^OnCalendar=(.*)$/m.exec(once)![1]!;
    expect(calendar).toBe("2027-03-04 05:06:00 UTC");
    expect(await systemdTimes(calendar, 3)).toEqual(["2027-03-04T05:06:00.000Z"]);
  });

  test("the service runs the command in the job's shell; what systemd lacks is a comment and a stderr line", async () => {
    const target = path.join(folder, "units-notes");
    const result = await sundial(["export", "--to", "systemd", target], { home, env });
    const service = fs.readFileSync(path.join(target, "sundial-careful.service"), "utf8");
    expect(service).toContain('ExecStart=/bin/sh -c "echo careful"');
    expect(service).toMatch(/^TimeoutStartSec=600s$/m);
    expect(service).toMatch(/^# not exported: retries \(3, 1 minute apart\) are not exported: systemd does not retry a failed run$/m);
    expect(result.stderr).toContain('not exported: "careful": retries (3, 1 minute apart) are not exported: systemd does not retry a failed run');
    expect(result.stderr).toContain('not exported: "careful": its conditions (between 09:00-17:00, on AC power, else skip) are not exported: systemd runs it whatever they say');
    expect(fs.readFileSync(path.join(target, "sundial-pulse.timer"), "utf8")).toMatch(/^OnBootSec=600s\nOnUnitActiveSec=600s$/m);
    expect(fs.readFileSync(path.join(target, "sundial-at-login.timer"), "utf8")).toMatch(/^OnStartupSec=0s$/m);
  });

  test("needs a folder, and refuses one that has files unless --force, writing nothing", async () => {
    const noDir = await sundial(["export", "--to", "systemd"], { home, env });
    expect(noDir).toMatchObject({ code: 2, stderr: "DIR: --to systemd writes one file per job: give a folder to write them to\n" });
    const badFormat = await sundial(["export", "--to", "xml", path.join(folder, "x")], { home, env });
    expect(badFormat).toMatchObject({ code: 2, stderr: '--to: must be one of crontab, systemd, launchd, got "xml"\n' });
    const busy = path.join(folder, "busy");
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, "keep.txt"), "mine\n");
    const refused = await sundial(["export", "--to", "systemd", busy], { home, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`DIR: ${busy} exists and is not empty (1 entry); give a new folder, or --force to write into it\n`);
    expect(hasStackTrace(refused.stderr)).toBe(false);
    expect(fs.readdirSync(busy)).toEqual(["keep.txt"]);
    expect(fs.readdirSync(folder).filter((name) => name.includes("sundial-export"))).toEqual([]);
    const forced = await sundial(["export", "--to", "systemd", busy, "--force"], { home, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readdirSync(busy)).toContain("keep.txt");
    expect(fs.readdirSync(busy)).toContain("sundial-daily.timer");
    expect(fs.readdirSync(folder).filter((name) => name.includes("sundial-export"))).toEqual([]);
  });
});

/** The calendar entries launchd makes of one cron expression, written out by hand. */
const LAUNCHD_EXPANSIONS: Record<string, object[]> = {
  "every-quarter": [{ Minute: 0 }, { Minute: 15 }, { Minute: 30 }, { Minute: 45 }],
  "weekdays-nine": [1, 2, 3, 4, 5].map((Weekday) => ({ Minute: 0, Hour: 9, Weekday })),
  "monthly-night": [{ Minute: 30, Hour: 2, Day: 1 }],
  "payday-or-friday": [
    { Minute: 0, Hour: 0, Day: 1 },
    { Minute: 0, Hour: 0, Day: 15 },
    { Minute: 0, Hour: 0, Weekday: 5 },
  ],
  "sunday-noon": [{ Minute: 0, Hour: 12, Weekday: 0 }],
  daily: [{ Minute: 0, Hour: 0 }],
};

describe("sundial export --to launchd", () => {
  test("writes plists that parse, whose StartCalendarInterval entries are the cron fields expanded", async () => {
    const target = path.join(folder, "agents");
    const result = await sundial(["export", "--to", "launchd", target], { home, env });
    expect(result.code, result.stderr).toBe(0);
    for (const [name, expected] of Object.entries(LAUNCHD_EXPANSIONS)) {
      const agent = plist.parse(fs.readFileSync(path.join(target, `sundial.${name}.plist`), "utf8")) as Record<string, unknown>;
      expect(agent.Label).toBe(`sundial.${name}`);
      expect(agent.ProgramArguments).toEqual(["/bin/sh", "-c", `echo ${name}`]);
      expect(agent.StartCalendarInterval, name).toEqual(expected);
    }
    const pulse = plist.parse(fs.readFileSync(path.join(target, "sundial.pulse.plist"), "utf8")) as Record<string, unknown>;
    expect(pulse.StartInterval).toBe(600);
    const login = plist.parse(fs.readFileSync(path.join(target, "sundial.at-login.plist"), "utf8")) as Record<string, unknown>;
    expect(login.RunAtLoad).toBe(true);
    expect(fs.readFileSync(path.join(target, "sundial.berlin-weekdays.plist"), "utf8")).toContain("<!-- not exported: its schedule 0 9 * * mon-fri is in Europe/Berlin; launchd runs it in the Mac's own zone -->");
  });
});

describe("sundial export --to crontab", () => {
  test("prints crontab lines with CRON_TZ where a zone differs, and names what cron cannot do on stderr", async () => {
    const result = await sundial(["export", "--to", "crontab"], { home, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("# payday-or-friday\n0 0 1,15 * 5 echo payday-or-friday\n");
    expect(result.stdout).toMatch(/CRON_TZ=Europe\/Berlin\n# berlin-weekdays\n0 9 \* \* mon-fri echo berlin-weekdays\n/);
    expect(result.stdout).toContain("# at-login\n@reboot echo hello\n");
    expect(result.stdout).toMatch(/^# not exported: retries \(3, 1 minute apart\) are not exported: crontab does not retry a failed run$/m);
    expect(result.stderr).toContain('not exported: "careful": the 600 s timeout is not exported (wrap the command in timeout 600)');
    expect(result.stderr).toContain("not exported: jobs on Sundial's default policies: overlap skip: cron starts a run even while the previous one runs");
  });
});
