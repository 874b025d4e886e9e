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

/** Cell values of a DifferenceColumn that are not a difference. */
const KEPT_APART = -0x80000000;
const NOT_A_NUMBER = -0x7fffffff;

/**
 * One number per row kept exactly, as a 32-bit difference from a reference the caller passes
 * (the row's sort time: an end or a slot is milliseconds from it; 0 for a plain integer). A
 * value whose difference is not an integer that fits, and comes back as the same number, is
 * kept apart in a Map: rare (a run that lasted more than 24 days, a hand-edited file), and
 * never approximated. Half the memory of a Float64Array column.
 */
export class DifferenceColumn {
  readonly #cells = new PagedColumn((rows) => new Int32Array(rows));
  readonly #apart = new Map<number, number>();

  get(row: number, reference: number): number {
    const cell = this.#cells.get(row);
    if (cell === NOT_A_NUMBER) return NaN;
    return cell === KEPT_APART ? (this.#apart.get(row) as number) : reference + cell;
  }

  set(row: number, given: number, reference: number): void {
    const value = Number(given); // as a Float64Array would store it (a hand-edited file may hold a string)
    const difference = value - reference;
    let cell: number;
    if (Number.isNaN(value)) cell = NOT_A_NUMBER;
    else if (Number.isInteger(difference) && difference > NOT_A_NUMBER && difference <= 0x7fffffff && reference + difference === value) cell = difference;
    else cell = KEPT_APART;
    this.#cells.set(row, cell);
    if (cell === KEPT_APART) this.#apart.set(row, value);
    else this.#apart.delete(row);
  }

  reserve(rows: number): void {
    this.#cells.reserve(rows);
  }

  clear(): void {
    this.#cells.clear();
    this.#apart.clear();
  }
}
