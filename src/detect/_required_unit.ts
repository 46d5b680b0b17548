/**
 * A cheap necessary condition read off a rule's pattern: a punctuation unit that every
 * match must hold, such as the opening quote of `…=\s{0,4}(["'`])…`. A window without one
 * cannot hold a match, and a native search for one unit costs far less than trying the
 * pattern at every keyword in the window (a page of `token=ABC123` holds no quote).
 *
 * @module
 */
import { classEnd, groupEnd } from "./_defer_lookbehinds.ts";
import { copyLength } from "./_unroll_counts.ts";

/**
 * A regex for the units of which every match of `source` holds at least one, or null when
 * none is found. Only the pattern's top-level sequence is read: a bracket class of
 * punctuation (no ranges, no negation) or a punctuation literal, alone or as the whole of a
 * group, repeated at least once. A top-level `|`, or the `u` or `v` flag, gives null.
 *
 * @param source Pattern source, as in `RegExp.prototype.source`.
 * @param flags The pattern's flags.
 * @returns A regex to test a window with before the pattern runs there.
 *
 * @example
 * ```ts
 * import { requiredUnit } from "./_required_unit.ts";
 * const re = requiredUnit(String.raw`token\s{0,4}(["'])\w{8}\1$`, "i");
 * if (re?.source !== `["']` || re.test("token=abc") || !re.test(`token="x"`)) throw new Error();
 * ```
 */
export function requiredUnit(source: string, flags: string): RegExp | null {
  if (flags.includes("u") || flags.includes("v")) return null;
  let found: string | null = null;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let end: number;
    let atom: string | null = null;
    if (c === "|") return null;
    if (c === "(") {
      end = groupEnd(source, i);
      if (end < 0) return null;
      const inner = /^\(\?<?[=!]/.test(source.slice(i, i + 4))
        ? null // a look-around consumes nothing
        : source.startsWith("(?:", i)
        ? source.slice(i + 3, end - 1)
        : source.startsWith("(?<", i)
        ? null
        : source.slice(i + 1, end - 1);
      if (inner !== null && isPunctuation(inner)) atom = inner;
    } else if (c === "[") {
      end = classEnd(source, i);
      atom = source.slice(i, end);
    } else if (c === "\\") {
      end = i + copyLength(source, i);
    } else {
      end = i + 1;
      // `.` is any unit and `^`, `$` are anchors, not literals.
      if (c !== "." && c !== "^" && c !== "$") atom = c;
    }
    const min = minimumRepeat(source, end);
    i = end + min.length;
    if (found === null && atom !== null && min.count >= 1 && isPunctuation(atom)) found = atom;
  }
  if (found === null) return null;
  return new RegExp(found, flags.replace(/[gyd]/g, ""));
}

/**
 * Whether `atom` is one punctuation literal or a bracket class listing only punctuation
 * (hex escapes and escaped punctuation included); letters and digits are everywhere.
 */
function isPunctuation(atom: string): boolean {
  const members = atom.startsWith("[") && classEnd(atom, 0) === atom.length
    ? atom.slice(1, -1)
    : atom;
  if (members.length === 0 || members.startsWith("^")) return false;
  let count = 0;
  for (let j = 0; j < members.length; j++) {
    let unit: number;
    if (members[j] === "\\") {
      const e = members[j + 1];
      if (e === "x" && /^[0-9a-fA-F]{2}$/.test(members.slice(j + 2, j + 4))) {
        unit = parseInt(members.slice(j + 2, j + 4), 16);
        j += 3;
      } else if (e !== undefined && /[^A-Za-z0-9]/.test(e)) {
        unit = e.charCodeAt(0);
        j += 1;
      } else return false;
    } else {
      if (members[j] === "-" && j > 0 && j < members.length - 1) return false;
      unit = members.charCodeAt(j);
    }
    if (!isAsciiPunctuation(unit)) return false;
    count++;
  }
  // A literal outside a class is one unit; `[…]` may list several.
  return atom.startsWith("[") || count === 1;
}

function isAsciiPunctuation(c: number): boolean {
  return c > 32 && c < 127 && !/[A-Za-z0-9]/.test(String.fromCharCode(c));
}

/** The least count of the quantifier at `at` (1 when there is none) and its length. */
function minimumRepeat(s: string, at: number): { count: number; length: number } {
  const c = s[at];
  let count = 1;
  let length = 0;
  if (c === "?" || c === "*") {
    count = 0;
    length = 1;
  } else if (c === "+") length = 1;
  else if (c === "{") {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(s.slice(at, at + 24));
    if (m !== null) {
      count = Number(m[1]);
      length = m[0].length;
    }
  }
  if (length > 0 && s[at + length] === "?") length++;
  return { count, length };
}
