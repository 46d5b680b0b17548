/**
 * A small semantic-version parser and range matcher for plugin core ranges and version
 * floors.
 *
 * Supported range syntax (whitespace between comparators means AND, `||` means OR):
 *
 * | form | meaning |
 * | --- | --- |
 * | `1.2.3`, `=1.2.3` | exactly that version |
 * | `>1.2.3`, `>=1.2.3`, `<1.2.3`, `<=1.2.3` | comparisons |
 * | `^1.2.3` | same left-most non-zero part: `>=1.2.3 <2.0.0`; `^0.2.3` is `<0.3.0`; `^0.0.3` is `<0.0.4` |
 * | `~1.2.3` | same minor: `>=1.2.3 <1.3.0`; `~1` is `>=1.0.0 <2.0.0` |
 * | `1.x`, `1.2.*`, `1`, `1.2` | x-ranges: any value for the missing parts |
 * | `*`, `x`, empty | any version |
 *
 * Not supported (rejected as invalid, never guessed): hyphen ranges (`1.0.0 - 2.0.0`),
 * build metadata in ranges, and npm's rule that a prerelease only matches comparators on
 * the same `major.minor.patch`. Prerelease versions compare by SemVer 2.0.0 precedence
 * (`1.0.0-rc.1 < 1.0.0`).
 *
 * @module
 */

/** A parsed version. */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Dot-separated prerelease identifiers; empty for a release. */
  readonly prerelease: readonly string[];
}

const VERSION_RE =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Parse `MAJOR.MINOR.PATCH[-pre][+build]`, or null when the text is not a version.
 *
 * @example
 * ```ts
 * import { parseVersion } from "./semver.ts";
 * if (parseVersion("1.2.3-rc.1")?.prerelease[0] !== "rc") throw new Error("parsed");
 * if (parseVersion("1.2") !== null) throw new Error("needs three parts");
 * ```
 */
export function parseVersion(text: string): SemVer | null {
  const m = VERSION_RE.exec(text.trim());
  if (m === null) return null;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!parts.every(Number.isSafeInteger)) return null;
  return {
    major: parts[0],
    minor: parts[1],
    patch: parts[2],
    prerelease: m[4] === undefined ? [] : m[4].split("."),
  };
}

/**
 * Compare two versions by SemVer precedence.
 *
 * @returns Negative, zero or positive.
 *
 * @example
 * ```ts
 * import { compareVersions, parseVersion } from "./semver.ts";
 * const a = parseVersion("1.0.0-rc.1")!, b = parseVersion("1.0.0")!;
 * if (compareVersions(a, b) >= 0) throw new Error("prerelease sorts first");
 * ```
 */
export function compareVersions(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

type Op = "<" | "<=" | ">" | ">=" | "=";
interface Comparator {
  readonly op: Op;
  readonly version: SemVer;
}

/** A compiled range: OR of AND-sets of comparators. */
export interface SemVerRange {
  /** The text it was parsed from. */
  readonly source: string;
  readonly sets: readonly (readonly Comparator[])[];
}

const PARTIAL_RE =
  /^(<=|>=|<|>|=|\^|~)?v?(\*|x|X|0|[1-9]\d*)(?:\.(\*|x|X|0|[1-9]\d*))?(?:\.(\*|x|X|0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

function v(major: number, minor: number, patch: number, prerelease: string[] = []): SemVer {
  return { major, minor, patch, prerelease };
}

function isWild(part: string | undefined): boolean {
  return part === undefined || part === "*" || part === "x" || part === "X";
}

/** Expand one token (e.g. `^1.2`, `>=1.0.0`, `1.x`) into comparators, or null if invalid. */
function expand(token: string): Comparator[] | null {
  if (token === "*" || token === "x" || token === "X") return [];
  const m = PARTIAL_RE.exec(token);
  if (m === null) return null;
  const op = m[1] ?? "";
  const [ma, mi, pa, pre] = [m[2], m[3], m[4], m[5]];
  if (isWild(ma)) return op === "" || op === "=" || op === ">=" || op === "<=" ? [] : null;
  const major = Number(ma);
  const minorWild = isWild(mi);
  const patchWild = minorWild || isWild(pa);
  // A prerelease tag only makes sense on a full version.
  if (pre !== undefined && patchWild) return null;
  const minor = minorWild ? 0 : Number(mi);
  const patch = patchWild ? 0 : Number(pa);
  const prerelease = pre === undefined ? [] : pre.split(".");
  const base = v(major, minor, patch, prerelease);
  const nextMajor = v(major + 1, 0, 0);
  const nextMinor = v(major, minor + 1, 0);
  const upperForWild = minorWild ? nextMajor : nextMinor;
  switch (op) {
    case "":
    case "=":
      if (patchWild) return [{ op: ">=", version: base }, { op: "<", version: upperForWild }];
      return [{ op: "=", version: base }];
    case "^": {
      let upper: SemVer;
      if (major > 0 || minorWild) upper = nextMajor;
      else if (minor > 0 || patchWild) upper = nextMinor;
      else upper = v(0, 0, patch + 1);
      return [{ op: ">=", version: base }, { op: "<", version: upper }];
    }
    case "~":
      return [{ op: ">=", version: base }, { op: "<", version: upperForWild }];
    case ">=":
      return [{ op: ">=", version: base }];
    case "<":
      return [{ op: "<", version: base }];
    case ">":
      return patchWild ? [{ op: ">=", version: upperForWild }] : [{ op: ">", version: base }];
    case "<=":
      return patchWild ? [{ op: "<", version: upperForWild }] : [{ op: "<=", version: base }];
  }
  return null;
}

/**
 * Parse a range, or null when any part of it is outside the supported syntax.
 *
 * @example
 * ```ts
 * import { parseRange } from "./semver.ts";
 * if (parseRange("^0.1.0 || >=2") === null) throw new Error("valid");
 * if (parseRange("1.0.0 - 2.0.0") !== null) throw new Error("hyphen ranges are refused");
 * ```
 */
export function parseRange(text: string): SemVerRange | null {
  if (text.length > 256) return null;
  const sets: Comparator[][] = [];
  for (const alternative of text.split("||")) {
    // Allow `>= 1.2.3` by gluing an operator to the version after it.
    const tokens = alternative.trim().replace(/(<=|>=|<|>|=|\^|~)\s+/g, "$1").split(/\s+/)
      .filter((t) => t !== "");
    const set: Comparator[] = [];
    for (const token of tokens) {
      const comparators = expand(token);
      if (comparators === null) return null;
      set.push(...comparators);
    }
    sets.push(set);
  }
  return { source: text, sets };
}

function test(c: Comparator, version: SemVer): boolean {
  const d = compareVersions(version, c.version);
  switch (c.op) {
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
    case "=":
      return d === 0;
  }
}

/**
 * Whether `version` satisfies `range`.
 *
 * @param version Version text.
 * @param range Range text (see the module doc for the syntax).
 * @returns False when either is invalid, so a malformed range never matches.
 *
 * @example
 * ```ts
 * import { satisfies } from "./semver.ts";
 * if (!satisfies("0.1.5", "^0.1.0")) throw new Error("caret");
 * if (satisfies("0.2.0", "^0.1.0")) throw new Error("caret stops at the minor for 0.x");
 * ```
 */
export function satisfies(version: string, range: string): boolean {
  const parsed = parseVersion(version);
  const r = parseRange(range);
  if (parsed === null || r === null) return false;
  return r.sets.some((set) => set.every((c) => test(c, parsed)));
}
