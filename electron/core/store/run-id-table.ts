/**
 * The run index's ids: which row holds a run id, and a row's id. Kept as characters in
 * pages of bytes with an open-addressing hash of rows, not as strings in a Map (issue 12):
 * 100,000 id strings and their Map slots were ~8 MB of small heap objects, every one of them
 * surviving the young-generation collections of the start-up replay, which is what grew
 * V8's young generation to its largest (~30 MB resident once used). Here a run costs no
 * heap object at all; a row's id is made into a string only when asked for.
 *
 * An id whose characters are all below U+0100 (every id the engine makes) takes a byte per
 * character; any other takes two (its UTF-16 code units), so every JavaScript string, lone
 * surrogates included, is kept exactly: two different ids are never confused.
 */
import { PagedColumn } from "./paged-column.js";

/** Bytes per page of characters; an id never spans two pages (a longer id gets a page of its own). */
const PAGE_SHIFT = 16;
const PAGE_BYTES = 1 << PAGE_SHIFT;
const OFFSET_MASK = PAGE_BYTES - 1;
/** Slots of an empty table; it is kept at most half full. */
const MIN_SLOTS = 1024;

const FNV_OFFSET = 0x811c9dc5;

/** One step of FNV-1a over a UTF-16 code unit: ids are hashed the same from a string or from their stored bytes. */
function fnvStep(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x01000193);
}

function fnv1a(id: string): number {
  let hash = FNV_OFFSET;
  for (let index = 0; index < id.length; index += 1) hash = fnvStep(hash, id.charCodeAt(index));
  return hash >>> 0;
}

/** A row's shape: its length in code units and how wide each is stored; 0 is "no id" (an empty id is 2). */
function shapeOf(units: number, narrow: boolean): number {
  return 2 + units * 2 + (narrow ? 0 : 1);
}

function unitsOf(shape: number): number {
  return (shape - 2) >>> 1;
}

function isWide(shape: number): boolean {
  return (shape & 1) === 1;
}

function bytesOf(shape: number): number {
  return isWide(shape) ? unitsOf(shape) * 2 : unitsOf(shape);
}

/** Whether `home` lies cyclically in (from, to]: a probe starting there passes `to` only after `from`. */
function cyclicallyBetween(from: number, home: number, to: number): boolean {
  return from <= to ? from < home && home <= to : from < home || home <= to;
}

function isNarrow(id: string): boolean {
  for (let index = 0; index < id.length; index += 1) if (id.charCodeAt(index) > 0xff) return false;
  return true;
}

export class RunIdTable {
  /** Where the row's characters start: page × PAGE_BYTES + offset (read back with >>> and &). */
  readonly #start = new PagedColumn((rows) => new Uint32Array(rows));
  /** See `shapeOf`; 0: the row has no id. */
  readonly #shape = new PagedColumn((rows) => new Uint32Array(rows));
  #pages: Buffer[] = [];
  /** Bytes used in the last page. */
  #tail = 0;
  /** Bytes held by ids since removed: the pages are repacked once they are most of it. */
  #deadBytes = 0;
  #liveBytes = 0;
  /** Row + 1 in each slot; 0: empty. Linear probing, removal by backward shift (no tombstones). */
  #slots = new Int32Array(MIN_SLOTS);
  #count = 0;

  get size(): number {
    return this.#count;
  }

  /** Makes rows below `rows` usable. */
  reserve(rows: number): void {
    this.#start.reserve(rows);
    this.#shape.reserve(rows);
  }

  clear(): void {
    this.#start.clear();
    this.#shape.clear();
    this.#pages = [];
    this.#tail = 0;
    this.#deadBytes = 0;
    this.#liveBytes = 0;
    this.#slots = new Int32Array(MIN_SLOTS);
    this.#count = 0;
  }

  /** The row holding `id`, or -1. */
  rowOf(id: string): number {
    const hash = fnv1a(id);
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const row = (this.#slots[slot] as number) - 1;
      if (row < 0) return -1;
      if (this.#holds(row, id)) return row;
    }
  }

  /** Whether the row has an id (is in use). */
  hasRow(row: number): boolean {
    return this.#shape.get(row) !== 0;
  }

  /** The row's id, or undefined when it has none. */
  idOf(row: number): string | undefined {
    const shape = this.#shape.get(row);
    if (shape === 0) return undefined;
    const start = this.#start.get(row);
    const offset = start & OFFSET_MASK;
    return this.#pageAt(start).toString(isWide(shape) ? "utf16le" : "latin1", offset, offset + bytesOf(shape));
  }

  /** Gives `row` (which has no id) the id `id` (which no row has). */
  add(row: number, id: string): void {
    this.#store(row, id);
    if ((this.#count + 1) * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
    this.#insertSlot(row, fnv1a(id));
    this.#count += 1;
  }

  /** Takes the row's id away (the row may be given another). */
  remove(row: number): void {
    const shape = this.#shape.get(row);
    if (shape === 0) return;
    this.#removeSlot(row);
    this.#shape.set(row, 0);
    this.#count -= 1;
    const bytes = bytesOf(shape);
    this.#liveBytes -= bytes;
    this.#deadBytes += bytes;
  }

  // ---------------------------------------------------------------- characters

  #holds(row: number, id: string): boolean {
    const shape = this.#shape.get(row);
    if (unitsOf(shape) !== id.length) return false;
    const start = this.#start.get(row);
    const page = this.#pageAt(start);
    const offset = start & OFFSET_MASK;
    if (isWide(shape)) {
      for (let index = 0; index < id.length; index += 1) {
        if (page.readUInt16LE(offset + index * 2) !== id.charCodeAt(index)) return false;
      }
    } else {
      for (let index = 0; index < id.length; index += 1) if (page[offset + index] !== id.charCodeAt(index)) return false;
    }
    return true;
  }

  #store(row: number, id: string): void {
    const narrow = isNarrow(id);
    const bytes = narrow ? id.length : id.length * 2;
    if (this.#deadBytes > PAGE_BYTES && this.#deadBytes > this.#liveBytes) this.#repack();
    const start = this.#place(bytes);
    this.#pageAt(start).write(id, start & OFFSET_MASK, bytes, narrow ? "latin1" : "utf16le");
    this.#start.set(row, start);
    this.#shape.set(row, shapeOf(id.length, narrow));
    this.#liveBytes += bytes;
  }

  /** Room for `bytes` more: at the end of the last page, or in a new one. */
  #place(bytes: number): number {
    if (this.#pages.length === 0 || this.#tail + bytes > PAGE_BYTES) {
      this.#pages.push(Buffer.alloc(Math.max(PAGE_BYTES, bytes)));
      this.#tail = 0;
    }
    const start = (this.#pages.length - 1) * PAGE_BYTES + this.#tail;
    this.#tail += bytes;
    if (this.#tail > PAGE_BYTES) this.#tail = PAGE_BYTES; // a page of its own: nothing more fits in it
    return start;
  }

  /** Copies the live ids into fresh pages, leaving out those of removed rows. */
  #repack(): void {
    const old = this.#pages;
    this.#pages = [];
    this.#tail = 0;
    this.#deadBytes = 0;
    for (let slot = 0; slot < this.#slots.length; slot += 1) {
      const row = (this.#slots[slot] as number) - 1;
      if (row < 0) continue;
      const bytes = bytesOf(this.#shape.get(row));
      const from = this.#start.get(row);
      const start = this.#place(bytes);
      const source = old[from >>> PAGE_SHIFT] as Buffer;
      source.copy(this.#pageAt(start), start & OFFSET_MASK, from & OFFSET_MASK, (from & OFFSET_MASK) + bytes);
      this.#start.set(row, start);
    }
  }

  // ---------------------------------------------------------------- hash slots

  #insertSlot(row: number, hash: number): void {
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = row + 1;
  }

  /** Linear probing's removal: later entries of the run move back so no lookup stops short. */
  #removeSlot(row: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let hole = this.#hashOfRow(row) & mask;
    while (slots[hole] !== row + 1) hole = (hole + 1) & mask;
    for (let next = (hole + 1) & mask; slots[next] !== 0; next = (next + 1) & mask) {
      const home = this.#hashOfRow((slots[next] as number) - 1) & mask;
      // An entry whose probe starts after the hole would not be found from there: it stays.
      if (!cyclicallyBetween(hole, home, next)) {
        slots[hole] = slots[next] as number;
        hole = next;
      }
    }
    slots[hole] = 0;
  }

  /** `fnv1a` of the row's id, from its stored characters (not kept: 4 bytes a run saved). */
  #hashOfRow(row: number): number {
    const shape = this.#shape.get(row);
    const start = this.#start.get(row);
    const page = this.#pageAt(start);
    const offset = start & OFFSET_MASK;
    let hash = FNV_OFFSET;
    for (let index = 0; index < unitsOf(shape); index += 1) {
      hash = fnvStep(hash, isWide(shape) ? page.readUInt16LE(offset + index * 2) : (page[offset + index] as number));
    }
    return hash >>> 0;
  }

  #pageAt(start: number): Buffer {
    return this.#pages[start >>> PAGE_SHIFT] as Buffer;
  }

  #rehash(size: number): void {
    const old = this.#slots;
    this.#slots = new Int32Array(size);
    for (let slot = 0; slot < old.length; slot += 1) {
      const entry = old[slot] as number;
      if (entry !== 0) this.#insertSlot(entry - 1, this.#hashOfRow(entry - 1));
    }
  }
}
