/**
 * Structure check for the UK National Insurance number: two prefix letters, six digits
 * and a suffix A-D. There is no check digit; HMRC's prefix rules are the whole test.
 *
 * @module
 */

const SHAPE = /^([A-Z])([A-Z])\d{6}[A-D]$/;
/** Prefixes HMRC never allocates. */
const BANNED_PREFIXES: ReadonlySet<string> = new Set(["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"]);

/**
 * Whether `value` has a NINO shape HMRC allocates: first letter not D, F, I, Q, U or V;
 * second not D, F, I, O, Q, U or V; prefix not BG, GB, NK, KN, TN, NT or ZZ.
 *
 * @param value For example `AB 12 34 56 C`; spaces are ignored.
 * @returns True when the prefix is allocatable.
 *
 * @example
 * ```ts
 * import { ukNinoValid } from "./uk_nino.ts";
 * if (!ukNinoValid("AB 12 34 56 C")) throw new Error("should pass");
 * if (ukNinoValid("QQ 12 34 56 C")) throw new Error("the QQ specimen prefix should fail");
 * ```
 */
export function ukNinoValid(value: string): boolean {
  const m = SHAPE.exec(value.replace(/ /g, ""));
  if (m === null) return false;
  if ("DFIQUV".includes(m[1]) || "DFIOQUV".includes(m[2])) return false;
  return !BANNED_PREFIXES.has(m[1] + m[2]);
}
