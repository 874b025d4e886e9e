import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const probe = path.join(root, "electron", "core", "__lint_probe__.ts");

afterAll(() => fs.rmSync(probe, { force: true }));

function lint(file: string): { code: number; output: string } {
  try {
    const output = execFileSync(path.join(root, "node_modules", ".bin", "eslint"), [file], { cwd: root, encoding: "utf8" });
    return { code: 0, output };
  } catch (error) {
    const failure = error as { status: number; stdout: string };
    return { code: failure.status, output: failure.stdout };
  }
}

describe("the engine's import boundary", () => {
  it("lint rejects importing electron from electron/core", () => {
    fs.writeFileSync(probe, 'import { app } from "electron";\nexport const name = app.getName();\n');
    const result = lint(probe);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/never import electron/);
  });
});
