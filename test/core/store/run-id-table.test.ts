import { describe, expect, it } from "vitest";
import { RunIdTable } from "../../../electron/core/store/run-id-table.js";

/** A table checked against a Map at every step: what a run's id finds must never drift. */
class Checked {
  readonly table = new RunIdTable();
  readonly expected = new Map<string, number>();
  #rows = 0;
  #free: number[] = [];

  add(id: string): number {
    let row = this.#free.pop();
    if (row === undefined) {
      row = this.#rows++;
      this.table.reserve(this.#rows);
    }
    this.table.add(row, id);
    this.expected.set(id, row);
    return row;
  }

  remove(id: string): void {
    const row = this.expected.get(id) as number;
    this.table.remove(row);
    this.expected.delete(id);
    this.#free.push(row);
  }

  verify(absent: string[] = []): void {
    expect(this.table.size).toBe(this.expected.size);
    for (const [id, row] of this.expected) {
      expect(this.table.rowOf(id)).toBe(row);
      expect(this.table.idOf(row)).toBe(id);
    }
    for (const id of absent) expect(this.table.rowOf(id)).toBe(-1);
  }
}

const runId = (index: number) => `r_${(1_700_000_000_000 + index * 30_000).toString(36)}_${(index % 65536).toString(16).padStart(4, "0")}`;

describe("RunIdTable", () => {
  it("finds every id's row and every row's id through 20,000 adds, removals and reused rows", () => {
    const checked = new Checked();
    const ids = Array.from({ length: 20_000 }, (_, index) => runId(index));
    for (const id of ids.slice(0, 12_000)) checked.add(id);
    // Every third removed (probe chains are cut in the middle), then new ids take the freed rows.
    const removed = ids.slice(0, 12_000).filter((_, index) => index % 3 === 0);
    for (const id of removed) checked.remove(id);
    checked.verify(removed);
    for (const id of ids.slice(12_000)) checked.add(id);
    checked.verify(removed);
  });

  it("keeps its ids right when pruning removes most of them and their bytes are packed again", () => {
    const checked = new Checked();
    const ids = Array.from({ length: 30_000 }, (_, index) => runId(index));
    for (const id of ids) checked.add(id);
    const removed = ids.slice(0, 25_000);
    for (const id of removed) checked.remove(id);
    for (let index = 30_000; index < 40_000; index += 1) checked.add(runId(index));
    checked.verify(removed);
  });

  it("tells apart ids that differ only beyond Latin-1, lone surrogates included", () => {
    const checked = new Checked();
    const ids = ["run-é", "run-\u0159", "run-\u0158", "\ud800", "\ud801", "\udc00x", "日本語の実行", "r_emoji_\u{1f600}"];
    for (const id of ids) checked.add(id);
    checked.verify(["run-e", "\ufffd", "r_emoji_"]);
  });

  it("holds an empty id and an id longer than a page of characters", () => {
    const checked = new Checked();
    const long = "x".repeat(200_000);
    const wide = "\u4e00".repeat(70_000);
    for (const id of ["", long, wide, "after"]) checked.add(id);
    checked.verify([long.slice(1), `${wide}!`]);
    checked.remove("");
    checked.verify([""]);
  });
});
