/**
 * Check for Singapore NRIC and FIN numbers: a series letter (S, T, F, G, M), seven
 * digits and a check letter.
 *
 * @module
 */
import { digitsOf, weightedSum } from "./_digits.ts";

const WEIGHTS = [2, 7, 6, 5, 4, 3, 2];
/** Check letters indexed by the weighted sum mod 11, per series. */
const TABLES: Readonly<Record<string, { offset: number; letters: string }>> = {
  S: { offset: 0, letters: "JZIHGFEDCBA" },
  T: { offset: 4, letters: "JZIHGFEDCBA" },
  F: { offset: 0, letters: "XWUTRQPNMLK" },
  G: { offset: 4, letters: "XWUTRQPNMLK" },
  // The M series (from 2022) is published as "KLJNPQRTUWX" indexed by 10 - remainder;
  // read by the remainder itself it is this string, which differs from F/G only at 8.
  M: { offset: 3, letters: "XWUTRQPNJLK" },
};

/**
 * Whether `value` is an NRIC/FIN with the right check letter: weights 2,7,6,5,4,3,2 over
 * the digits, plus 4 for T and G and 3 for M, mod 11, looked up in the series table.
 *
 * @param value Nine characters, any case.
 * @returns True when the series is known and the check letter matches.
 *
 * @example
 * ```ts
 * import { sgNricValid } from "./sg_nric.ts";
 * if (!sgNricValid("S1234567D")) throw new Error("should pass");
 * if (sgNricValid("S1234567A")) throw new Error("wrong letter should fail");
 * ```
 */
export function sgNricValid(value: string): boolean {
  if (value.length !== 9) return false;
  const s = value.toUpperCase();
  const table = TABLES[s[0]];
  const d = digitsOf(s.slice(1, 8), "");
  if (table === undefined || d === null) return false;
  return table.letters[(weightedSum(d, WEIGHTS) + table.offset) % 11] === s[8];
}
