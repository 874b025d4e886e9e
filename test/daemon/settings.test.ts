/**
 * `sundial settings` against a real daemon (issue 13, "A settings page"): every key listed,
 * get and set for each kind of value, bad keys and values refused with a line naming the key
 * and nothing changed, settings kept across a restart, and a changed retention applied at
 * once by the running engine.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";
import { SETTING_KEYS } from "../../electron/shared/settings.js";

const BAD_INPUT = 2;

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

type Values = Record<string, unknown>;

describe("sundial settings", () => {
  it("lists every setting with a fresh home's values, as a table and as JSON", async () => {
    const home = tempHome("settings-list");
    await startDaemon(home);
    const values = await sundialJson<Values>(["settings"], { home });
    expect(values).toEqual({
      "default-notify": "failure",
      notifications: true,
      "default-alert-after": 0,
      "default-alert-recovered": false,
      "history-max-runs": 200,
      "history-max-days": 90,
      "time-format": "system",
      theme: "system",
      "start-at-login": null,
      home,
    });
    const table = await sundial(["settings"], { home });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KEY\s+VALUE\s+NOTE$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([...SETTING_KEYS]);
    // The daemon cannot start at login, and says why; the home is shown, read-only.
    expect(lines.find((line) => line.startsWith("start-at-login"))).toMatch(/not available\s+read-only: only the desktop app can start at login/);
    expect(lines.find((line) => line.startsWith("home"))).toContain(home);
  });

  it("sets and gets each kind of value: a choice, a switch, a number", async () => {
    const home = tempHome("settings-set");
    await startDaemon(home);
    const set = await sundial(["settings", "set", "time-format", "24h"], { home });
    expect(set).toMatchObject({ code: 0, stdout: "time-format is now 24h\n" });
    expect((await sundial(["settings", "get", "time-format"], { home })).stdout).toBe("24h\n");

    expect((await sundial(["settings", "set", "notifications", "off"], { home })).stdout).toBe("notifications is now off\n");
    expect(await sundialJson<boolean>(["settings", "get", "notifications"], { home })).toBe(false);

    await sundial(["settings", "set", "history-max-days", "30"], { home });
    expect(await sundialJson<number>(["settings", "get", "history-max-days"], { home })).toBe(30);

    await sundial(["settings", "set", "default-notify", "always"], { home });
    await sundial(["settings", "set", "theme", "dark"], { home });
    expect(await sundialJson<Values>(["settings"], { home })).toMatchObject({
      "time-format": "24h",
      notifications: false,
      "history-max-days": 30,
      "default-notify": "always",
      theme: "dark",
    });
  });

  it("refuses an unknown key or a bad value with one line naming the key, and changes nothing", async () => {
    const home = tempHome("settings-bad");
    await startDaemon(home);
    const jobsFile = path.join(home, "jobs.json");
    await sundial(["settings", "set", "theme", "light"], { home });
    const before = fs.readFileSync(jobsFile, "utf8");

    const cases: [string[], RegExp][] = [
      [["settings", "set", "colour", "red"], /^KEY: unknown setting "colour" \(known: default-notify, .*home\)$/],
      [["settings", "get", "colour"], /^KEY: unknown setting "colour"/],
      [["settings", "set", "theme", "blue"], /^theme: "blue" is not one of system, light, dark$/],
      [["settings", "set", "time-format", "13h"], /^time-format: "13h" is not one of system, 12h, 24h$/],
      [["settings", "set", "notifications", "maybe"], /^notifications: "maybe" is not on or off$/],
      [["settings", "set", "history-max-runs", "ten"], /^history-max-runs: "ten" is not a whole number from 1 to 100000$/],
      // Read as a number by the CLI, refused by the engine (the one that checks every face).
      [["settings", "set", "history-max-runs", "0"], /^history-max-runs: must be a whole number from 1 to 100000$/],
      [["settings", "set", "history-max-days", "99999999"], /^history-max-days: must be a whole number from 1 to 36500$/],
      [["settings", "set", "home", "/tmp"], /^home: is read-only: chosen when Sundial starts/],
      [["settings", "set", "start-at-login", "on"], /^start-at-login: is not available here: only the desktop app can start at login/],
      [["settings", "set", "theme"], /^VALUE: required/],
      [["settings", "delete", "theme"], /^ACTION: "delete" is not one of get, set/],
    ];
    for (const [args, line] of cases) {
      const result = await sundial(args, { home });
      expect(result.code, args.join(" ")).toBe(BAD_INPUT);
      expect(result.stderr.trimEnd().split("\n"), args.join(" ")).toEqual([expect.stringMatching(line)]);
      expect(result.stdout).toBe("");
    }
    expect(fs.readFileSync(jobsFile, "utf8")).toBe(before);
    expect(await sundialJson<string>(["settings", "get", "theme"], { home })).toBe("light");
  });

  it("keeps the settings across a restart, in jobs.json (0600) beside the jobs", async () => {
    const home = tempHome("settings-restart");
    const first = await startDaemon(home);
    await sundial(["add", "keep", "--every", "1h", "--", "true"], { home });
    await sundial(["settings", "set", "theme", "dark"], { home });
    await sundial(["settings", "set", "history-max-runs", "7"], { home });
    await sundial(["settings", "set", "default-notify", "never"], { home });
    expect(await first.stop()).toBe(0);

    const stored = JSON.parse(fs.readFileSync(path.join(home, "jobs.json"), "utf8")) as { settings: Values; jobs: unknown[] };
    expect(stored.settings).toMatchObject({ theme: "dark", defaultNotify: "never", history: { maxRunsPerJob: 7, maxAgeDays: 90 } });
    expect(stored.jobs).toHaveLength(1);
    expect(fs.statSync(path.join(home, "jobs.json")).mode & 0o777).toBe(0o600);

    await startDaemon(home);
    expect(await sundialJson<Values>(["settings"], { home })).toMatchObject({ theme: "dark", "history-max-runs": 7, "default-notify": "never" });
    expect((await sundialJson<unknown[]>(["list"], { home })).length).toBe(1);
  });

  it("applies a smaller history-max-runs at once: the oldest runs and their logs go, the newest stay", async () => {
    const home = tempHome("settings-retention");
    await startDaemon(home);
    await sundial(["add", "counter", "--cron", "0 0 1 1 *", "--", "echo run"], { home });
    for (let index = 0; index < 4; index++) expect((await sundial(["run", "counter", "--wait"], { home })).code).toBe(0);
    const runs = await sundialJson<{ id: string }[]>(["history", "counter"], { home });
    expect(runs).toHaveLength(4);

    await sundial(["settings", "set", "history-max-runs", "2"], { home });
    const kept = await sundialJson<{ id: string }[]>(["history", "counter"], { home });
    expect(kept.map((run) => run.id)).toEqual(runs.slice(0, 2).map((run) => run.id));
    const pruned = runs[3]!.id;
    expect((await sundial(["logs", pruned], { home })).code).not.toBe(0);
    expect(fs.existsSync(path.join(home, "logs", `${pruned}.log`))).toBe(false);
    expect(fs.existsSync(path.join(home, "logs", `${runs[0]!.id}.log`))).toBe(true);
  });

  it("says how to start an engine when none is running", async () => {
    const home = tempHome("settings-offline");
    const result = await sundial(["settings"], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sundial daemon/);
  });
});
