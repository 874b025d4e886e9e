/**
 * What the CLI prints for people cannot drive the terminal (issue 10, item 10): a stored
 * name, command or env value, a run's output and an error message holding ESC sequences,
 * newlines or bidi overrides come out as visible escapes; `--json` keeps the exact values.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { BIN, ensureBuilt, removeTempHomes, ROOT, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";
import { storedJob } from "../support/records.mjs";

// Clears the screen, reverses the text direction, and starts a fake row of `sundial list`.
const NAME = "evil\x1b[2J\u202eeman\nfake row  -  succeeded  rm -rf\tx\x9b31m";
const COMMAND = "printf 'out\\033[2Jput\\n'; printf '\\342\\200\\256rev\\n' # \x1b[2J\u202e";
const ENV_VALUE = "\x1b]0;pwned\x07";

let home: string;
let runId: string;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("escape");
  const now = new Date().toISOString();
  // Written directly: names like this are refused at input now, but stores already hold them.
  const job = storedJob(0, {
    id: "j_0000e5c1",
    name: NAME,
    triggers: [{ type: "interval", version: 1, everySeconds: 3600, anchor: now }],
    command: COMMAND,
    env: { EVIL: ENV_VALUE },
    catchUp: "skip",
    notify: "never",
    createdAt: now,
    updatedAt: now,
  });
  fs.writeFileSync(homePaths(home).jobs, JSON.stringify({ version: 2, settings: {}, jobs: [job] }), { mode: 0o600 });
  await startDaemon(home);
  const ran = await sundial(["run", "j_0000e5c1", "--wait"], { home });
  expect(ran.code, ran.stderr).toBe(0);
  runId = (await sundialJson<Run[]>(["history"], { home }))[0]!.id;
}, 120_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

/** C0 controls but newline, DEL, C1 controls, bidi controls: none may reach a terminal. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function expectHarmless(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
  expect(text).not.toMatch(/^fake row/m);
}

describe("human output escapes what a stored job holds", () => {
  test.each([["list"], ["show", "j_0000e5c1"], ["history"], ["history", "j_0000e5c1"], ["status"]])("sundial %s", async (...args) => {
    const result = await sundial(args, { home });
    expect(result.code, result.stderr).toBe(0);
    expectHarmless(result.stdout);
    expectHarmless(result.stderr);
    if (args[0] !== "status") expect(result.stdout).toContain("evil\\x1b[2J\\u202eeman\\nfake row");
  });

  test("show escapes the command and the environment", async () => {
    const result = await sundial(["show", "j_0000e5c1"], { home });
    expect(result.stdout).toContain("EVIL=\\x1b]0;pwned\\x07");
    expect(result.stdout).toContain("rev\\n' # \\x1b[2J\\u202e\n");
  });

  test("an error message echoing a name is escaped", async () => {
    const result = await sundial(["show", "nope\x1b[2J\u202e\nx"], { home });
    expect(result.code).toBe(1);
    expectHarmless(result.stderr);
    expect(result.stderr).toContain("nope\\x1b[2J\\u202e\\nx");
    const withRun = await sundial(["logs", "r_\x1b[2Jnope"], { home });
    expect(withRun.code).toBe(1);
    expectHarmless(withRun.stderr);
  });

  test("--json keeps the exact values (bidi and C1 controls as \\u escapes)", async () => {
    const result = await sundial(["show", "j_0000e5c1", "--json"], { home });
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const job = JSON.parse(result.stdout) as JobView;
    expect(job.name).toBe(NAME);
    expect(job.command).toBe(COMMAND);
    expect(job.env).toEqual({ EVIL: ENV_VALUE });
  });
});

describe("a run's own output", () => {
  test("sundial logs into a pipe or a file is the command's bytes, unchanged", async () => {
    const result = await sundial(["logs", runId], { home });
    expect(result.stdout).toBe("out\x1b[2Jput\n\u202erev\n");
  });

  test("sundial logs on a terminal shows control characters as escapes", async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} logs ${runId} --home ${JSON.stringify(home)}`;
    const output = await new Promise<string>((resolve, reject) =>
      execFile("script", ["-qec", command, "/dev/null"], { cwd: ROOT, timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    // The terminal turns "\n" into "\r\n".
    const text = output.replaceAll("\r\n", "\n");
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toBe("out\\x1b[2Jput\n\\u202erev\n");
  });
});
