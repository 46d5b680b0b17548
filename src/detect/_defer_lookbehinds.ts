/**
 * Move the look-behinds that open a rule's pattern to just after its first atom:
 * `(?<![A-Za-z0-9])SK[0-9a-f]…` becomes `S(?<![A-Za-z0-9][^])K[0-9a-f]…`.
 *
 * Why: V8 skips through a window to where a match can start only when the pattern starts
 * with something that consumes a character; a leading look-behind is tried at every
 * position instead. On random base64 and on `"@a."` repeated, the email and Twilio rows
 * spent most of their time there. Both forms match at the same positions: `(?<!X)` before a
 * one-unit atom at `p` asks that no `X` ends at `p`, which is what `(?<!(?:X)[^])` asks
 * once the atom has consumed the unit at `p`. Matches, their offsets and their groups stay
 * as they were.
 *
 * @module
 */
import { singleUnitAtomEnd } from "./_unroll_counts.ts";

/**
 * Defer the leading look-behinds of `source` past its first atom, when that is safe: the
 * atom matches exactly one UTF-16 unit and is not quantified, and no look-behind holds a
 * capture group or a backreference. Anything else, and patterns with the `u` or `v` flag,
 * are returned unchanged.
 *
 * @param source Pattern source, as in `RegExp.prototype.source`.
 * @param flags The pattern's flags.
 * @returns An equivalent source.
 *
 * @example
 * ```ts
 * import { deferLeadingLookbehinds } from "./_defer_lookbehinds.ts";
 * const out = deferLeadingLookbehinds(String.raw`(?<![a-z])(?<!:\/\/)[a-z]@`, "");
 * if (out !== String.raw`[a-z](?<!(?:[a-z])[^])(?<!(?::\/\/)[^])@`) throw new Error(out);
 * ```
 */
export function deferLeadingLookbehinds(source: string, flags: string): string {
  if (flags.includes("u") || flags.includes("v")) return source;
  const bodies: string[] = [];
  let i = 0;
  while (source.startsWith("(?<!", i) || source.startsWith("(?<=", i)) {
    const end = groupEnd(source, i);
    if (end < 0) return source;
    const body = source.slice(i + 4, end - 1);
    if (!isPlainAssertionBody(body)) return source;
    bodies.push(source.slice(i, i + 4) + `(?:${body})[^])`);
    i = end;
  }
  if (bodies.length === 0) return source;
  const deferred = deferInto(source.slice(i), bodies.join(""));
  return deferred ?? source;
}

/**
 * `pattern` with `assertions` placed after its first atom, or after the first atom of each
 * alternative when it opens with a non-capturing group that is not quantified (a
 * zero-width assertion distributes over alternatives); null when some alternative does not
 * open with a one-unit atom.
 */
function deferInto(pattern: string, assertions: string): string | null {
  if (pattern.startsWith("(?:")) {
    const end = groupEnd(pattern, 0);
    if (end < 0 || isQuantifier(pattern[end])) return null;
    const alternatives = topLevelAlternatives(pattern.slice(3, end - 1));
    const out: string[] = [];
    for (const alt of alternatives) {
      const d = deferInto(alt, assertions);
      if (d === null) return null;
      out.push(d);
    }
    return `(?:${out.join("|")})${pattern.slice(end)}`;
  }
  const atomEnd = singleUnitAtomEnd(pattern, 0);
  if (atomEnd < 0 || atomEnd > pattern.length || isQuantifier(pattern[atomEnd])) return null;
  return pattern.slice(0, atomEnd) + assertions + pattern.slice(atomEnd);
}

function isQuantifier(c: string | undefined): boolean {
  return c === "*" || c === "+" || c === "?" || c === "{";
}

/** `body` split at its top-level `|`. */
function topLevelAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    if (c === "\\") j++;
    else if (c === "[") j = classEnd(body, j) - 1;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(body.slice(from, j));
      from = j + 1;
    }
  }
  out.push(body.slice(from));
  return out;
}

/** Index just past the bracket class opened at `open`. */
export function classEnd(s: string, open: number): number {
  let j = open + 1;
  // In JS a `]` right after `[` or `[^` closes the class (`[]`, `[^]`).
  if (s[j] === "^") j++;
  while (j < s.length && s[j] !== "]") j += s[j] === "\\" ? 2 : 1;
  return j + 1;
}

/** Index just past the group opened at `open`, or -1 when it is not closed. */
export function groupEnd(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === "\\") j++;
    else if (c === "[") j = classEnd(s, j) - 1;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return j + 1;
  }
  return -1;
}

/** Whether a look-behind body holds no capture group and no backreference. */
function isPlainAssertionBody(body: string): boolean {
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    if (c === "\\") {
      if (/[1-9k]/.test(body[j + 1] ?? "")) return false;
      j++;
    } else if (c === "[") {
      j = classEnd(body, j) - 1;
    } else if (c === "(") {
      if (body[j + 1] !== "?") return false;
      // `(?<name>` captures; `(?<=` and `(?<!` do not.
      if (body[j + 2] === "<" && body[j + 3] !== "=" && body[j + 3] !== "!") return false;
    }
  }
  return true;
}
