/**
 * Check for Japan's Individual Number (マイナンバー, 個人番号): twelve digits, the last a
 * check digit.
 *
 * @module
 */
import { digitsOf, weightedSum } from "./_digits.ts";

/** Weights over the first eleven digits read from the left. */
const WEIGHTS = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/**
 * Whether `value` ends in its My Number check digit: with `r` the weighted sum mod 11,
 * the check digit is 0 when `r ≤ 1` and `11 − r` otherwise.
 *
 * @param value Twelve digits, optionally grouped 4-4-4 by spaces or dashes.
 * @returns True when the check digit matches.
 *
 * @example
 * ```ts
 * import { jpMyNumberValid } from "./jp_my_number.ts";
 * if (!jpMyNumberValid("1234 5678 9018")) throw new Error("should pass");
 * if (jpMyNumberValid("1234 5678 9019")) throw new Error("wrong check digit should fail");
 * ```
 */
export function jpMyNumberValid(value: string): boolean {
  const d = digitsOf(value, " -");
  if (d === null || d.length !== 12) return false;
  const r = weightedSum(d, WEIGHTS) % 11;
  return (r <= 1 ? 0 : 11 - r) === d[11];
}
