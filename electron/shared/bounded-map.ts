/**
 * A Map that holds at most `limit` entries: adding one more drops the oldest. For caches
 * keyed by what callers send (zone names, expressions), which must not grow without end
 * whatever arrives (issue 10, item 11).
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  values(): IterableIterator<V> {
    return this.#entries.values();
  }

  set(key: K, value: V): this {
    if (!this.#entries.has(key) && this.#entries.size >= this.limit) {
      // Insertion order: the first key is the oldest.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
    return this;
  }

  /** The cached value for `key`, computed by `make` (and cached) when there is none. */
  getOrSet(key: K, make: () => V): V {
    if (this.#entries.has(key)) return this.#entries.get(key)!;
    const value = make();
    this.set(key, value);
    return value;
  }
}
