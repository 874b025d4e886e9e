/**
 * Property: every input to SchedulerService.addJob, through a real engine on a temp home, is
 * either stored and schedulable (no problem, nextRunAt null or a valid ISO 8601 instant, and
 * `listJobs` works) or refused with a ValidationError whose issues each name a field. The
 * engine never throws anything else, and what it stored loads again on the next start.
 *
 * Seeded and bounded: see propertyOptions in ./arbitraries.ts for the seed and how to replay.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../electron/core/engine.js";
import { SilentNotifier } from "../../electron/core/notifier/silent-notifier.js";
import { ValidationError } from "../../electron/shared/errors.js";
import { MAX_INSTANT_MS } from "../../electron/shared/civil-time.js";
import { command, durationSeconds, jobName, propertyOptions, triggerSpec, zone } from "./arbitraries.js";
import { tempFolder } from "../support/temp-folders.mjs";

const parent = tempFolder("property");
const home = path.join(parent, "home");
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

function open(): Promise<Engine> {
  return openEngine({ home, notifier: new SilentNotifier(), baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, killGraceMs: 500 });
}

/** Mostly a sensible value, now and then a hostile one: each field alone decides the outcome often enough. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad });

const envKey = mostly(fc.constantFrom("PATH_EXTRA", "A", "_x1", "LANG"), fc.oneof(fc.string({ maxLength: 6 }), fc.constant("A\u0000")));
const envValue = mostly(fc.string({ maxLength: 20 }), fc.oneof(fc.string({ unit: "binary", maxLength: 10 }), fc.constant("a\u0000b"), fc.constant("x".repeat(140 * 1024))));
const policy = (values: string[]) => mostly(fc.constantFrom(...values), fc.string({ maxLength: 5 }));
const saneSeconds = mostly(fc.integer({ min: 1, max: 86_400 }), durationSeconds);

/** One trigger of a list (issue 15): time and event kinds, chains to jobs that may exist, and junk. */
const listedTrigger = mostly<unknown>(
  fc.oneof<fc.Arbitrary<unknown>[]>(
    fc.constant({ type: "interval", everySeconds: 3600 }),
    zone.map((timezone) => ({ type: "cron", expression: "*/5 * * * *", ...(timezone ? { timezone } : {}) })),
    fc.constant({ type: "startup" }),
    fc.constant({ type: "wake", delaySeconds: 5 }),
    fc.constant({ type: "watch", path: os.tmpdir(), debounceSeconds: 1 }),
    fc.constantFrom("a", "b", "nightly").map((job) => ({ type: "after", job, on: "failure" })),
  ),
  fc.oneof<fc.Arbitrary<unknown>[]>(
    triggerSpec,
    fc.constant({ type: "watch", path: "relative" }),
    fc.constant({ type: "after", job: "" }),
    fc.constant({ type: "after", job: "a", on: "sometimes" }),
    fc.constant({ type: "wake", delaySeconds: -1 }),
  ),
);

/** Every field of a job input but its triggers, as a careless client or an attacker might send them. */
const jobFields = {
  name: mostly(fc.stringMatching(/^[a-z][a-z0-9 -]{0,15}$/), jobName),
  command: mostly(fc.constantFrom("true", "echo hi"), command),
  shell: mostly(fc.constant("/bin/sh"), fc.constantFrom("", "/bin/sh\u0000")),
  cwd: mostly(fc.constant(os.tmpdir()), fc.constantFrom("/no/such/folder", "relative", "/tmp\u0000x")),
  env: fc.dictionary(envKey, envValue, { maxKeys: 3 }),
  timeoutSeconds: saneSeconds,
  catchUpGraceSeconds: saneSeconds,
  overlap: policy(["skip", "queue", "parallel", "replace"]),
  catchUp: policy(["skip", "once", "all"]),
  notify: policy(["failure", "always", "never"]),
  retries: fc.record(
    {
      count: mostly(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 101, Number.MAX_SAFE_INTEGER)),
      delaySeconds: saneSeconds,
      backoff: mostly(fc.constantFrom(1, 2), fc.double({ min: -1, max: 20 })),
    },
    { requiredKeys: [] },
  ),
  paused: mostly(fc.boolean(), fc.constant("yes" as unknown as boolean)),
  // Tags (issue 17): sensible labels, or empty, too long, repeated, not text, a control character.
  tags: mostly<unknown>(
    fc.uniqueArray(fc.constantFrom("backup", "work", "nightly", "home"), { maxLength: 3 }),
    fc.oneof<fc.Arbitrary<unknown>[]>(fc.constant([""]), fc.constant(["t".repeat(41)]), fc.constant(["a", "A"]), fc.constant([1]), fc.constant("backup"), fc.constant(["a\u001b[2J"]), fc.array(fc.constant("x"), { minLength: 17, maxLength: 17 })),
  ),
  unknownField: fc.constant(1),
};

/** A job input as a careless client or an attacker might send it: one `trigger` (the shorthand) or a list. */
const jobInput = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        ...jobFields,
        trigger: mostly<unknown>(
          fc.oneof<fc.Arbitrary<unknown>[]>(
            fc.constant({ type: "interval", everySeconds: 3600 }),
            zone.map((timezone) => ({ type: "cron", expression: "*/5 * * * *", ...(timezone ? { timezone } : {}) })),
            fc.constant({ type: "date", at: "2099-01-01T00:00:00+14:00" }),
          ),
          triggerSpec,
        ),
      },
      { requiredKeys: ["name", "trigger", "command"] },
    ),
  },
  {
    weight: 10,
    arbitrary: fc.record(
      { ...jobFields, triggers: mostly<unknown>(fc.array(listedTrigger, { maxLength: 4 }), fc.constantFrom(null, "daily", [null], {})) },
      { requiredKeys: ["name", "triggers", "command"] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, 42, "job", [], { trigger: null }, { name: {}, command: [], trigger: "daily" }, { name: "x", command: "true", triggers: [], trigger: { type: "wake" } }) },
);

function isIsoInstant(text: string): boolean {
  const ms = Date.parse(text);
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?[+-]\d\d:\d\d$/.test(text) && Number.isFinite(ms) && ms <= MAX_INSTANT_MS + 14 * 3_600_000 * 10_000;
}

describe("random API inputs through a real engine", () => {
  it("each input is stored and schedulable, or refused with field-named issues; nothing else", async () => {
    const engine = await open();
    const stored = new Set<string>();
    let refused = 0;
    try {
      await fc.assert(
        fc.asyncProperty(jobInput, async (input) => {
          let view;
          try {
            view = await engine.service.addJob(input as never);
          } catch (error) {
            // Anything but a ValidationError (a TypeError, a RangeError) is a crash of the API.
            if (!(error instanceof ValidationError)) throw error;
            expect(error.issues.length).toBeGreaterThan(0);
            for (const issue of error.issues) {
              expect(issue.field).toMatch(/^(\(input\)|[A-Za-z_])/);
              expect(issue.message.length).toBeGreaterThan(0);
            }
            refused++;
            return;
          }
          stored.add(view.id);
          expect(view.problem).toBeNull();
          if (view.nextRunAt !== null) expect(isIsoInstant(view.nextRunAt), view.nextRunAt).toBe(true);
          // A stored job's tags are what was sent, trimmed, each a valid tag.
          expect(view.tags.every((tag) => tag.length > 0 && tag === tag.trim())).toBe(true);
          const list = await engine.service.listJobs();
          expect(list.map((job) => job.id)).toContain(view.id);
          await engine.service.status();
        }),
        propertyOptions(150),
      );
    } finally {
      await engine.stop();
    }
    if (process.env.FC_STATS) console.log(`stored ${stored.size}, refused ${refused}`);
    // Both outcomes must be exercised for the property to mean something.
    expect(stored.size).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);

    // Whatever was accepted loads again: the store is not "corrupt", no job is broken.
    const reopened = await open();
    try {
      const jobs = await reopened.service.listJobs();
      expect(new Set(jobs.map((job) => job.id))).toEqual(stored);
      for (const job of jobs) expect(job.problem, job.name).toBeNull();
    } finally {
      await reopened.stop();
    }
  }, 60_000);
});
