import { describe, expect, test } from "vitest";
import {
  CATCH_UP_POLICIES,
  CliInputError,
  NOTIFY_POLICIES,
  OVERLAP_POLICIES,
  jobInputFromOptions,
  jobPatchFromOptions,
  joinCommand,
  optionForField,
} from "../../../electron/daemon/cli/job-options.js";
import { CatchUpPolicy, NotifyPolicy, OverlapPolicy, type JobView } from "../../../electron/shared/schemas.js";

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
    const input = jobInputFromOptions("backup", ["echo", "hi"], { every: "1h30m", env: ["A=1", "B=x=y"], retries: "2", catchUp: "skip" }, NOW);
    expect(input).toEqual({
      name: "backup",
      command: "echo hi",
      trigger: { type: "interval", version: 1, everySeconds: 5400 },
      env: { A: "1", B: "x=y" },
      retries: { count: 2 },
      catchUp: "skip",
    });
  });

  test("--at without offset is wall time in --tz", () => {
    const input = jobInputFromOptions("x", ["true"], { at: "2027-01-01T09:00", tz: "Asia/Tokyo" }, NOW);
    expect(input.trigger).toEqual({ type: "date", version: 1, at: "2027-01-01T00:00:00.000Z" });
  });

  test("report every problem at once, each naming its option", () => {
    const problems = problemsOf(() =>
      jobInputFromOptions("", [], { every: "0s", env: ["FOO"], overlap: "sometimes", retries: "-1", timeout: "soon" }, NOW),
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

  test("two schedules, or none, are refused", () => {
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], { cron: "* * * * *", every: "5m" }, NOW))).toEqual([
      "--cron: cannot be combined with --every; give one schedule",
    ]);
    expect(problemsOf(() => jobInputFromOptions("x", ["true"], {}, NOW))).toEqual(["schedule: give one of --cron EXPR, --every DURATION or --at DATETIME"]);
  });

  test("edit --tz alone re-zones a cron trigger, and retry options keep the other half", () => {
    const current = {
      name: "backup",
      trigger: { type: "cron", version: 1, expression: "0 3 * * *" },
      env: { A: "1" },
      retries: { count: 1, delaySeconds: 30, backoff: 1 },
    } as unknown as JobView;
    expect(jobPatchFromOptions(current, [], { tz: "Europe/Paris", retries: "3", env: ["B=2"] }, NOW)).toEqual({
      trigger: { type: "cron", version: 1, expression: "0 3 * * *", timezone: "Europe/Paris" },
      retries: { count: 3, delaySeconds: 30, backoff: 1 },
      env: { A: "1", B: "2" },
    });
  });

  test("the CLI's policy lists are exactly the contract's", () => {
    expect([...OVERLAP_POLICIES]).toEqual(OverlapPolicy.options);
    expect([...CATCH_UP_POLICIES]).toEqual(CatchUpPolicy.options);
    expect([...NOTIFY_POLICIES]).toEqual(NotifyPolicy.options);
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
    expect(optionForField("trigger", { type: "interval" })).toBe("--every");
  });
});
