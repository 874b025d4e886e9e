import { describe, expect, test } from "vitest";
import { escapeForTerminal, formatWallTime, renderTable, terminalSafeJson } from "../../../electron/daemon/cli/format.js";

describe("times for people", () => {
  test("wall times are shown in the requested zone, with its offset on request", () => {
    const date = new Date("2026-11-25T15:00:00Z");
    expect(formatWallTime(date, "Europe/Berlin")).toBe("Wed 2026-11-25 16:00:00");
    expect(formatWallTime(date, "America/St_Johns", true)).toBe("Wed 2026-11-25 11:30:00 -03:30");
  });

  test("tables pad every column but the last", () => {
    expect(renderTable(["A", "BB", "C"], [["xyz", "1", "last one"]])).toBe("A    BB  C\nxyz  1   last one");
  });
});

describe("text that cannot steer a terminal", () => {
  test("controls, DEL, C1 and bidi characters become visible escapes; other text is untouched", () => {
    expect(escapeForTerminal("a\x1b[2Jb\u202ec\u2066d\x7f\x9b\x00\r")).toBe("a\\x1b[2Jb\\u202ec\\u2066d\\x7f\\x9b\\x00\\r");
    expect(escapeForTerminal("été 🌞 日本 C:\\x")).toBe("été 🌞 日本 C:\\x");
  });

  test("a field escapes newlines and tabs; lines keep them", () => {
    expect(escapeForTerminal("one\ntwo\tx")).toBe("one\\ntwo\\tx");
    expect(escapeForTerminal("one\ntwo\tx\x1b", "lines")).toBe("one\ntwo\tx\\x1b");
  });

  test("a table cell cannot add a row", () => {
    expect(renderTable(["NAME", "X"], [["a\nb", "1"]])).toBe("NAME  X\na\\nb  1");
  });

  test("JSON keeps its values and shows bidi and C1 controls as \\u escapes", () => {
    const value = { name: "x\u202ey\x9bz\x1b" };
    const json = terminalSafeJson(JSON.stringify(value));
    expect(json).toBe('{"name":"x\\u202ey\\u009bz\\u001b"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});
