/**
 * The Luhn (mod 10) check used by payment cards and Canadian SINs.
 *
 * @module
 */

/**
 * Whether the digits of `value` pass the Luhn check. Non-digits are ignored.
 *
 * @param value Digits, possibly with separators.
 * @returns True when the check digit is right and at least two digits are present.
 *
 * @example
 * ```ts
 * import { luhnValid } from "./luhn.ts";
 * if (!luhnValid("4111 1111 1111 1111")) throw new Error("test card should pass");
 * if (luhnValid("4111 1111 1111 1112")) throw new Error("altered card should fail");
 * ```
 */
export function luhnValid(value: string): boolean {
  let sum = 0;
  let count = 0;
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let d = c - 48;
    if (count % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    count++;
  }
  return count >= 2 && sum % 10 === 0;
}
