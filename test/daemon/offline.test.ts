import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuilt, removeTempHomes, sundial, tempHome } from "../support/cli.js";

let home: string;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("offline");
}, 180_000);
afterAll(removeTempHomes);

describe("sundial next works without a daemon", () => {
  test("previews cron times in a zone, with the engine's DST rule for a spring-forward gap", async () => {
    const result = await sundial(["next", "--cron", "30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-03-28T00:00", "-n", "3", "--json"], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]);
    expect(fs.readdirSync(home)).toEqual([]);
  });

  test("prints readable local times with their offset and the schedule in words", async () => {
    const result = await sundial(["next", "--cron", "0 9 * * 1-5", "--tz", "America/New_York", "--from", "2026-11-27T12:00", "-n", "2"], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^At 09:00, Monday through Friday.*\(0 9 \* \* 1-5\), times in America\/New_York:\n/);
    expect(result.stdout).toContain("  Mon 2026-11-30 09:00:00 -05:00");
    expect(result.stdout).toContain("  Tue 2026-12-01 09:00:00 -05:00");
  });

  test("previews intervals from --from and a single date", async () => {
    const every = await sundial(["next", "--every", "90m", "--from", "2026-01-01T00:00Z", "-n", "2", "--json"], { home, env: { TZ: "UTC" } });
    expect((JSON.parse(every.stdout) as string[]).map((time) => new Date(time).toISOString())).toEqual(["2026-01-01T01:30:00.000Z", "2026-01-01T03:00:00.000Z"]);
    const once = await sundial(["next", "--at", "2099-01-01T09:00", "--tz", "Asia/Tokyo", "--json"], { home });
    expect(JSON.parse(once.stdout)).toEqual(["2099-01-01T09:00:00+09:00"]);
  });
});

describe("help", () => {
  test("sundial --help lists every command of the contract, with examples", async () => {
    const result = await sundial(["--help"], { home });
    expect(result.code).toBe(0);
    for (const command of ["daemon", "add", "edit", "list", "show", "run", "pause", "resume", "remove", "cancel", "history", "logs", "next", "status", "settings", "export", "import", "agenda"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    expect(result.stdout).toContain("Examples:");
  });

  test.each(["add", "edit", "list", "run", "next", "import", "settings", "agenda"])("sundial %s --help has examples and --home", async (command) => {
    const result = await sundial([command, "--help"], { home });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--home <dir>");
    expect(result.stdout).toMatch(new RegExp(`Examples:\\n  \\$ sundial ${command}`));
  });

  test("add --help documents every option of the contract", async () => {
    const { stdout } = await sundial(["add", "--help"], { home });
    for (const option of ["--cron", "--every", "--at", "--tz", "--timeout", "--cwd", "--env", "--overlap", "--catch-up", "--retries", "--retry-delay", "--notify", "--paused", "--json", "--start", "--end", "--jitter", "--tag"]) {
      expect(stdout).toContain(option);
    }
  });

  test("edit --help lists every field --clear takes", async () => {
    const { stdout } = await sundial(["edit", "--help"], { home });
    expect(stdout).toContain("--clear <field>");
    for (const field of ["timeout", "cwd", "env", "tz", "start", "end", "jitter", "retries", "shell", "catch-up-grace", "tags"]) {
      expect(stdout).toMatch(new RegExp(`^  ${field} +\\S`, "m"));
    }
  });

  test("pause --help has --until, run --help says what Ctrl-C does, cancel --help has an example", async () => {
    expect((await sundial(["pause", "--help"], { home })).stdout).toMatch(/--until <when>[\s\S]*sundial pause --all --until 2h/);
    expect((await sundial(["run", "--help"], { home })).stdout).toMatch(/Ctrl-C[\s\S]*sundial cancel RUN[\s\S]*130/);
    expect((await sundial(["cancel", "--help"], { home })).stdout).toMatch(/Examples:\n {2}\$ sundial cancel r_/);
  });
});
