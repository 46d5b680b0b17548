/**
 * A small seeded pseudo-random generator for the synthetic corpus.
 *
 * mulberry32 is enough here: the corpus needs reproducibility and spread, not
 * cryptographic strength. Each finding type draws from its own stream (see
 * {@linkcode Rng.fork}), so adding a type or a template to one generator does not shift
 * every other type's samples.
 *
 * @module
 */

/** Digits, for convenience. */
export const DIGITS = "0123456789";
/** Uppercase ASCII letters. */
export const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Lowercase ASCII letters. */
export const LOWER = "abcdefghijklmnopqrstuvwxyz";
/** Base62 alphabet (digits, upper, lower). */
export const BASE62 = DIGITS + UPPER + LOWER;
/** Lowercase hex digits. */
export const HEX = "0123456789abcdef";
/** The base64 alphabet without padding. */
export const B64 = UPPER + LOWER + DIGITS + "+/";
/** The base64url alphabet. */
export const B64URL = UPPER + LOWER + DIGITS + "-_";

/** FNV-1a over a string, used to derive per-label seeds. */
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A deterministic random stream.
 *
 * @example
 * ```ts
 * import { Rng } from "./rng.ts";
 * const a = new Rng(7).digits(12);
 * const b = new Rng(7).digits(12);
 * if (a !== b || a.length !== 12) throw new Error("same seed must give the same digits");
 * ```
 */
export class Rng {
  #state: number;

  /** @param seed Any 32-bit integer. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /**
   * An independent stream named `label`, derived from this stream's current seed.
   *
   * @param label Stream name, e.g. a finding type.
   * @returns A new generator; this one is not advanced.
   */
  fork(label: string): Rng {
    return new Rng(fnv1a(label, this.#state));
  }

  /** @returns A float in [0, 1). */
  next(): number {
    // mulberry32
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * @param lo Smallest value.
   * @param hi Largest value (inclusive).
   * @returns An integer in [lo, hi].
   */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** @returns True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** @returns One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** @returns `n` characters drawn from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** @returns `n` decimal digits (leading zeros allowed). */
  digits(n: number): string {
    return this.chars(DIGITS, n);
  }

  /** @returns `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}
