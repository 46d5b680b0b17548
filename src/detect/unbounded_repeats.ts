/**
 * Unbounded repeats (`*`, `+`, `{n,}`) in a pattern source: finding them, and capping them.
 *
 * Linear, as this project means it for a rule pattern, is "no repetition without a bound":
 * with every repeat capped, the work a match attempt does from one position is bounded by a
 * constant, so a scan costs at most that constant per character of the windows it runs in.
 * `compileRule` refuses a row that breaks this; operator rules from `filters.customRules`
 * (which haechi 1.4 accepted with `+`) are capped instead, at a bound no real value reaches.
 *
 * The reader understands what can hide a quantifier character: escapes (`\+`), character
 * classes (`[+*]`, including JavaScript's `[]` and `[^]`) and group openers (`(?:`).
 *
 * @module
 */

/** One unbounded repeat: where it starts in the source and how it is written. */
export interface UnboundedRepeat {
  /** Offset of the quantifier in the source. */
  readonly offset: number;
  /** The quantifier as written: `*`, `+` or `{n,}`. */
  readonly quantifier: string;
}

const OPEN_COUNT = /^\{(\d+),\}/;

/**
 * Every unbounded repeat in `source`, in order.
 *
 * @param source Pattern source, as in `RegExp.prototype.source`.
 * @returns The repeats; empty when every repetition is bounded.
 *
 * @example
 * ```ts
 * import { findUnboundedRepeats } from "./unbounded_repeats.ts";
 * const found = findUnboundedRepeats(String.raw`[+*]\+a{2,}b{1,3}(?:c)*`);
 * if (found.map((r) => r.quantifier).join(" ") !== "{2,} *") throw new Error("classes hide +");
 * ```
 */
export function findUnboundedRepeats(source: string): UnboundedRepeat[] {
  const out: UnboundedRepeat[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") {
      i += 2;
    } else if (c === "[") {
      i = classEnd(source, i);
    } else if (c === "(" && source[i + 1] === "?") {
      // `(?:`, `(?=`, `(?<name>`: the `?` opens a group, it does not repeat anything.
      i += 2;
    } else if (c === "*" || c === "+") {
      out.push({ offset: i, quantifier: c });
      i++;
    } else if (c === "{") {
      const m = OPEN_COUNT.exec(source.slice(i, i + 16));
      if (m !== null) out.push({ offset: i, quantifier: m[0] });
      i += m === null ? 1 : m[0].length;
    } else {
      i++;
    }
  }
  return out;
}

/**
 * Rewrite each unbounded repeat with a cap: `*` as `{0,cap}`, `+` as `{1,cap}`, `{n,}` as
 * `{n,cap}` (or `{n,n}` when `n` is larger). Lazy forms stay lazy.
 *
 * @param source Pattern source.
 * @param cap Most repetitions allowed.
 * @returns The capped source; equal to `source` when nothing was unbounded.
 *
 * @example
 * ```ts
 * import { boundRepeats } from "./unbounded_repeats.ts";
 * if (boundRepeats(String.raw`ACME-\d+x*?`, 512) !== String.raw`ACME-\d{1,512}x{0,512}?`) {
 *   throw new Error("not capped");
 * }
 * ```
 */
export function boundRepeats(source: string, cap: number): string {
  let out = "";
  let from = 0;
  for (const r of findUnboundedRepeats(source)) {
    const min = r.quantifier === "*"
      ? 0
      : r.quantifier === "+"
      ? 1
      : Number(r.quantifier.slice(1, -2));
    out += `${source.slice(from, r.offset)}{${min},${Math.max(min, cap)}}`;
    from = r.offset + r.quantifier.length;
  }
  return out + source.slice(from);
}

/** Index just past the character class opening at `i`. */
function classEnd(s: string, i: number): number {
  // In JavaScript a `]` right after `[` or `[^` closes the class (`[]`, `[^]`).
  let j = i + 1;
  if (s[j] === "^") j++;
  while (j < s.length && s[j] !== "]") j += s[j] === "\\" ? 2 : 1;
  return j + 1;
}
