/**
 * Check for the Dutch citizen service number (burgerservicenummer, BSN), formerly the
 * sofinummer: nine digits that pass the "elfproef" (11-proof).
 *
 * @module
 */
import { digitsOf } from "./_digits.ts";

/**
 * Whether `value` passes the BSN 11-proof: `9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11)`.
 * An eight-digit number is read with a leading zero; all zeros is rejected.
 *
 * @param value Eight or nine digits; dots and spaces between them are allowed.
 * @returns True when the 11-proof holds.
 *
 * @example
 * ```ts
 * import { nlBsnValid } from "./nl_bsn.ts";
 * if (!nlBsnValid("1234.56.782")) throw new Error("should pass");
 * if (nlBsnValid("123456783")) throw new Error("failing 11-proof should fail");
 * ```
 */
export function nlBsnValid(value: string): boolean {
  const raw = digitsOf(value, " .");
  if (raw === null || raw.length < 8 || raw.length > 9) return false;
  const d = raw.length === 8 ? [0, ...raw] : raw;
  let sum = -d[8];
  let nonZero = d[8] !== 0;
  for (let i = 0; i < 8; i++) {
    sum += (9 - i) * d[i];
    if (d[i] !== 0) nonZero = true;
  }
  return nonZero && sum % 11 === 0;
}
