import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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

describe("the layers' import boundaries (arrows point down, type imports included)", () => {
  // One probe file per rule, linted in one eslint run (each run costs seconds).
  const probes = {
    coreImportsDaemon: ["electron/core", 'import { runDaemon } from "../daemon/daemon.js";\nexport const start = runDaemon;\n'],
    daemonImportsShell: ["electron/daemon", 'import type { MenuTemplate } from "../main/tray-menu.js";\nexport type Menu = MenuTemplate;\n'],
    rendererImportsEngineType: ["renderer/src/lib", 'import type { Engine } from "../../../electron/core/engine.js";\nexport type E = Engine;\n'],
    sharedImportsNode: ["electron/shared", 'import fs from "node:fs";\nexport const exists = fs.existsSync;\n'],
    sharedImportsEngineType: ["electron/shared", 'import type { Scheduler } from "../core/scheduler.js";\nexport type S = Scheduler;\n'],
    shellImportsEverything: ["electron/main", 'import type { Engine } from "../core/engine.js";\nimport { runDaemon } from "../daemon/daemon.js";\nexport type E = Engine;\nexport const start = runDaemon;\n'],
  } as const;
  const messages = new Map<string, string>();

  beforeAll(() => {
    const files = Object.entries(probes).map(([name, [folder, source]]) => {
      const file = path.join(root, folder, `__layer_probe_${name}__.ts`);
      fs.writeFileSync(file, source);
      return file;
    });
    let output: string;
    try {
      output = execFileSync(path.join(root, "node_modules", ".bin", "eslint"), ["--format", "json", ...files], { cwd: root, encoding: "utf8" });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    } finally {
      for (const file of files) fs.rmSync(file, { force: true });
    }
    for (const result of JSON.parse(output) as { filePath: string; messages: { message: string }[] }[]) {
      const name = /__layer_probe_(\w+)__/.exec(result.filePath)![1]!;
      messages.set(name, result.messages.map((message) => message.message).join("\n"));
    }
  }, 60_000);

  it("refuses the engine importing the daemon", () => {
    expect(messages.get("coreImportsDaemon")).toMatch(/electron\/core \(the engine\) imports only electron\/shared/);
  });

  it("refuses the daemon importing the Electron shell", () => {
    expect(messages.get("daemonImportsShell")).toMatch(/electron\/daemon imports electron\/core and electron\/shared only/);
  });

  it("refuses the renderer importing the engine, even for a type", () => {
    expect(messages.get("rendererImportsEngineType")).toMatch(/the renderer imports only electron\/shared/);
  });

  it("refuses the shared contract importing Node or the engine", () => {
    expect(messages.get("sharedImportsNode")).toMatch(/no Node built-ins/);
    expect(messages.get("sharedImportsEngineType")).toMatch(/electron\/shared is the contract/);
  });

  it("lets the shell import every layer below it", () => {
    expect(messages.get("shellImportsEverything")).toBe("");
  });
});
