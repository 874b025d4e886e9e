import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { ensureBuilt, hasStackTrace, removeTempHomes, startDaemon, stopAllDaemons, sundial, tempHome } from "../support/cli.js";

let home: string;
let listBefore: string;
let storeBefore: Buffer;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("bad");
  await startDaemon(home);
  const existing = await sundial(["add", "existing", "--cron", "0 3 * * *", "--", "true"], { home });
  expect(existing.code, existing.stderr).toBe(0);
  const chained = await sundial(["add", "chained", "--after", "existing", "--", "true"], { home });
  expect(chained.code, chained.stderr).toBe(0);
  listBefore = (await sundial(["list", "--json"], { home })).stdout;
  storeBefore = fs.readFileSync(homePaths(home).jobs);
}, 180_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

const BAD_INPUT = 2;
const FAILED = 1;
const EVERY = ["--every", "5m"];
const CMD = ["--", "true"];

/**
 * [what, argv, exit code, each stderr line must match one of these, in order]. Every case
 * must change nothing, print no stack trace, and name the option (or argument) at fault.
 */
const CASES: [string, string[], number, RegExp[]][] = [
  ["cron minute out of range", ["add", "a", "--cron", "61 * * * *", ...CMD], BAD_INPUT, [/^--cron: .*61/]],
  ["cron with four fields", ["add", "a", "--cron", "* * * *", ...CMD], BAD_INPUT, [/^--cron: /]],
  ["cron with a bad month name", ["add", "a", "--cron", "0 0 1 FOO *", ...CMD], BAD_INPUT, [/^--cron: /]],
  ["cron that never fires (Feb 31)", ["add", "a", "--cron", "0 0 31 2 *", ...CMD], BAD_INPUT, [/^--cron: .*never/]],
  ["empty cron", ["add", "a", "--cron", "", ...CMD], BAD_INPUT, [/^--cron: must not be empty/]],
  ["zero interval", ["add", "a", "--every", "0s", ...CMD], BAD_INPUT, [/^--every: "0s" must be longer than zero$/]],
  ["negative interval", ["add", "a", "--every=-5m", ...CMD], BAD_INPUT, [/^--every: "-5m" is not a duration/]],
  ["garbled interval", ["add", "a", "--every", "5 minutes", ...CMD], BAD_INPUT, [/^--every: "5 minutes" is not a duration/]],
  ["unknown unit", ["add", "a", "--every", "5x", ...CMD], BAD_INPUT, [/^--every: "5x" is not a duration/]],
  ["zero timeout", ["add", "a", ...EVERY, "--timeout", "0", ...CMD], BAD_INPUT, [/^--timeout: "0" must be longer than zero$/]],
  ["garbled retry delay", ["add", "a", ...EVERY, "--retries", "1", "--retry-delay", "later", ...CMD], BAD_INPUT, [/^--retry-delay: "later" is not a duration/]],
  ["date that is not a date", ["add", "a", "--at", "tomorrow", ...CMD], BAD_INPUT, [/^--at: "tomorrow" is not a date-time/]],
  ["February 30th", ["add", "a", "--at", "2030-02-30T10:00", ...CMD], BAD_INPUT, [/^--at: "2030-02-30T10:00" is not a real date-time/]],
  ["date in the past", ["add", "a", "--at", "2020-01-01T00:00Z", ...CMD], BAD_INPUT, [/^--at: .*in the past/]],
  ["unknown zone for cron", ["add", "a", "--cron", "0 3 * * *", "--tz", "Mars/Base", ...CMD], BAD_INPUT, [/^--tz: unknown time zone "Mars\/Base"$/]],
  ["unknown zone for a date", ["add", "a", "--at", "2099-01-01T00:00", "--tz", "Mars/Base", ...CMD], BAD_INPUT, [/^--tz: unknown time zone "Mars\/Base"$/]],
  ["unknown overlap policy", ["add", "a", ...EVERY, "--overlap", "sometimes", ...CMD], BAD_INPUT, [/^--overlap: "sometimes" is not one of skip, queue, parallel, replace$/]],
  ["unknown catch-up policy", ["add", "a", ...EVERY, "--catch-up", "maybe", ...CMD], BAD_INPUT, [/^--catch-up: "maybe" is not one of skip, once, all$/]],
  ["unknown notify policy", ["add", "a", ...EVERY, "--notify", "loudly", ...CMD], BAD_INPUT, [/^--notify: "loudly" is not one of failure, always, never$/]],
  ["retries not a number", ["add", "a", ...EVERY, "--retries", "many", ...CMD], BAD_INPUT, [/^--retries: "many" must be a whole number/]],
  ["too many retries", ["add", "a", ...EVERY, "--retries", "1000", ...CMD], BAD_INPUT, [/^--retries: /]],
  ["--env without =", ["add", "a", ...EVERY, "--env", "FOO", ...CMD], BAD_INPUT, [/^--env: "FOO" must be KEY=VALUE$/]],
  ["--env with a bad variable name", ["add", "a", ...EVERY, "--env", "1BAD=x", ...CMD], BAD_INPUT, [/^--env 1BAD: /]],
  ["missing folder", ["add", "a", ...EVERY, "--cwd", "/definitely/not/here", ...CMD], BAD_INPUT, [/^--cwd: folder "\/definitely\/not\/here" does not exist$/]],
  ["missing command", ["add", "a", ...EVERY], BAD_INPUT, [/^COMMAND: missing; give it after --/]],
  ["empty command", ["add", "a", ...EVERY, "--", ""], BAD_INPUT, [/^COMMAND: must not be empty$/]],
  ["blank command", ["add", "a", ...EVERY, "--", "   "], BAD_INPUT, [/^COMMAND: must not be empty$/]],
  ["no trigger", ["add", "a", ...CMD], BAD_INPUT, [/^schedule: give --cron EXPR, --every DURATION, --at DATETIME, --on startup\|wake, --watch PATH or --after JOB \(each repeatable\), or --manual/]],
  ["--on twice the same", ["add", "a", "--on", "startup", "--on", "startup", ...CMD], BAD_INPUT, [/^--on: "startup" is given twice$/]],
  ["--on an unknown event", ["add", "a", "--on", "login", ...CMD], BAD_INPUT, [/^--on: "login" is not one of startup, wake$/]],
  ["one cron given twice", ["add", "a", "--cron", "0 3 * * *", "--cron", "0 3 * * *", ...CMD], BAD_INPUT, [/^--cron: is given twice/]],
  ["--after naming no job", ["add", "a", "--after", "ghost", ...CMD], BAD_INPUT, [/^--after: no job with id or name "ghost"$/]],
  ["--after naming nothing", ["add", "a", "--after", ":failure", ...CMD], BAD_INPUT, [/^--after: must name a job/]],
  ["--after forming a cycle", ["edit", "existing", "--after", "chained"], BAD_INPUT, [/^--after: would form a cycle existing → chained → existing$/]],
  ["--after the job itself", ["edit", "existing", "--after", "existing"], BAD_INPUT, [/^--after: would form a cycle existing → existing$/]],
  ["--manual with a trigger", ["add", "a", "--manual", "--on", "wake", ...CMD], BAD_INPUT, [/^--manual: cannot be combined with --on/]],
  ["an empty --watch", ["add", "a", "--watch", "", ...CMD], BAD_INPUT, [/^--watch: must not be empty/]],
  ["--tz with an interval", ["add", "a", ...EVERY, "--tz", "UTC", ...CMD], BAD_INPUT, [/^--tz: applies to --cron and --at only/]],
  ["empty name", ["add", "", ...EVERY, ...CMD], BAD_INPUT, [/^NAME: must not be empty$/]],
  ["blank name", ["add", "   ", ...EVERY, ...CMD], BAD_INPUT, [/^NAME: must not be empty$/]],
  ["a name already taken", ["add", "existing", ...EVERY, ...CMD], BAD_INPUT, [/^NAME: a job named "existing" already exists/]],
  ["a name with a terminal escape", ["add", "a\u001b[2Jb", ...EVERY, ...CMD], BAD_INPUT, [/^NAME: must not contain control or bidirectional/]],
  ["a name with a right-to-left override", ["add", "evil\u202etxt.sh", ...EVERY, ...CMD], BAD_INPUT, [/^NAME: must not contain control or bidirectional/]],
  ["a rename with a newline", ["edit", "existing", "--name", "fake\nrow"], BAD_INPUT, [/^(NAME|--name): must not contain control or bidirectional/]],
  ["an offset past +14:00", ["add", "a", "--at", "2099-12-05T10:00+25:00", ...CMD], BAD_INPUT, [/^--at: .*offset/]],
  ["an offset with 60 minutes", ["add", "a", "--at", "2099-12-05T10:00+01:60", ...CMD], BAD_INPUT, [/^--at: .*offset/]],
  ["an interval over 100 years", ["add", "a", "--every", "100000000d", ...CMD], BAD_INPUT, [/^--every: .*at most/]],
  ["a command past the argument limit", ["add", "a", ...EVERY, "--", "x".repeat(70_000), "y".repeat(70_000)], BAD_INPUT, [/^COMMAND: .*128 KiB/]],
  ["an unknown option", ["add", "a", ...EVERY, "--bogus", ...CMD], BAD_INPUT, [/^error: unknown option '--bogus'/]],
  [
    "several problems at once",
    ["add", "", "--every", "0", "--env", "X", "--notify", "loudly"],
    BAD_INPUT,
    [/^NAME: /, /^COMMAND: /, /^--every: /, /^--env: /, /^--notify: /],
  ],
  ["show an unknown job", ["show", "nope"], FAILED, [/^No job with id or name "nope"$/]],
  ["run an unknown job", ["run", "nope"], FAILED, [/^No job with id or name "nope"$/]],
  ["pause an unknown job", ["pause", "nope"], FAILED, [/^No job with id or name "nope"$/]],
  ["resume an unknown job", ["resume", "nope"], FAILED, [/^No job with id or name "nope"$/]],
  ["remove an unknown job", ["remove", "nope"], FAILED, [/^No job with id or name "nope"$/]],
  ["edit an unknown job", ["edit", "nope", ...EVERY], FAILED, [/^No job with id or name "nope"$/]],
  ["history of an unknown job", ["history", "nope"], FAILED, [/^No job with id or name "nope"$/]],
  ["edit with a bad cron", ["edit", "existing", "--cron", "0 25 * * *"], BAD_INPUT, [/^--cron: /]],
  ["edit with an unknown zone", ["edit", "existing", "--tz", "Mars/Base"], BAD_INPUT, [/^--tz: unknown time zone "Mars\/Base"$/]],
  ["edit to an empty name", ["edit", "existing", "--name", ""], BAD_INPUT, [/^--name: must not be empty$/]],
  ["edit with nothing to change", ["edit", "existing"], BAD_INPUT, [/^options: nothing to change/]],
  ["pause without a job or --all", ["pause"], BAD_INPUT, [/^JOB: give a job id or name, or --all$/]],
  ["pause a job and --all", ["pause", "existing", "--all"], BAD_INPUT, [/^--all: cannot be combined with a job/]],
  ["pause --all --until a past date", ["pause", "--all", "--until", "2020-01-01T00:00"], BAD_INPUT, [/^--until: "2020-01-01T00:00" is in the past$/]],
  ["pause --all --until neither a date nor a duration", ["pause", "--all", "--until", "someday"], BAD_INPUT, [/^--until: "someday" is neither a duration .* nor a date-time/]],
  ["pause one job --until", ["pause", "existing", "--until", "1h"], BAD_INPUT, [/^--until: only with --all/]],
  ["cancel an unknown run", ["cancel", "r_nope"], FAILED, [/^No run with id "r_nope"$/]],
  ["an interval start that is not a date", ["add", "a", ...EVERY, "--start", "soon", ...CMD], BAD_INPUT, [/^--start: "soon" is not a date-time/]],
  ["an interval end in the past", ["add", "a", ...EVERY, "--end", "2020-01-01T00:00Z", ...CMD], BAD_INPUT, [/^--end: is in the past$/]],
  ["an interval end before its start", ["add", "a", ...EVERY, "--start", "2099-02-01T00:00", "--end", "2099-01-01T00:00", ...CMD], BAD_INPUT, [/^--end: is before start$/]],
  ["jitter as long as the interval", ["add", "a", ...EVERY, "--jitter", "5m", ...CMD], BAD_INPUT, [/^--jitter: must be shorter than the interval/]],
  ["garbled jitter", ["add", "a", ...EVERY, "--jitter", "a bit", ...CMD], BAD_INPUT, [/^--jitter: "a bit" is not a duration/]],
  ["--start with a cron schedule", ["add", "a", "--cron", "0 3 * * *", "--start", "2099-01-01T00:00", ...CMD], BAD_INPUT, [/^--start: applies to --every only/]],
  ["edit --jitter on a cron job", ["edit", "existing", "--jitter", "1m"], BAD_INPUT, [/^--jitter: applies to --every only .*job "existing", which has a cron trigger$/]],
  ["edit --clear an unknown field", ["edit", "existing", "--clear", "colour"], BAD_INPUT, [/^--clear: unknown field "colour"; one of timeout, cwd, env, tz, start, end, jitter/]],
  [
    "edit --clear a known and an unknown field",
    ["edit", "existing", "--clear", "timeout", "--clear", "colour"],
    BAD_INPUT,
    [/^--clear: unknown field "colour"/],
  ],
  ["edit --clear a field and set it", ["edit", "existing", "--clear", "timeout", "--timeout", "5m"], BAD_INPUT, [/^--clear timeout: cannot be combined with --timeout/]],
  ["edit --clear start on a cron job", ["edit", "existing", "--clear", "start"], BAD_INPUT, [/^--clear start: job "existing" has a cron trigger/]],
  ["history --limit 0", ["history", "--limit", "0"], BAD_INPUT, [/^--limit: "0" must be a whole number above zero$/]],
  ["logs of an unknown run", ["logs", "r_nope"], FAILED, [/^No run with id "r_nope"$/]],
  ["next with a bad cron", ["next", "--cron", "*/0 * * * *"], BAD_INPUT, [/^--cron: /]],
  ["next without a schedule", ["next"], BAD_INPUT, [/^schedule: give one of --cron/]],
  ["next -n out of range", ["next", ...EVERY, "-n", "5000"], BAD_INPUT, [/^-n: "5000" must be a whole number from 1 to 1000$/]],
  ["an empty tag", ["add", "a", ...EVERY, "--tag", "", ...CMD], BAD_INPUT, [/^--tag: must not be empty$/]],
  ["a blank tag on edit", ["edit", "existing", "--tag", "ok", "--tag", "  "], BAD_INPUT, [/^--tag: must not be empty$/]],
  ["a tag given twice", ["add", "a", ...EVERY, "--tag", "Work", "--tag", "work", ...CMD], BAD_INPUT, [/^--tag: "work" is given twice$/]],
  ["a tag past 40 characters", ["add", "a", ...EVERY, "--tag", "t".repeat(41), ...CMD], BAD_INPUT, [/^--tag: must be at most 40 characters$/]],
  ["a tag with a comma", ["add", "a", ...EVERY, "--tag", "a,b", ...CMD], BAD_INPUT, [/^--tag: must not contain a comma$/]],
  ["list --tag empty", ["list", "--tag", ""], BAD_INPUT, [/^--tag: must not be empty$/]],
  ["agenda --days 0", ["agenda", "--days", "0"], BAD_INPUT, [/^--days: "0" must be a whole number from 1 to 31$/]],
  ["agenda --days 32", ["agenda", "--days", "32"], BAD_INPUT, [/^--days: "32" must be a whole number from 1 to 31$/]],
  ["agenda --days not a number", ["agenda", "--days", "week"], BAD_INPUT, [/^--days: "week" must be a whole number from 1 to 31$/]],
  ["agenda --tz unknown", ["agenda", "--tz", "Mars/Base"], BAD_INPUT, [/^--tz: unknown time zone "Mars\/Base"$/]],
  ["agenda --from not a date", ["agenda", "--from", "soon"], BAD_INPUT, [/^--from: "soon" is not a date-time/]],
  ["a window of hours that are not", ["add", "a", ...EVERY, "--between", "25:00-26:00", ...CMD], BAD_INPUT, [/^--between: "25:00-26:00": 25:00 is not a time of day/]],
  ["an empty day list", ["add", "a", ...EVERY, "--days", "", ...CMD], BAD_INPUT, [/^--days: must name at least one day/]],
  ["an unknown day", ["add", "a", ...EVERY, "--days", "mon,funday", ...CMD], BAD_INPUT, [/^--days: "funday" is not a day/]],
  ["a skip range that ends before it starts", ["add", "a", ...EVERY, "--skip-dates", "2026-12-31..2026-12-24", ...CMD], BAD_INPUT, [/^--skip-dates: "2026-12-31\.\.2026-12-24" ends before it starts$/]],
  ["a skip date not on the calendar", ["add", "a", ...EVERY, "--skip-dates", "2026-02-30", ...CMD], BAD_INPUT, [/^--skip-dates: "2026-02-30" is not a date on the calendar$/]],
  ["an unknown unmet policy", ["add", "a", ...EVERY, "--if-unmet", "later", ...CMD], BAD_INPUT, [/^--if-unmet: "later" is not one of skip, wait, wait:DURATION$/]],
  ["edit with a bad window", ["edit", "existing", "--between", "9-17"], BAD_INPUT, [/^--between: "9-17" must be HH:MM-HH:MM/]],
  ["--clear between with --between", ["edit", "existing", "--clear", "between", "--between", "09:00-17:00"], BAD_INPUT, [/^--clear between: cannot be combined with --between/]],
  ["next --job with a schedule", ["next", "--job", "existing", "--cron", "0 3 * * *"], BAD_INPUT, [/^--job: cannot be combined with --cron/]],
];

describe("bad input exits non-zero, names the option, changes nothing", () => {
  test("the catalogue has at least twenty cases", () => expect(CASES.length).toBeGreaterThanOrEqual(20));

  test.concurrent.each(CASES)("%s", async (_what, args, code, patterns) => {
    const result = await sundial(args, { home });
    const lines = result.stderr.trimEnd().split("\n");
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code });
    expect(lines, result.stderr).toHaveLength(patterns.length);
    patterns.forEach((pattern, index) => expect(lines[index]).toMatch(pattern));
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.stdout).toBe("");
    // The definitions file is the store: not one byte of it may change.
    expect(fs.readFileSync(homePaths(home).jobs).equals(storeBefore)).toBe(true);
  });

  test("after the whole catalogue, list --json is identical to before", async () => {
    expect((await sundial(["list", "--json"], { home })).stdout).toBe(listBefore);
  });
});
