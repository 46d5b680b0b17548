/**
 * Shannon entropy, used to tell random-looking secrets from ordinary words.
 *
 * @module
 */

// One counting table for every call: allocating a fresh one per candidate value cost more
// than counting. Entries are reset as they are read, so the table is all zeros between calls.
const asciiCounts = new Int32Array(128);

/**
 * Bits of entropy per character of `value`.
 *
 * @param value Text to measure.
 * @returns Entropy in bits per character; 0 for the empty string.
 *
 * @example
 * ```ts
 * import { shannonEntropy } from "./entropy.ts";
 * if (shannonEntropy("aaaa") !== 0) throw new Error("uniform text has no entropy");
 * if (shannonEntropy("ab") !== 1) throw new Error("two symbols carry one bit");
 * ```
 */
export function shannonEntropy(value: string): number {
  const n = value.length;
  if (n === 0) return 0;
  // Secrets are almost always ASCII: count in a small table, falling back to a map.
  let other: Map<number, number> | null = null;
  let lo = 128;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) {
      asciiCounts[c]++;
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    } else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let bits = 0;
  for (let c = lo; c <= hi; c++) {
    const count = asciiCounts[c];
    if (count !== 0) {
      asciiCounts[c] = 0;
      const p = count / n;
      bits -= p * Math.log2(p);
    }
  }
  if (other !== null) {
    for (const count of other.values()) {
      const p = count / n;
      bits -= p * Math.log2(p);
    }
  }
  return bits;
}
