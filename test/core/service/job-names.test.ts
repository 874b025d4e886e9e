/**
 * Issue 10, items 6 and 10: a job name is unique under any interleaving of adds, imports and
 * renames, and names carry no control or bidirectional-override characters.
 */
import { describe, expect, it } from "vitest";
import type { JobInput } from "../../../electron/shared/schemas.js";
import { issuesOf, openTestEngine } from "./support.js";

const input = (name: string): JobInput => ({ name, trigger: { type: "cron", expression: "0 3 * * *" }, command: "true" });

describe("job names under concurrency", () => {
  it("50 parallel adds of one name store exactly one job; the others are refused naming the field", async () => {
    const engine = await openTestEngine();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => engine.service.addJob(input("dup"))));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ name: "ValidationError", issues: [{ field: "name" }] });
    }
    expect((await engine.service.listJobs()).map((job) => job.name)).toEqual(["dup"]);
  });

  it("15 parallel renames onto one name leave exactly one job with it", async () => {
    const engine = await openTestEngine();
    for (let index = 0; index < 15; index++) await engine.service.addJob(input(`job-${index}`));
    const results = await Promise.allSettled(Array.from({ length: 15 }, (_, index) => engine.service.updateJob(`job-${index}`, { name: "same" })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const names = (await engine.service.listJobs()).map((job) => job.name);
    expect(names.filter((name) => name === "same")).toHaveLength(1);
    expect(new Set(names).size).toBe(15);
  });

  it("an add, an import and a rename racing for one name: one wins", async () => {
    const engine = await openTestEngine();
    await engine.service.addJob(input("other"));
    const results = await Promise.allSettled([
      engine.service.addJob(input("prize")),
      engine.service.importJobs([input("prize"), input("fine")]),
      engine.service.updateJob("other", { name: "prize" }),
      engine.service.addJob(input("prize")),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const names = (await engine.service.listJobs()).map((job) => job.name);
    expect(names.filter((name) => name === "prize")).toHaveLength(1);
  });
});

describe("characters in job names", () => {
  it.each([
    ["ESC (a terminal escape)", "a\u001b[2Jb"],
    ["a newline inside", "fake\nrow"],
    ["NUL", "a\u0000b"],
    ["DEL", "a\u007fb"],
    ["a C1 control (CSI)", "a\u009bb"],
    ["right-to-left override", "evil\u202etxt.sh"],
    ["left-to-right isolate", "a\u2066b"],
    ["pop directional isolate", "a\u2069b"],
    ["right-to-left mark", "a\u200fb"],
    ["Arabic letter mark", "a\u061cb"],
  ])("a name with %s is refused, naming the field", async (_what, name) => {
    const engine = await openTestEngine();
    const issues = await issuesOf(engine.service.addJob(input(name)));
    expect(issues).toEqual([{ field: "name", message: expect.stringMatching(/control or bidirectional/) }]);
    await engine.service.addJob(input("ok"));
    expect((await issuesOf(engine.service.updateJob("ok", { name }))).map((issue) => issue.field)).toEqual(["name"]);
    expect((await engine.service.listJobs()).map((job) => job.name)).toEqual(["ok"]);
  });

  it("accepts letters from any script, emoji, and spaces", async () => {
    const engine = await openTestEngine();
    for (const name of ["Sauvegarde du soir", "備份", "نسخ احتياطي", "🌙 nightly", "a\u00a0b"]) await engine.service.addJob(input(name));
    expect(await engine.service.listJobs()).toHaveLength(5);
  });
});
