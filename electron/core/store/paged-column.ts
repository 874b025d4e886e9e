/**
 * One number per row of the run index, in fixed-size pages of a typed array. Pages never
 * move: a column that doubled by copying left its old arrays (external memory, 100,000 runs:
 * ~8 MB of them) to be freed only by a full GC, which a quietly running daemon may not see
 * for hours; and it kept up to half its size as slack. A page is allocated when its first
 * row is, and it is zero-filled like a fresh typed array.
 */
const PAGE_BITS = 12;
const PAGE_ROWS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_ROWS - 1;

type TypedArray = Float64Array | Uint32Array | Int32Array | Uint8Array;

export class PagedColumn<T extends TypedArray> {
  readonly #pages: T[] = [];

  constructor(private readonly makePage: (rows: number) => T) {}

  get(row: number): number {
    return (this.#pages[row >>> PAGE_BITS] as T)[row & PAGE_MASK] as number;
  }

  set(row: number, value: number): void {
    (this.#pages[row >>> PAGE_BITS] as T)[row & PAGE_MASK] = value;
  }

  /** Makes rows below `rows` usable (the index allocates rows in order). */
  reserve(rows: number): void {
    while (this.#pages.length * PAGE_ROWS < rows) this.#pages.push(this.makePage(PAGE_ROWS));
  }

  /** Drops every page: an emptied index gives its memory back. */
  clear(): void {
    this.#pages.length = 0;
  }
}

/** Rows a column holds room for at a time: the index grows every column by this much. */
export const COLUMN_PAGE_ROWS = PAGE_ROWS;
