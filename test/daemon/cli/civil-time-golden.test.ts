/**
 * The CLI face of the golden DST table (issue 11): `next --at` (offline) and `add --at`
 * (through a real daemon) turn a wall time typed with `--tz` into the golden instant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempHomes, startDaemon, stopAllDaemons, sundialJson, tempHome } from "../../support/cli.js";
import { CIVIL_TIME_GOLDEN } from "../../support/civil-time-golden.js";

let home: string;

beforeAll(async () => {
  home = tempHome("golden-cli");
  await startDaemon(home);
}, 60_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe("a wall time typed on the command line", () => {
  it.each(CIVIL_TIME_GOLDEN.map((golden) => [golden.what, golden] as const))("%s: next --at previews the golden instant", async (_what, golden) => {
    const times = await sundialJson<string[]>(["next", "--at", golden.wall, "--tz", golden.zone, "--from", "2026-12-05T00:00Z"], { home });
    expect(times.map((time) => Date.parse(time))).toEqual([Date.parse(golden.instant)]);
  });

  it("add --at stores the golden instant for every case", async () => {
    for (const [index, golden] of CIVIL_TIME_GOLDEN.entries()) {
      await sundialJson(["add", `golden-${index}`, "--at", golden.wall, "--tz", golden.zone, "--", "true"], { home });
    }
    const jobs = await sundialJson<{ name: string; triggers: { at: string }[] }[]>(["list"], { home });
    const saved = Object.fromEntries(jobs.map((job) => [job.name, Date.parse(job.triggers[0]!.at)]));
    expect(saved).toEqual(Object.fromEntries(CIVIL_TIME_GOLDEN.map((golden, index) => [`golden-${index}`, Date.parse(golden.instant)])));
  }, 60_000);
});
