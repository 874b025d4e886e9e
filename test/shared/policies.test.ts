/**
 * A policy value is written once (electron/shared/policies.ts): the CLI parses and documents
 * it, zod accepts it, and nothing else lists the values (the renderer's selects are pinned in
 * test/renderer/job-editor.test.ts).
 */
import { describe, expect, test } from "vitest";
import { main } from "../../electron/daemon/cli.js";
import { CliInputError, jobInputFromOptions } from "../../electron/daemon/cli/job-options.js";
import { CATCH_UP_POLICIES, DEFAULT_CATCH_UP_POLICY, DEFAULT_NOTIFY_POLICY, DEFAULT_OVERLAP_POLICY, NOTIFY_POLICIES, OVERLAP_POLICIES } from "../../electron/shared/policies.js";
import { JobInputSchema, SettingsSchema } from "../../electron/shared/schemas.js";

const NOW = new Date("2026-11-25T12:00:00Z");

const POLICIES = [
  { option: "--overlap", key: "overlap", field: "overlap", values: OVERLAP_POLICIES, fallback: DEFAULT_OVERLAP_POLICY },
  { option: "--catch-up", key: "catchUp", field: "catchUp", values: CATCH_UP_POLICIES, fallback: DEFAULT_CATCH_UP_POLICY },
  { option: "--notify", key: "notify", field: "notify", values: NOTIFY_POLICIES, fallback: DEFAULT_NOTIFY_POLICY },
] as const;

function cliInput(key: string, value: string) {
  return jobInputFromOptions("backup", ["true"], { every: ["1h"], [key]: value }, NOW);
}

async function helpOf(command: string): Promise<string> {
  let out = "";
  const sink = { write: (text: string) => void (out += text) };
  await main(["node", "sundial", command, "--help"], { stdout: sink, stderr: sink, env: {} });
  // Help is wrapped to the terminal's width: compare words, not line breaks.
  return out.replace(/\s+/g, " ");
}

describe.each(POLICIES)("the $option policy", ({ option, key, field, values, fallback }) => {
  test("every value of the shared list is parsed by the CLI and accepted by the schema", () => {
    for (const value of values) {
      const input = cliInput(key, value);
      expect(input[field]).toBe(value);
      expect(JobInputSchema.parse(input)[field]).toBe(value);
    }
  });

  test("the schema's default is the shared default", () => {
    // A job without its own notify policy follows the default-notify setting, whose default is the shared one.
    if (field === "notify") {
      expect(JobInputSchema.parse(cliInput("name", "backup"))[field]).toBeUndefined();
      expect(SettingsSchema.parse({}).defaultNotify).toBe(fallback);
    } else {
      expect(JobInputSchema.parse(cliInput("name", "backup"))[field]).toBe(fallback);
    }
  });

  test("a value outside the list is refused by both, and the CLI names every allowed value", () => {
    let problems: string[] = [];
    try {
      cliInput(key, "sometimes");
    } catch (error) {
      problems = (error as CliInputError).problems;
    }
    expect(problems).toEqual([`${option}: "sometimes" is not one of ${values.join(", ")}`]);
    expect(JobInputSchema.safeParse({ ...cliInput("name", "backup"), [field]: "sometimes" }).success).toBe(false);
  });

  test("add and edit --help list the shared values and default", async () => {
    const documented = field === "notify" ? `${values.join("|")} (default: the default-notify setting, ${fallback} unless changed)` : `${values.join("|")} (default ${fallback})`;
    for (const command of ["add", "edit"]) expect(await helpOf(command)).toContain(documented);
  });
});
