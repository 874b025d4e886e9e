/**
 * `sundial CMD …` declares only CMD (electron/daemon/cli.ts, docs/PERFORMANCE.md §8.2). Each
 * command must read the same declared alone as among all the others: its help, and the
 * program's answer to what it is given. `--home DIR` before the command name declares them
 * all, which is the whole program to compare with.
 */
import { describe, expect, test } from "vitest";
import { main } from "../../../electron/daemon/cli.js";

async function call(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "sundial", ...args], { stdout: { write: (text: string) => void (out += text) }, stderr: { write: (text: string) => void (err += text) }, env: {} });
  return { code, out, err };
}

async function commandNames(): Promise<string[]> {
  const { out } = await call(["--help"]);
  const commands = out.slice(out.indexOf("Commands:"));
  return [...commands.matchAll(/^ {2}([a-z]+)\b/gm)].map((match) => match[1]!).filter((name) => name !== "help");
}

describe("a command declared alone", () => {
  test("the program lists every command the contract names", async () => {
    const names = await commandNames();
    expect(names).toEqual(expect.arrayContaining(["daemon", "add", "edit", "list", "show", "agenda", "run", "pause", "resume", "remove", "cancel", "history", "logs", "next", "status", "settings", "export", "channel", "import"]));
  });

  test("has the same help as in the whole program, for every command", async () => {
    for (const name of await commandNames()) {
      const alone = await call([name, "--help"]);
      const among = await call(["--home", "/nonexistent", name, "--help"]);
      expect(alone.code, name).toBe(0);
      expect(alone.out, name).toBe(among.out);
      expect(alone.out, name).toContain(`Usage: sundial ${name}`);
    }
  });

  test("refuses what the whole program refuses, in the same words", async () => {
    for (const args of [["list", "extra"], ["show"], ["next", "--bogus"], ["channel", "nosuch"], ["pause", "--until"]]) {
      const [name, ...rest] = args as [string, ...string[]];
      const alone = await call([name, ...rest]);
      const among = await call(["--home", "/nonexistent", name, ...rest]);
      expect(alone.code, args.join(" ")).toBe(2);
      expect(alone.err, args.join(" ")).toBe(among.err);
    }
  });
});
