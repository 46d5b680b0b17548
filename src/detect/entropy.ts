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
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
