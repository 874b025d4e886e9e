/**
 * A slow reader of the event stream loses output events, said so on the stream, never the
 * outcome (issue 10, item 9): `sundial run --wait` on a job printing 100 MB, with the
 * CLI's own stdout not read for a while, still exits by the run's status, with a note.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Run } from "../../electron/shared/schemas.js";
import { BIN, ensureBuilt, removeTempHomes, ROOT, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";

let home: string;

beforeAll(async () => {
  await ensureBuilt();
  home = tempHome("slow-reader");
  await startDaemon(home);
  const added = await sundial(["add", "chatty", "--cron", "0 0 1 1 *", "--", "head -c 100M /dev/zero | tr '\\0' x; echo; echo done >&2"], { home });
  expect(added.code, added.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

describe("sundial run --wait with a reader slower than the run", () => {
  test("exits 0 when the run succeeded, and says output events were dropped", async () => {
    const child = spawn(process.execPath, [BIN, "run", "chatty", "--wait", "--home", home], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // Nobody reads the CLI's stdout: once the pipe is full, the CLI blocks on its writes and
    // stops reading the event stream, while the daemon keeps producing events.
    child.stdout.pause();
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

    const finished = await waitFor(
      async () => (await sundialJson<Run[]>(["history", "chatty"], { home })).find((run) => run.status !== "running"),
      120_000,
      "the run to finish",
    );
    expect(finished.status).toBe("succeeded");
    let bytes = 0;
    child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
    child.stdout.resume();

    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(new RegExp(`Run ${finished.id} succeeded \\(exit 0\\)`));
    expect(stderr).toMatch(new RegExp(`output events dropped.*sundial logs ${finished.id}`));
    expect(stderr).not.toMatch(/stopped or crashed/);
    // Some output came through, not all of it.
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(100 * 1024 * 1024);
  }, 180_000);
});
