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

/**
 * Where folded text came from, as segments in folded order. An identity segment maps its
 * units one for one onto the original (each unit unchanged, or folded from exactly one
 * unit); a folded segment is one original code point (`[originalStart, originalEnd)`)
 * that became several units, or none.
 */
export interface FoldMap {
  /** Folded offset where each segment starts. */
  readonly foldedStarts: Int32Array;
  /** Original offset where each segment starts. */
  readonly originalStarts: Int32Array;
  /** Original offset where each segment ends. */
  readonly originalEnds: Int32Array;
  /** 1 for identity segments, 0 for folded code points. */
  readonly identity: Uint8Array;
}

/** Folded text plus, when folding changed anything, the map back to original offsets. */
export interface NormalizedText {
  /** Text the scanner matches against. */
  readonly text: string;
  /** Segments mapping folded offsets to original ones; null when the text is unchanged. */
  readonly map: FoldMap | null;
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
const STABLE_CLASS = FOLD_STABLE_RANGES.map(([a, b]) => `${hex(a)}-${hex(b)}`).join("");
const OUTSIDE_STABLE = new RegExp(`[^\\x00-\\x7f${STABLE_CLASS}]`);
/**
 * The next unit that {@linkcode foldSlowly} must look at: outside ASCII, the fold-stable
 * ranges and the kana it also passes over. Searching natively skips the stable stretches of
 * mostly-ASCII prose several times faster than reading them unit by unit.
 */
const NEXT_UNSTABLE = new RegExp(`[^\\x00-\\x7f${STABLE_CLASS}\\u3041-\\u30f6]`, "g");
// Every Unicode default-ignorable code point: zero-width characters, bidi controls, word
// joiner and invisible operators, soft hyphen, combining grapheme joiner, Hangul fillers,
// variation selectors, Mongolian free variation selectors, tag characters and the BOM.
// Renderers draw none of them, so any one of them can sit inside a value unseen.
const INVISIBLE_SINGLE = /^\p{Default_Ignorable_Code_Point}$/u;

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
  if (!NON_ASCII.test(input) || !OUTSIDE_STABLE.test(input)) return { text: input, map: null };
  return foldSlowly(input);
}

/**
 * Whether folding may change the UTF-16 unit `code`: it is neither ASCII nor in
 * {@linkcode FOLD_STABLE_RANGES}. Text without such a unit is returned unchanged by
 * {@linkcode normalizeForScan}, which lets the scanner's keyword pass check for them on the
 * way instead of searching the text once more.
 *
 * @param code A UTF-16 code unit.
 * @returns True when the unit needs a closer look.
 *
 * @example
 * ```ts
 * import { mayFold } from "./normalize.ts";
 * if (mayFold(0x41) || mayFold(0xac00) || !mayFold(0xff47)) throw new Error("ranges");
 * ```
 */
export function mayFold(code: number): boolean {
  if (code < 0x80) return false;
  const table = mayFoldTable ??= buildMayFoldTable();
  return table[code] === 1;
}

/**
 * 1 for each UTF-16 unit {@linkcode mayFold} accepts. Building a scanner asks about every
 * unit, and searching the ranges for each one was the larger part of that start-up cost.
 */
let mayFoldTable: Uint8Array | null = null;

function buildMayFoldTable(): Uint8Array {
  const table = new Uint8Array(0x10000).fill(1, 0x80);
  for (const [from, to] of FOLD_STABLE_RANGES) table.fill(0, from, to + 1);
  return table;
}

/**
 * Whether folding leaves the single unit `code` as it is, so text holding it next to ASCII
 * and stable letters folds to itself.
 *
 * @param code A UTF-16 code unit that is not a surrogate.
 * @returns True when the unit folds to itself.
 *
 * @example
 * ```ts
 * import { foldsToItself } from "./normalize.ts";
 * if (!foldsToItself(0x30fc) || foldsToItself(0xff47) || foldsToItself(0x200b)) {
 *   throw new Error("folding");
 * }
 * ```
 */
export function foldsToItself(code: number): boolean {
  const ch = String.fromCharCode(code);
  return foldCodePoint(code, ch) === ch;
}

/** Folded forms of single code points seen so far (bounded), since NFKC per character is slow. */
const foldCache = new Map<number, string>();
const FOLD_CACHE_LIMIT = 4096;

function foldCodePoint(cp: number, ch: string): string {
  let folded = foldCache.get(cp);
  if (folded === undefined) {
    folded = INVISIBLE_SINGLE.test(ch) ? "" : ch.normalize("NFKC");
    if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear();
    foldCache.set(cp, folded);
  }
  return folded;
}

/**
 * Single BMP units by what they fold to, filled on first sight: the folded unit plus one
 * when folding gives exactly one unit (itself included), -1 when it gives none or several
 * (those come from the bounded cache). A table read is cheaper than a map lookup per
 * character, which counts when a whole page is full-width.
 */
let unitFolds: Int32Array | null = null;

function foldUnit(c: number): number {
  const table = unitFolds ??= new Int32Array(0x10000);
  let v = table[c];
  if (v === 0) {
    const folded = foldCodePoint(c, String.fromCharCode(c));
    v = folded.length === 1 ? folded.charCodeAt(0) + 1 : -1;
    table[c] = v;
  }
  return v;
}

/** Folded units waiting to become one string, so a page of them is not joined unit by unit. */
const runUnits = new Uint16Array(4096);
/**
 * The same units as bytes when all are ASCII (full-width Latin folds to ASCII): decoding
 * bytes is native and several times cheaper than passing the units as arguments.
 */
const runBytes = new Uint8Array(runUnits.length);
const asciiDecoder = new TextDecoder();
/** Shorter runs are joined from units: a decoder call has a fixed cost of its own. */
const DECODE_FROM = 256;
/** Unchanged gaps up to this long are copied into the run rather than sliced. */
const SHORT_GAP = 32;

/**
 * Copy unchanged stretches whole and fold only the code points that change, recording one
 * map segment per stretch or folded code point: cost stays a few nanoseconds per character
 * even when one full-width colon sends a megabyte of text here.
 */
function foldSlowly(input: string, unitByUnit = false): NormalizedText {
  const n = input.length;
  const pieces: string[] = [];
  const foldedStarts: number[] = [];
  const originalStarts: number[] = [];
  const originalEnds: number[] = [];
  const identity: number[] = [];
  let out = 0;
  // The open segment keeps offsets one for one: unchanged characters, and characters that
  // fold to exactly one unit (full-width ASCII, most compatibility forms), so a page of
  // full-width text is one segment rather than one per character. Its text is pieces of
  // the input from `copyFrom` and runs of folded units collected in `runUnits`.
  let segStart = 0;
  let copyFrom = 0;
  let run = 0;
  let runWide = false;
  const flushRun = () => {
    if (run > 0) {
      const units = runUnits.subarray(0, run);
      if (runWide || run < DECODE_FROM) {
        pieces.push(String.fromCharCode.apply(null, units as unknown as number[]));
      } else {
        runBytes.set(units);
        pieces.push(asciiDecoder.decode(runBytes.subarray(0, run)));
      }
      run = 0;
      runWide = false;
    }
  };
  const closeSegment = (to: number) => {
    if (to > copyFrom) pieces.push(input.slice(copyFrom, to));
    if (to > segStart) {
      foldedStarts.push(out);
      originalStarts.push(segStart);
      originalEnds.push(to);
      identity.push(1);
      out += to - segStart;
    }
  };
  let changed = false;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c < 0x80 || isFoldStable(c)) {
      i++;
      if (unitByUnit || i === n) continue;
      // One unit at a time costs less than a search when stable stretches are short (a
      // space between full-width words); the search pays off from the second stable unit.
      const d = input.charCodeAt(i);
      if (d >= 0x80 && !isFoldStable(d)) continue;
      NEXT_UNSTABLE.lastIndex = i;
      i = NEXT_UNSTABLE.test(input) ? NEXT_UNSTABLE.lastIndex - 1 : n;
      continue;
    }
    let width = 1;
    let folded: string;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const low = input.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) width = 2;
    }
    if (width === 1) {
      const v = foldUnit(c);
      if (v === c + 1) {
        i++;
        continue;
      }
      changed = true;
      if (v > 0) {
        if (i > copyFrom) {
          // A short unchanged gap (a space between full-width words) joins the run.
          if (i - copyFrom <= SHORT_GAP) {
            if (run + (i - copyFrom) >= runUnits.length) flushRun();
            for (let k = copyFrom; k < i; k++) {
              const u = input.charCodeAt(k);
              if (u >= 0x80) runWide = true;
              runUnits[run++] = u;
            }
          } else {
            flushRun();
            pieces.push(input.slice(copyFrom, i));
          }
        }
        if (run === runUnits.length) flushRun();
        if (v > 0x80) runWide = true;
        runUnits[run++] = v - 1;
        i++;
        // A page of full-width text changes unit after unit: fold such a stretch in a tight
        // loop. It stops at anything the steps above handle otherwise, including units
        // whose fold is not in the table yet. `run` and `runWide` live in the closures'
        // context; locals keep the loop in registers.
        const folds = unitFolds!;
        let at: number = run;
        let wide: boolean = runWide;
        while (i < n && at < runUnits.length) {
          const next = input.charCodeAt(i);
          const w = folds[next];
          if (w <= 0 || w === next + 1) break;
          if (w > 0x80) wide = true;
          runUnits[at++] = w - 1;
          i++;
        }
        run = at;
        runWide = wide;
        copyFrom = i;
        continue;
      }
      folded = foldCodePoint(c, input[i]);
    } else {
      const ch = input.slice(i, i + 2);
      folded = foldCodePoint(input.codePointAt(i)!, ch);
      if (folded === ch) {
        i += 2;
        continue;
      }
      changed = true;
    }
    flushRun();
    closeSegment(i);
    if (folded.length > 0) {
      pieces.push(folded);
      foldedStarts.push(out);
      originalStarts.push(i);
      originalEnds.push(i + width);
      identity.push(0);
      out += folded.length;
    }
    i += width;
    segStart = i;
    copyFrom = i;
  }
  if (!changed) return { text: input, map: null };
  flushRun();
  closeSegment(n);
  return {
    text: pieces.join(""),
    map: {
      foldedStarts: Int32Array.from(foldedStarts),
      originalStarts: Int32Array.from(originalStarts),
      originalEnds: Int32Array.from(originalEnds),
      identity: Uint8Array.from(identity),
    },
  };
}

/**
 * {@linkcode normalizeForScan} without its shortcuts: every unit is read in turn rather than
 * searching past stable stretches. Tests hold the fast path to this one, result for result.
 *
 * @param input Original text.
 * @returns The folded text and offset maps, or the input and null maps when unchanged.
 *
 * @example
 * ```ts
 * import { normalizeUnitByUnit } from "./normalize.ts";
 * if (normalizeUnitByUnit("ａ b").text !== "a b") throw new Error("folding");
 * ```
 */
export function normalizeUnitByUnit(input: string): NormalizedText {
  return foldSlowly(input, true);
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
  const m = n.map;
  if (m === null) return [start, end];
  const first = segmentAt(m, start);
  const last = segmentAt(m, end - 1);
  const s = m.identity[first] === 1
    ? m.originalStarts[first] + (start - m.foldedStarts[first])
    : m.originalStarts[first];
  const e = m.identity[last] === 1
    ? m.originalStarts[last] + (end - m.foldedStarts[last])
    : m.originalEnds[last];
  return [s, e];
}

/** Index of the segment holding folded offset `at` (binary search). */
function segmentAt(m: FoldMap, at: number): number {
  let lo = 0;
  let hi = m.foldedStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m.foldedStarts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
