/**
 * The text one scan pass reads, with what its windows need computed once and shared by the
 * rules: window edges widened to word boundaries, and lowercase copies for prefilters.
 *
 * @module
 */

/** How far a window may widen to reach a word boundary. */
export const BOUNDARY_SLACK = 128;

/** The text one scan pass reads, with its lowercase form made on first use. */
export class ScanText {
  readonly text: string;
  /** Lowercased blocks of the text by index; null where lowercasing changed the length. */
  #lower: (string | null | undefined)[] = [];

  /**
   * One bit per unit, set for word characters, filled 32 units at a time on first use.
   * A widening walks a few units and turns to these bits only when it has not met a
   * boundary yet, and only once the text has shown many such long walks: in a long run of
   * word characters (base64, a repeated token) every rule a trigger wakes widens its window
   * by the full slack on both sides, and reading 32 units per step keeps that from costing
   * a step per unit, while a chat message with a few long tokens is cheaper walked.
   */
  #wordBits: Int32Array | null = null;
  #wordFilled: Uint8Array | null = null;
  #longWalks = 0;
  #dottedI: boolean | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /**
   * Whether the text holds U+0130, the one unit whose lowercase is two units: prefilters
   * then read the lowercased text, since their cased form no longer lines up with it.
   */
  hasDottedCapitalI(): boolean {
    return this.#dottedI ??= this.text.includes("\u0130");
  }

  /** `at` moved back over word characters (at most {@linkcode BOUNDARY_SLACK}). */
  wordStart(at: number): number {
    const text = this.text;
    const floor = Math.max(0, at - BOUNDARY_SLACK);
    let s = at;
    // Once the bits are in use, they find the edge from the start.
    if (this.#longWalks <= LONG_WALKS_BEFORE_BITS) {
      const near = Math.max(floor, at - SHORT_WALK);
      while (s > near && isWordish(text.charCodeAt(s - 1))) s--;
      if (s > near || s === floor) return s;
      if (++this.#longWalks <= LONG_WALKS_BEFORE_BITS) {
        while (s > floor && isWordish(text.charCodeAt(s - 1))) s--;
        return s;
      }
    }
    // Find the last non-word unit before `s`, 32 units at a time; the run starts after it.
    let p = s - 1;
    while (p >= floor) {
      const bits = this.#wordBitsAt(p);
      const others = ~bits << (31 - (p & 31));
      if (others !== 0) return Math.max(floor, p - Math.clz32(others) + 1);
      p = (p & ~31) - 1;
    }
    return floor;
  }

  /** `at` moved forward over word characters (at most {@linkcode BOUNDARY_SLACK}). */
  wordEnd(at: number): number {
    const text = this.text;
    const ceil = Math.min(text.length, at + BOUNDARY_SLACK);
    let e = at;
    if (this.#longWalks <= LONG_WALKS_BEFORE_BITS) {
      const near = Math.min(ceil, at + SHORT_WALK);
      while (e < near && isWordish(text.charCodeAt(e))) e++;
      if (e < near || e === ceil) return e;
      if (++this.#longWalks <= LONG_WALKS_BEFORE_BITS) {
        while (e < ceil && isWordish(text.charCodeAt(e))) e++;
        return e;
      }
    }
    // Find the first non-word unit from `e`, 32 units at a time (units past the end count).
    while (e < ceil) {
      const others = ~this.#wordBitsAt(e) >>> (e & 31);
      if (others !== 0) return Math.min(ceil, e + 31 - Math.clz32(others & -others));
      e = (e | 31) + 1;
    }
    return ceil;
  }

  /** The word-character bits of the 32 units around `at` (bit `i` is unit `at & ~31 | i`). */
  #wordBitsAt(at: number): number {
    const n = (this.text.length >> 5) + 1;
    const filled = this.#wordFilled ??= new Uint8Array(n);
    const bits = this.#wordBits ??= new Int32Array(n);
    const w = at >> 5;
    if (filled[w] === 0) {
      filled[w] = 1;
      const text = this.text;
      const from = w << 5;
      const to = Math.min(text.length, from + 32);
      let word = 0;
      // A table read per unit: in a long run of word characters every unit of the text is
      // filled, and the comparisons of isWordish cost more than the lookup.
      for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (c > 127 || WORDISH_ASCII[c] === 1) word |= 1 << (i & 31);
      }
      bits[w] = word;
    }
    return bits[w];
  }

  /**
   * `text.slice(from, to).toLowerCase()`, cut from lowercase copies of the text's blocks so
   * window prefilters do not each lowercase their own overlapping slice, while a long text
   * with few windows lowercases only the blocks they touch. A block's copy is used only when
   * lowercasing kept its length: only `İ` (U+0130) grows, and with it present offsets no
   * longer line up. Sigma and surrogate halves can still differ at a slice or block edge,
   * which is why callers pass `shared = false` for words that contain them.
   */
  lowerSlice(from: number, to: number, shared: boolean): string {
    const end = Math.min(to, this.text.length);
    if (!shared || end <= from) return this.text.slice(from, to).toLowerCase();
    const first = from >> LOWER_BLOCK_BITS;
    const last = (end - 1) >> LOWER_BLOCK_BITS;
    let out = "";
    for (let b = first; b <= last; b++) {
      const block = this.#block(b);
      if (block === null) return this.text.slice(from, to).toLowerCase();
      const base = b << LOWER_BLOCK_BITS;
      out += block.slice(Math.max(from, base) - base, Math.min(end, base + block.length) - base);
    }
    return out;
  }

  #block(b: number): string | null {
    let block = this.#lower[b];
    if (block === undefined) {
      const start = b << LOWER_BLOCK_BITS;
      const raw = this.text.slice(start, start + (1 << LOWER_BLOCK_BITS));
      const lower = raw.toLowerCase();
      block = lower.length === raw.length ? lower : null;
      this.#lower[b] = block;
    }
    return block;
  }
}

/** Units a widening walks one by one before it reads word-character bits. */
const SHORT_WALK = 24;
/** Long walks a text takes unit by unit before its word-character bits are used. */
const LONG_WALKS_BEFORE_BITS = 64;

/** Prefilters lowercase the text in blocks of 2^12 units, on first use. */
const LOWER_BLOCK_BITS = 12;

/** {@linkcode isWordish} for each ASCII unit, 1 for word characters. */
const WORDISH_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORDISH_ASCII[c] = isWordish(c) ? 1 : 0;

/**
 * Whether `c` is a word character for window widening: letters, digits, everything outside
 * ASCII, and the punctuation that sits inside tokens, URLs and assignments.
 *
 * @param c A UTF-16 unit.
 * @returns True when a window edge may not fall next to it.
 */
export function isWordish(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ||
    c === 45 || c === 43 || c === 47 || c === 61 || c === 46 || c === 58 || c === 64 ||
    c === 37 || c === 126 || c > 127;
}
