/**
 * Unicode folding before matching, with a map back to original offsets.
 *
 * Evasion tricks such as full-width letters (`ｇｈｐ＿…`), ligatures and zero-width or bidi
 * controls hidden inside a value are undone here: each code point is folded with NFKC and
 * invisible controls are dropped. The scanner matches on the folded text and reports
 * offsets in the original, so the caller replaces exactly what the user sent.
 *
 * @module
 */

/** Folded text plus, when folding changed anything, per-unit maps to original offsets. */
export interface NormalizedText {
  /** Text the scanner matches against. */
  readonly text: string;
  /** `starts[i]` is the original offset where folded unit `i` came from; null when identical. */
  readonly starts: Int32Array | null;
  /** `ends[i]` is the original offset just after the code point that produced unit `i`. */
  readonly ends: Int32Array | null;
}

// deno-lint-ignore no-control-regex -- the ASCII range includes control characters
const NON_ASCII = /[^\x00-\x7f]/;
// Letters that NFKC leaves alone, alone and in any sequence (none of them composes with
// another), and that include no invisible controls: Latin-1 letters, Greek, Cyrillic,
// Hebrew and Arabic letters, Hangul syllables, kana and CJK ideographs. Text made only of
// these and ASCII needs no folding, so most prose in those languages skips NFKC entirely.
// A test checks every listed code point.
export const FOLD_STABLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00c0, 0x00ff],
  [0x0386, 0x0386],
  [0x0388, 0x03ce],
  [0x0400, 0x0482],
  [0x048a, 0x04ff],
  [0x05d0, 0x05ea],
  [0x0621, 0x064a],
  [0x3041, 0x3096],
  [0x30a1, 0x30fa],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
];
const hex = (c: number) => "\\u" + c.toString(16).padStart(4, "0");
const OUTSIDE_STABLE = new RegExp(
  `[^\\x00-\\x7f${FOLD_STABLE_RANGES.map(([a, b]) => `${hex(a)}-${hex(b)}`).join("")}]`,
);
// Zero-width characters, bidi embeddings/overrides/isolates, word joiner and invisible
// operators, soft hyphen, Mongolian vowel separator and the BOM.
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;
const INVISIBLE_SINGLE =
  /^[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]$/;

/**
 * Fold `input` for matching.
 *
 * ASCII input and input that NFKC leaves unchanged and holds no invisible controls take a
 * fast path and are returned as is, with null maps.
 *
 * @param input Original text.
 * @returns The folded text and offset maps.
 *
 * @example
 * ```ts
 * import { normalizeForScan, toOriginalSpan } from "./normalize.ts";
 * const n = normalizeForScan("key: ｇｈｐ\u200b_x");
 * if (n.text !== "key: ghp_x") throw new Error(n.text);
 * const [s, e] = toOriginalSpan(n, 5, 10);
 * if (s !== 5 || e !== 11) throw new Error(`${s},${e}`);
 * ```
 */
export function normalizeForScan(input: string): NormalizedText {
  if (!NON_ASCII.test(input) || !OUTSIDE_STABLE.test(input)) {
    return { text: input, starts: null, ends: null };
  }
  if (!INVISIBLE.test(input) && input.normalize("NFKC") === input) {
    return { text: input, starts: null, ends: null };
  }
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < input.length) {
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = width === 2 ? input.slice(i, i + 2) : input[i];
    if (cp < 0x80) {
      out.push(ch);
      starts.push(i);
      ends.push(i + 1);
    } else if (!INVISIBLE_SINGLE.test(ch)) {
      const folded = isFoldStable(cp) ? ch : ch.normalize("NFKC");
      for (let k = 0; k < folded.length; k++) {
        out.push(folded[k]);
        starts.push(i);
        ends.push(i + width);
      }
    }
    i += width;
  }
  return { text: out.join(""), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** Hangul syllables and CJK ideographs fold to themselves; skipping them keeps Korean and Japanese prose fast. */
function isFoldStable(cp: number): boolean {
  return (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3041 && cp <= 0x30f6);
}

/**
 * Map a span `[start, end)` of the folded text back to the original text.
 *
 * @param n Result of {@linkcode normalizeForScan}.
 * @param start Folded start offset.
 * @param end Folded end offset (exclusive, greater than `start`).
 * @returns `[originalStart, originalEnd)`.
 *
 * @example
 * ```ts
 * import { normalizeForScan, toOriginalSpan } from "./normalize.ts";
 * const n = normalizeForScan("abc");
 * const [s, e] = toOriginalSpan(n, 1, 2);
 * if (s !== 1 || e !== 2) throw new Error("identity map expected");
 * ```
 */
export function toOriginalSpan(n: NormalizedText, start: number, end: number): [number, number] {
  if (n.starts === null || n.ends === null) return [start, end];
  return [n.starts[start], n.ends[end - 1]];
}
