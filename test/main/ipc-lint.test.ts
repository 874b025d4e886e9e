import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const probe = path.join(root, "test", "main", "__ipc_probe__.ts");

afterAll(() => fs.rmSync(probe, { force: true }));

function lint(files: string[]): { code: number; output: string } {
  try {
    const output = execFileSync(path.join(root, "node_modules", ".bin", "eslint"), files, { cwd: root, encoding: "utf8" });
    return { code: 0, output };
  } catch (error) {
    const failure = error as { status: number; stdout: string };
    return { code: failure.status, output: failure.stdout };
  }
}

describe("raw IPC's boundary", () => {
  it("lint rejects ipcMain and ipcRenderer outside their one file each", () => {
    fs.writeFileSync(probe, 'import { ipcMain, ipcRenderer } from "electron";\nexport const both = [ipcMain, ipcRenderer];\n');
    const result = lint([probe]);
    expect(result.code).not.toBe(0);
    expect(result.output.match(/Only electron\/main\/ipc-main\.ts may use ipcMain/g)).toHaveLength(2);
  });

  it("lint accepts them in electron/main/ipc-main.ts and electron/preload/index.ts", () => {
    const result = lint(["electron/main/ipc-main.ts", "electron/preload/index.ts"]);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });
});
