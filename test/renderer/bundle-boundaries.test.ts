// @vitest-environment jsdom
import { describe, expect, it } from "vitest";

// The renderer's sources as text, read through Vite (no Node API in renderer-typed code).
const sources = import.meta.glob<string>(["../../renderer/src/**/*.ts", "../../renderer/src/**/*.svelte"], {
  query: "?raw",
  import: "default",
  eager: true,
});

function filesMatching(pattern: RegExp): string[] {
  return Object.entries(sources)
    .filter(([, text]) => pattern.test(text))
    .map(([file]) => file);
}

describe("what the renderer bundles", () => {
  it("reads every source file", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    expect(Object.keys(sources)).toContain("../../renderer/src/lib/api.ts");
  });

  it("imports the shared schemas for types only, so zod (and its eval probe, which the CSP refuses) stays out", () => {
    expect(filesMatching(/^\s*import\s+(?!type\b)[^;]*from\s+"[./]*electron\/shared\/schemas\.js"/m)).toEqual([]);
  });

  it("never reaches Node or Electron modules", () => {
    expect(filesMatching(/from\s+"(node:[^"]+|electron|fs|path|child_process)"/)).toEqual([]);
  });
});
