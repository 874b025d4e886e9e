import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  CliInputError,
  jobInputFromOptions,
  jobPatchFromOptions,
  issuesAsOptionLines,
  joinCommand,
  optionForField,
} from "../../../electron/daemon/cli/job-options.js";
import type { JobView } from "../../../electron/shared/schemas.js";

const NOW = new Date("2026-11-25T12:00:00Z");

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof CliInputError) return error.problems;
    throw error;
  }
  return [];
}

describe("add and edit options", () => {
  test("one command word is a verbatim shell line; several are joined with quoting", () => {
    expect(joinCommand(["tar czf x.tgz ~/docs && echo ok"])).toBe("tar czf x.tgz ~/docs && echo ok");
    expect(joinCommand(["echo", "it's here", "$HOME", "a-b"], "linux")).toBe(`echo 'it'\\''s here' '$HOME' a-b`);
  });

  test("build a JobInput with only the options given", () => {
    const input = jobInputFromOptions("backup", ["echo", "hi"], { every: ["1h30m"], env: ["A=1", "B=x=y"], retries: "2", catchUp: "skip" }, NOW);
    expect(input).toEqual({
      name: "backup",
      command: "echo hi",
      triggers: [{ type: "interval", version: 1, everySeconds: 5400 }],
      env: { A: "1", B: "x=y" },
      retries: { count: 2 },
      catchUp: "skip",
    });
  });

  test("--at without offset is wall time in --tz", () => {
    const input = jobInputFromOptions("x", ["true"], { at: ["2027-01-01T09:00"], tz: "Asia/Tokyo" }, NOW);
    expect(input.triggers).toEqual([{ type: "date", version: 1, at: "2027-01-01T00:00:00.000Z" }]);
  });

  test("report every problem at once, each naming its option", () => {
    const problems = problemsOf(() =>
      jobInputFromOptions("", [], { every: ["0s"], env: ["FOO"], overlap: "sometimes", retries: "-1", timeout: "soon" }, NOW),
    );
    expect(problems).toEqual([
      "NAME: must not be empty",
      expect.stringMatching(/^COMMAND: missing/),
      '--every: "0s" must be longer than zero',
      '--timeout: "soon" is not a duration (examples: 90s, 5m, 1h30m, 2d)',
      '--env: "FOO" must be KEY=VALUE',
      '--overlap: "sometimes" is not one of skip, queue, parallel, replace',
      '--retries: "-1" must be a whole number (0 or more)',
    ]);
  });

  test("no trigger option is refused; --manual is a job with none", () => {
    const noTrigger = "schedule: give --cron EXPR, --every DURATION, --at DATETIME, --on startup|wake, --watch PATH or --after JOB (each repeatable), or --manual for a job that runs only when asked";
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], {}, NOW))).toEqual([noTrigger]);
    expect(jobInputFromOptions("x", ["true"], { manual: true }, NOW).triggers).toEqual([]);
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], { manual: true, cron: ["0 3 * * *"], on: ["wake"] }, NOW))).toEqual([
      "--manual: cannot be combined with --cron, --on (a manual job has no trigger)",
    ]);
  });
test("edit --tz alone re-zones a cron trigger, and retry options keep the other half", () => {
    const current = {
      name: "backup",
      triggers: [{ type: "cron", version: 1, expression: "0 3 * * *" }],
      env: { A: "1" },
      retries: { count: 1, delaySeconds: 30, backoff: 1 },
    } as unknown as JobView;
    expect(jobPatchFromOptions(current, [], { tz: "Europe/Paris", retries: "3", env: ["B=2"] }, NOW)).toEqual({
      triggers: [{ type: "cron", version: 1, expression: "0 3 * * *", timezone: "Europe/Paris" }],
      retries: { count: 3, delaySeconds: 30, backoff: 1 },
      env: { A: "1", B: "2" },
    });
  });

  test("service fields map back to the options they came from", () => {
    expect(optionForField("trigger.expression")).toBe("--cron");
    expect(optionForField("trigger.timezone")).toBe("--tz");
    expect(optionForField("trigger.at")).toBe("--at");
    expect(optionForField("trigger.everySeconds")).toBe("--every");
    expect(optionForField("env.1BAD")).toBe("--env 1BAD");
    expect(optionForField("retries.delaySeconds")).toBe("--retry-delay");
    expect(optionForField("catchUp")).toBe("--catch-up");
    expect(optionForField("timeoutSeconds")).toBe("--timeout");
    expect(optionForField("trigger", [{ type: "interval" }])).toBe("--every");
    expect(optionForField("triggers[1].expression")).toBe("--cron");
    expect(optionForField("triggers[1]", [{ type: "cron" }, { type: "startup" }])).toBe("--on");
    expect(optionForField("triggers[2].job")).toBe("--after");
    expect(optionForField("triggers[0].path")).toBe("--watch");
    expect(optionForField("trigger.start")).toBe("--start");
    expect(optionForField("trigger.end")).toBe("--end");
    expect(optionForField("trigger.jitterSeconds")).toBe("--jitter");
    expect(optionForField("until")).toBe("--until");
  });
});

describe("several triggers per job (issue 15)", () => {
  test("each trigger option is repeatable, and the list keeps every one: times, then events", () => {
    const input = jobInputFromOptions(
      "x",
      ["true"],
      { cron: ["0 9 * * 1-5", "0 12 * * 6"], every: ["2h"], on: ["startup", "wake"], watch: ["notes"], after: ["backup", "upload:failure", "sync:always"] },
      NOW,
    );
    expect(input.triggers).toEqual([
      { type: "cron", version: 1, expression: "0 9 * * 1-5" },
      { type: "cron", version: 1, expression: "0 12 * * 6" },
      { type: "interval", version: 1, everySeconds: 7200 },
      { type: "startup", version: 1 },
      { type: "wake", version: 1 },
      { type: "watch", version: 1, path: path.resolve("notes"), debounceSeconds: 2 },
      { type: "after", version: 1, job: "backup", on: "success" },
      { type: "after", version: 1, job: "upload", on: "failure" },
      { type: "after", version: 1, job: "sync", on: "always" },
    ]);
  });

  test("a job name with a colon keeps it unless the part after the last colon is an outcome", () => {
    expect(jobInputFromOptions("x", ["true"], { after: ["db:nightly"] }, NOW).triggers).toEqual([{ type: "after", version: 1, job: "db:nightly", on: "success" }]);
    expect(jobInputFromOptions("x", ["true"], { after: ["db:nightly:failure"] }, NOW).triggers).toEqual([{ type: "after", version: 1, job: "db:nightly", on: "failure" }]);
  });

  test("bad event options are refused by name, all at once", () => {
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], { on: ["startup", "login", "startup"], after: [":failure"], watch: [" "] }, NOW))).toEqual([
      '--on: "login" is not one of startup, wake',
      '--on: "startup" is given twice',
      "--watch: must not be empty (give a file or folder)",
      "--after: must name a job (JOB or JOB:success|failure|always)",
    ]);
  });

  test("an interval's window goes with exactly one --every", () => {
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], { every: ["1h", "2h"], jitter: "1m" }, NOW))).toEqual(["--jitter: applies to one --every; this job has 2 (give each window its own job)"]);
  });

  test("on edit the trigger options replace the list; --tz alone re-zones every cron trigger and leaves the others", () => {
    const job = {
      name: "mail",
      triggers: [
        { type: "cron", version: 1, expression: "0 9 * * 1-5" },
        { type: "startup", version: 1 },
        { type: "cron", version: 1, expression: "0 12 * * 6", timezone: "UTC" },
      ],
      env: {},
      retries: { count: 0, delaySeconds: 60, backoff: 1 },
    } as unknown as JobView;
    expect(jobPatchFromOptions(job, [], { on: ["wake"] }, NOW).triggers).toEqual([{ type: "wake", version: 1 }]);
    expect(jobPatchFromOptions(job, [], { manual: true }, NOW).triggers).toEqual([]);
    expect(jobPatchFromOptions(job, [], { tz: "Asia/Tokyo" }, NOW).triggers).toEqual([
      { type: "cron", version: 1, expression: "0 9 * * 1-5", timezone: "Asia/Tokyo" },
      { type: "startup", version: 1 },
      { type: "cron", version: 1, expression: "0 12 * * 6", timezone: "Asia/Tokyo" },
    ]);
    const eventsOnly = { ...job, triggers: [{ type: "wake", version: 1 }] } as unknown as JobView;
    expect(problemsOf(() => jobPatchFromOptions(eventsOnly, [], { tz: "Asia/Tokyo" }, NOW))).toEqual([
      '--tz: job "mail" has a wake trigger; --tz applies to --cron (give --at again with --tz to move a date)',
    ]);
  });
});

describe("an interval's --start, --end and --jitter", () => {
  const interval = {
    name: "poll",
    triggers: [{ type: "interval", version: 1, everySeconds: 3600, anchor: "2026-12-01T08:00:00.000Z", start: "2026-12-01T08:00:00.000Z", end: "2027-01-01T00:00:00.000Z", jitterSeconds: 60 }],
    env: {},
    retries: { count: 0, delaySeconds: 60, backoff: 1 },
  } as unknown as JobView;
  const cron = { name: "backup", triggers: [{ type: "cron", version: 1, expression: "0 3 * * *" }], env: {}, retries: { count: 0, delaySeconds: 60, backoff: 1 } } as unknown as JobView;

  test("add reads --start/--end as wall time in --tz and --jitter as a duration (zero allowed)", () => {
    expect(jobInputFromOptions("x", ["true"], { every: ["1h"], start: "2026-12-01T09:00", end: "2026-12-24T18:00Z", jitter: "0", tz: "Europe/Paris" }, NOW).triggers?.[0]).toEqual({
      type: "interval",
      version: 1,
      everySeconds: 3600,
      start: "2026-12-01T08:00:00.000Z",
      end: "2026-12-24T18:00:00.000Z",
      jitterSeconds: 0,
    });
  });

  test("they belong to --every: next to a cron, a date or no schedule they are refused by name", () => {
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], { cron: ["0 3 * * *"], start: "2027-01-01T00:00", jitter: "1m" }, NOW))).toEqual([
      "--start: applies to --every only (an interval's window and jitter), not to --cron",
      "--jitter: applies to --every only (an interval's window and jitter), not to --cron",
    ]);
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], { end: "2027-01-01T00:00" }, NOW))).toEqual([
      "schedule: give --cron EXPR, --every DURATION, --at DATETIME, --on startup|wake, --watch PATH or --after JOB (each repeatable), or --manual for a job that runs only when asked",
      "--end: applies to --every only (an interval's window and jitter)",
    ]);
    expect(problemsOf(() => jobPatchFromOptions(cron, [], { end: "2027-01-01T00:00" }, NOW))).toEqual([
      `--end: applies to --every only (an interval's window and jitter), not to job "backup", which has a cron trigger`,
    ]);
  });

  test("edit changes only the given window fields and keeps the anchor; a new start is the new anchor", () => {
    expect(jobPatchFromOptions(interval, [], { jitter: "5m" }, NOW).triggers).toEqual([{ ...interval.triggers[0], jitterSeconds: 300 }]);
    const { anchor: _anchor, ...withoutAnchor } = interval.triggers[0] as { anchor: string };
    expect(jobPatchFromOptions(interval, [], { start: "2026-12-02T10:00Z" }, NOW).triggers).toEqual([{ ...withoutAnchor, start: "2026-12-02T10:00:00.000Z" }]);
  });

  test("a new --every keeps the window and jitter, unless cleared", () => {
    expect(jobPatchFromOptions(interval, [], { every: ["30m"], clear: ["jitter"] }, NOW).triggers).toEqual([
      {
        type: "interval",
        version: 1,
        everySeconds: 1800,
        start: "2026-12-01T08:00:00.000Z",
        end: "2027-01-01T00:00:00.000Z",
      },
    ]);
  });
});

describe("edit --clear FIELD", () => {
  const job = {
    name: "sync",
    triggers: [{ type: "cron", version: 1, expression: "0 3 * * *", timezone: "Europe/Paris" }],
    env: { A: "1" },
    retries: { count: 2, delaySeconds: 30, backoff: 2 },
  } as unknown as JobView;

  test("each field clears to its absent value: null for optional ones, none for env and retries, the system zone for tz", () => {
    expect(jobPatchFromOptions(job, [], { clear: ["timeout", "cwd", "shell", "catch-up-grace", "env", "retries", "tz"] }, NOW)).toEqual({
      timeoutSeconds: null,
      cwd: null,
      shell: null,
      catchUpGraceSeconds: null,
      env: {},
      retries: { count: 0 },
      triggers: [{ type: "cron", version: 1, expression: "0 3 * * *" }],
    });
  });

  test("a value may list several fields; clearing comes first, so --clear env --env replaces the variables", () => {
    expect(jobPatchFromOptions(job, [], { clear: ["timeout,env"], env: ["B=2"] }, NOW)).toEqual({ timeoutSeconds: null, env: { B: "2" } });
  });

  test("an unknown field, a field also set, or a field the trigger lacks is refused by name, all at once", () => {
    expect(problemsOf(() => jobPatchFromOptions(job, [], { clear: ["colour", "timeout", "start"], timeout: "5m" }, NOW))).toEqual([
      '--clear: unknown field "colour"; one of timeout, cwd, env, tz, start, end, jitter, retries, shell, catch-up-grace, alert-after, alert-recovered, expect-success-within, alert-slower-than, alerts, channels, ping-url, tags, conditions, between, days, skip-dates, ac-power, online',
      "--clear timeout: cannot be combined with --timeout (one clears it, the other sets it)",
      '--clear start: job "sync" has a cron trigger; start, end and jitter belong to intervals (--every)',
    ]);
  });

  test("clearing a start the anchor came from re-anchors the interval at the edit", () => {
    const waiting = { ...job, triggers: [{ type: "interval", version: 1, everySeconds: 60, anchor: "2099-01-01T00:00:00.000Z", start: "2099-01-01T00:00:00.000Z" }] } as unknown as JobView;
    expect(jobPatchFromOptions(waiting, [], { clear: ["start"] }, NOW).triggers).toEqual([{ type: "interval", version: 1, everySeconds: 60 }]);
  });
});

describe("alert rule options (issue 16)", () => {
  const job = {
    id: "j1",
    name: "backup",
    triggers: [{ type: "interval", version: 1, everySeconds: 3600 }],
    env: {},
    retries: { count: 0, delaySeconds: 60, backoff: 1 },
    alerts: { afterFailures: 3, recovered: true },
  } as unknown as JobView;

  test("add reads --alert-after, --alert-recovered, --expect-success-within and --alert-slower-than (a DURATION or auto)", () => {
    const input = jobInputFromOptions("backup", ["true"], { every: ["1h"], alertAfter: "3", alertRecovered: true, expectSuccessWithin: "2d", alertSlowerThan: "auto" }, NOW);
    expect(input.alerts).toEqual({ afterFailures: 3, recovered: true, expectSuccessWithin: 172_800, slowerThan: "auto" });
    expect(jobInputFromOptions("backup", ["true"], { every: ["1h"], alertSlowerThan: "90s" }, NOW).alerts).toEqual({ slowerThan: 90 });
    expect(jobInputFromOptions("backup", ["true"], { every: ["1h"] }, NOW).alerts).toBeUndefined();
  });

  test("names each option whose value cannot be read, all at once", () => {
    expect(problemsOf(() => jobInputFromOptions("backup", ["true"], { every: ["1h"], alertAfter: "x", expectSuccessWithin: "soon", alertSlowerThan: "later" }, NOW))).toEqual([
      '--alert-after: "x" must be a whole number (1 or more: alert at the Nth failure in a row)',
      expect.stringMatching(/^--expect-success-within: /),
      expect.stringMatching(/^--alert-slower-than: /),
    ]);
  });

  test("edit changes only the rules given, and --clear empties one rule or all of them", () => {
    expect(jobPatchFromOptions(job, [], { expectSuccessWithin: "1d" }, NOW).alerts).toEqual({ afterFailures: 3, recovered: true, expectSuccessWithin: 86_400 });
    expect(jobPatchFromOptions(job, [], { clear: ["alert-after"] }, NOW).alerts).toEqual({ recovered: true });
    expect(jobPatchFromOptions(job, [], { clear: ["alerts"], alertSlowerThan: "auto" }, NOW).alerts).toEqual({ slowerThan: "auto" });
    expect(jobPatchFromOptions(job, [], { clear: ["alert-after,alert-recovered"] }, NOW).alerts).toBeNull();
    expect(jobPatchFromOptions(job, [], { name: "b2" }, NOW).alerts).toBeUndefined();
  });

  test("the engine's alert fields are reported under their options", () => {
    expect(issuesAsOptionLines([{ field: "alerts.afterFailures", message: "must be at least 1" }])).toEqual(["--alert-after: must be at least 1"]);
    expect(issuesAsOptionLines([{ field: "alerts.slowerThan", message: 'must be a number of seconds or "auto"' }])).toEqual(['--alert-slower-than: must be a number of seconds or "auto"']);
  });
});

describe("condition options (issue 15)", () => {
  const job = { id: "j1", name: "upload", triggers: [{ type: "cron", version: 1, expression: "0 * * * *" }], env: {}, retries: { count: 0, delaySeconds: 60, backoff: 1 } } as unknown as JobView;

  test("add: each option sets its condition, --if-unmet wait:D a limited wait", () => {
    const input = jobInputFromOptions("upload", ["true"], { cron: ["0 * * * *"], between: "9:00-17:00", days: "mon-fri", skipDates: "2026-12-24, 2026-12-31..2027-01-01", acPower: true, online: true, ifUnmet: "wait:2h" }, NOW);
    expect(input).toMatchObject({
      conditions: { between: "09:00-17:00", days: ["mon", "tue", "wed", "thu", "fri"], skipDates: ["2026-12-24", "2026-12-31..2027-01-01"], acPower: true, online: true },
      whenUnmet: "wait",
      waitUpToSeconds: 7200,
    });
    expect(jobInputFromOptions("plain", ["true"], { cron: ["0 * * * *"] }, NOW)).not.toHaveProperty("conditions");
  });

  test("every bad value is one line naming its option, all at once", () => {
    expect(problemsOf(() => jobInputFromOptions("a", ["true"], { cron: ["0 * * * *"], between: "25:00-26:00", days: "", skipDates: "2026-12-31..2026-12-24", ifUnmet: "skip:1h" }, NOW))).toEqual([
      '--between: "25:00-26:00": 25:00 is not a time of day (00:00 to 23:59)',
      "--days: must name at least one day (e.g. mon-fri, sat,sun)",
      '--skip-dates: "2026-12-31..2026-12-24" ends before it starts',
      '--if-unmet: "skip:1h": a limit applies to wait only (wait:1h)',
    ]);
  });

  test("edit: given conditions replace theirs and keep the others; --clear conditions empties them and the wait", () => {
    const withConditions = { ...job, conditions: { days: ["sat", "sun"], online: true }, whenUnmet: "wait", waitUpToSeconds: 600 } as unknown as JobView;
    expect(jobPatchFromOptions(withConditions, [], { between: "22:00-06:00", clear: ["online"] }, NOW)).toEqual({ conditions: { days: ["sat", "sun"], between: "22:00-06:00" } });
    expect(jobPatchFromOptions(withConditions, [], { clear: ["conditions"] }, NOW)).toEqual({ conditions: null, whenUnmet: null, waitUpToSeconds: null });
    expect(jobPatchFromOptions(withConditions, [], { ifUnmet: "wait" }, NOW)).toEqual({ whenUnmet: "wait", waitUpToSeconds: null });
  });

  test("the engine's condition fields map back to their options", () => {
    expect(optionForField("conditions.skipDates.1")).toBe("--skip-dates");
    expect(optionForField("conditions.between")).toBe("--between");
    expect(optionForField("waitUpToSeconds")).toBe("--if-unmet");
  });
});
