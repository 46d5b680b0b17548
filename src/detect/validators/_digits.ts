/**
 * Shared digit helpers for the national-ID validators.
 *
 * @module
 */

/**
 * The digits of `value` as numbers, or null when anything other than a digit or one of
 * the allowed separators is present.
 *
 * @param value Candidate text.
 * @param separators Characters to skip (default space, dash and dot).
 * @returns Digit values in order, or null.
 *
 * @example
 * ```ts
 * import { digitsOf } from "./_digits.ts";
 * if (digitsOf("12-3")?.join() !== "1,2,3") throw new Error("digits expected");
 * if (digitsOf("12a") !== null) throw new Error("letters are not digits");
 * ```
 */
export function digitsOf(value: string, separators = " -."): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) out.push(c - 48);
    else if (!separators.includes(value[i])) return null;
  }
  return out;
}

/**
 * Whether every digit is the same one, as in the placeholders `000000000` or `11111111`.
 *
 * @param digits Digit values.
 * @returns True for an empty list or a single repeated digit.
 *
 * @example
 * ```ts
 * import { allSame } from "./_digits.ts";
 * if (!allSame([7, 7, 7]) || allSame([7, 1])) throw new Error("wrong");
 * ```
 */
export function allSame(digits: readonly number[]): boolean {
  for (let i = 1; i < digits.length; i++) if (digits[i] !== digits[0]) return false;
  return true;
}

/**
 * The sum of `digits[i] * weights[i]` over the shorter of the two lists.
 *
 * @param digits Digit values.
 * @param weights Weights, read from the left.
 * @returns The weighted sum.
 *
 * @example
 * ```ts
 * import { weightedSum } from "./_digits.ts";
 * if (weightedSum([1, 2, 3], [3, 2, 1]) !== 10) throw new Error("wrong sum");
 * ```
 */
export function weightedSum(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  const n = Math.min(digits.length, weights.length);
  for (let i = 0; i < n; i++) sum += digits[i] * weights[i];
  return sum;
}
