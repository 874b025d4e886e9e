/**
 * Issue 10, items 1 and 14: what a command can never do is refused at the edge, naming the
 * field — NUL bytes, commands past the OS argument limit, instants outside 1970..9999,
 * offsets outside ±14:00, periods beyond 100 years.
 */
import { describe, expect, it } from "vitest";
import { MAX_COMMAND_BYTES, MAX_EVERY_SECONDS } from "../../../electron/shared/limits.js";
import type { JobInput } from "../../../electron/shared/schemas.js";
import { issuesOf, openTestEngine } from "./support.js";

const base: JobInput = { name: "job", trigger: { type: "cron", expression: "0 3 * * *" }, command: "true" };

async function fieldsRefused(patch: Partial<JobInput>): Promise<string[]> {
  const engine = await openTestEngine();
  const issues = await issuesOf(engine.service.addJob({ ...base, ...patch } as JobInput));
  expect(await engine.service.listJobs()).toEqual([]);
  return issues.map((issue) => issue.field);
}

describe("refused at the edge", () => {
  it.each<[string, Partial<JobInput>, string[]]>([
    ["a NUL byte in the command", { command: "echo a\u0000b" }, ["command"]],
    ["a NUL byte in the shell", { shell: "/bin/sh\u0000" }, ["shell"]],
    ["a NUL byte in the folder", { cwd: "/tmp\u0000/x" }, ["cwd"]],
    ["a NUL byte in an env value", { env: { A: "x\u0000y" } }, ["env.A"]],
    ["a NUL byte in an env name", { env: { "A\u0000": "x" } }, ["env.A\u0000"]],
    ["a command longer than the argument limit", { command: `echo ${"x".repeat(MAX_COMMAND_BYTES)}` }, ["command"]],
    ["an env entry longer than the argument limit", { env: { BIG: "x".repeat(MAX_COMMAND_BYTES) } }, ["env.BIG"]],
    ["command and env together past the bound", { command: `echo ${"x".repeat(100_000)}`, env: { A: "x".repeat(100_000), B: "x".repeat(100_000) } }, ["env"]],
    ["an interval longer than 100 years", { trigger: { type: "interval", everySeconds: MAX_EVERY_SECONDS + 1 } }, ["trigger.everySeconds"]],
    ["an interval of 2^53 − 1 seconds", { trigger: { type: "interval", everySeconds: Number.MAX_SAFE_INTEGER } }, ["trigger.everySeconds"]],
    ["an anchor in year 275760", { trigger: { type: "interval", everySeconds: 60, anchor: "+275760-09-13T00:00:00.000Z" } }, ["trigger.anchor"]],
    ["an end in year 10000", { trigger: { type: "interval", everySeconds: 60, end: "+010000-01-01T00:00:00.000Z" } }, ["trigger.end"]],
    ["a start before 1970", { trigger: { type: "interval", everySeconds: 60, start: "1969-12-31T23:59:59Z" } }, ["trigger.start"]],
    ["a date past the representable range", { trigger: { type: "date", at: "+275760-09-13T00:00:00.001Z" } }, ["trigger.at"]],
    ["a date with offset +25:00", { trigger: { type: "date", at: "2099-12-05T10:00:00+25:00" } }, ["trigger.at"]],
    ["a date with offset -14:30", { trigger: { type: "date", at: "2099-12-05T10:00:00-14:30" } }, ["trigger.at"]],
    ["a date Date.parse reads loosely", { trigger: { type: "date", at: "Tue Dec 05 2099" } }, ["trigger.at"]],
    ["a date without an offset", { trigger: { type: "date", at: "2099-12-05T10:00:00" } }, ["trigger.at"]],
    ["a timeout of 2^53 − 1 seconds", { timeoutSeconds: Number.MAX_SAFE_INTEGER }, ["timeoutSeconds"]],
  ])("%s", async (_what, patch, fields) => {
    expect(await fieldsRefused(patch)).toEqual(fields);
  });

  it("accepts the edges: a command just under the limit, offsets ±14:00, a period of 100 years, a date in 9999", async () => {
    const engine = await openTestEngine();
    await engine.service.addJob({ ...base, name: "long", command: `#${"x".repeat(MAX_COMMAND_BYTES - 2)}` });
    await engine.service.addJob({ ...base, name: "east", trigger: { type: "date", at: "2099-12-05T10:00:00+14:00" } });
    await engine.service.addJob({ ...base, name: "west", trigger: { type: "date", at: "2099-12-05T10:00:00.5-14:00" } });
    await engine.service.addJob({ ...base, name: "century", trigger: { type: "interval", everySeconds: MAX_EVERY_SECONDS } });
    await engine.service.addJob({ ...base, name: "far", trigger: { type: "date", at: "9999-12-31T23:59:59Z" } });
    const jobs = await engine.service.listJobs();
    expect(jobs).toHaveLength(5);
    for (const job of jobs) expect(job.nextRunAt, job.name).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("a zone in any letter case is stored under its canonical name", async () => {
    const engine = await openTestEngine();
    const job = await engine.service.addJob({ ...base, trigger: { type: "cron", expression: "0 3 * * *", timezone: "america/NEW_york" } });
    expect(job.triggers).toMatchObject([{ timezone: "America/New_York" }]);
    expect(job.nextRunAt).toMatch(/-0[45]:00$/);
  });
});
