/**
 * Check for the German tax identification number (steuerliche Identifikationsnummer,
 * IdNr): eleven digits, a digit-repeat rule and an ISO 7064 MOD 11,10 check digit.
 *
 * @module
 */
import { digitsOf } from "./_digits.ts";

/**
 * The ISO 7064 MOD 11,10 check digit of `digits`.
 *
 * @param digits Digit values.
 * @returns The check digit, 0-9.
 *
 * @example
 * ```ts
 * import { mod1110CheckDigit } from "./de_steuer_id.ts";
 * if (mod1110CheckDigit([8, 6, 0, 9, 5, 7, 4, 2, 7, 1]) !== 9) throw new Error("wrong");
 * ```
 */
export function mod1110CheckDigit(digits: readonly number[]): number {
  let product = 10;
  for (const d of digits) {
    let sum = (d + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

/**
 * Whether the first ten digits follow the published repeat rule: exactly one digit
 * occurs twice or three times, every other digit at most once, and a digit occurring
 * three times does not fill three consecutive positions.
 */
function repeatRuleHolds(d: readonly number[]): boolean {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10; i++) counts[d[i]]++;
  let repeated = -1;
  for (let digit = 0; digit < 10; digit++) {
    if (counts[digit] < 2) continue;
    if (repeated >= 0 || counts[digit] > 3) return false;
    repeated = digit;
  }
  if (repeated < 0) return false;
  if (counts[repeated] === 3) {
    for (let i = 0; i + 2 < 10; i++) {
      if (d[i] === repeated && d[i + 1] === repeated && d[i + 2] === repeated) return false;
    }
  }
  return true;
}

/**
 * Whether `value` is a valid Steuer-ID: eleven digits, no leading zero, the repeat rule
 * over the first ten digits and the MOD 11,10 check digit.
 *
 * @param value Eleven digits, spaces allowed (`86 095 742 719`).
 * @returns True when all checks pass.
 *
 * @example
 * ```ts
 * import { deSteuerIdValid } from "./de_steuer_id.ts";
 * if (!deSteuerIdValid("86 095 742 719")) throw new Error("should pass");
 * if (deSteuerIdValid("86 095 742 718")) throw new Error("wrong check digit should fail");
 * ```
 */
export function deSteuerIdValid(value: string): boolean {
  const d = digitsOf(value, " ");
  if (d === null || d.length !== 11 || d[0] === 0) return false;
  return repeatRuleHolds(d) && mod1110CheckDigit(d.slice(0, 10)) === d[10];
}
