/**
 * A bounded map of recently used entries for the vault's in-process caches.
 *
 * A `Map` used as an LRU (delete, re-insert, evict the first key) degrades under churn:
 * V8 leaves deleted slots in place until it rehashes, and finding the first live key walks
 * past them, so a stream of new values paid more per entry the longer it ran. Two
 * generations instead: new entries go to the young map; when it is full it becomes the
 * old map and the previous old one is dropped whole; a hit in the old map moves the entry
 * back to the young one. Every operation is O(1) and at most `capacity` entries are held.
 *
 * @module
 */

/** Recently used entries, at most `capacity` of them. */
export class RecentMap<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  #half: number;

  /** A map of at most `capacity` entries (at least 2). */
  constructor(capacity: number) {
    this.#half = Math.max(1, Math.floor(capacity / 2));
  }

  /** The value for `key`, marking it recently used. */
  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old === undefined) return undefined;
    this.#old.delete(key);
    this.#put(key, old);
    return old;
  }

  /** Remember `value` for `key`. */
  set(key: K, value: V): void {
    this.#old.delete(key);
    this.#put(key, value);
  }

  /** Forget `key`. */
  delete(key: K): void {
    this.#young.delete(key);
    this.#old.delete(key);
  }

  /** Entries held now. */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #put(key: K, value: V): void {
    this.#young.set(key, value);
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
  }
}
