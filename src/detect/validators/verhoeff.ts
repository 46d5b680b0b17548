/**
 * The Verhoeff check digit scheme (dihedral group D5), used by India's Aadhaar number.
 * Unlike Luhn it catches every single-digit error and every adjacent transposition.
 *
 * @module
 */

/** Multiplication table of D5. */
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
/** Position permutations, cycling with period 8. */
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INVERSE = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

function fold(digits: readonly number[], offset: number): number {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    c = D[c][P[(i + offset) % 8][digits[digits.length - 1 - i]]];
  }
  return c;
}

/**
 * Whether `digits` end in their Verhoeff check digit.
 *
 * @param digits Digit values, check digit last.
 * @returns True when the check holds and at least two digits are present.
 *
 * @example
 * ```ts
 * import { verhoeffValid } from "./verhoeff.ts";
 * if (!verhoeffValid([2, 3, 6, 3])) throw new Error("2363 should pass");
 * if (verhoeffValid([2, 3, 6, 4])) throw new Error("2364 should fail");
 * ```
 */
export function verhoeffValid(digits: readonly number[]): boolean {
  return digits.length >= 2 && fold(digits, 0) === 0;
}

/**
 * The Verhoeff check digit to append to `digits`.
 *
 * @param digits Digit values without a check digit.
 * @returns The check digit, 0-9.
 *
 * @example
 * ```ts
 * import { verhoeffCheckDigit } from "./verhoeff.ts";
 * if (verhoeffCheckDigit([2, 3, 6]) !== 3) throw new Error("236 takes 3");
 * ```
 */
export function verhoeffCheckDigit(digits: readonly number[]): number {
  return INVERSE[fold(digits, 1)];
}
