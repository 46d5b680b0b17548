/**
 * Shannon entropy, used to tell random-looking secrets from ordinary words.
 *
 * @module
 */

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
  if (value.length === 0) return 0;
  // Secrets are almost always ASCII: count in a small table, falling back to a map.
  const ascii = new Uint32Array(128);
  let other: Map<number, number> | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) ascii[c]++;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let bits = 0;
  const add = (count: number) => {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  };
  for (let c = 0; c < 128; c++) if (ascii[c] !== 0) add(ascii[c]);
  if (other !== null) { for (const count of other.values()) add(count); }
  return bits;
}
