/**
 * Checks for Spanish identity numbers: the DNI (eight digits and a control letter) and
 * the NIE for foreign residents (X, Y or Z, seven digits and a control letter).
 *
 * @module
 */
import { allSame, digitsOf } from "./_digits.ts";

/** Control letters indexed by the number mod 23. */
const LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

function letterMatches(digits: readonly number[], letter: string): boolean {
  let n = 0;
  for (const d of digits) n = n * 10 + d;
  return LETTERS[n % 23] === letter;
}

/**
 * Whether `value` is a DNI whose letter is `TRWAGMYFPDXBNJZSQVHLCKE[n mod 23]`.
 * Eight identical digits are placeholders (00000000T) and are rejected.
 *
 * @param value Eight digits and a letter; dots between the digits and a dash or space
 *   before the letter are allowed; the letter may be lowercase.
 * @returns True when the control letter is right.
 *
 * @example
 * ```ts
 * import { esDniValid } from "./es_dni.ts";
 * if (!esDniValid("12345678Z")) throw new Error("should pass");
 * if (esDniValid("12345678A")) throw new Error("wrong letter should fail");
 * ```
 */
export function esDniValid(value: string): boolean {
  const s = value.toUpperCase();
  const letter = s[s.length - 1];
  const d = digitsOf(s.slice(0, -1), ".- ");
  if (d === null || d.length !== 8 || allSame(d)) return false;
  return letterMatches(d, letter);
}

/**
 * Whether `value` is a NIE: X, Y or Z (read as 0, 1, 2), seven digits and the DNI
 * control letter of the resulting eight-digit number.
 *
 * @param value For example `X1234567L`; dashes or spaces between the parts are allowed.
 * @returns True when the control letter is right.
 *
 * @example
 * ```ts
 * import { esNieValid } from "./es_dni.ts";
 * if (!esNieValid("X1234567L")) throw new Error("should pass");
 * if (esNieValid("X1234567M")) throw new Error("wrong letter should fail");
 * ```
 */
export function esNieValid(value: string): boolean {
  const s = value.toUpperCase();
  const prefix = "XYZ".indexOf(s[0]);
  if (prefix < 0) return false;
  const d = digitsOf(s.slice(1, -1), "- ");
  if (d === null || d.length !== 7) return false;
  return letterMatches([prefix, ...d], s[s.length - 1]);
}
